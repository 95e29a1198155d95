"""Announcements as Discord messages: a session start with timestamps that count down,
schedule changes, and an organizer's own post (the one message that may mention people)."""

from __future__ import annotations

import re
from typing import Any

from bot.announcements.messages import Message, OrganizerPost, ScheduleChange, SessionStart, render_text
from bot.commands.base import Tone
from bot.text import KIND_ICONS, parallel_note, session_details
from bot.timefmt import clock, span
from handlers.discord.markup import (
    CONTENT_MAX,
    NOTHING_MENTIONED,
    ORGANIZER_MENTIONS,
    cut,
    escape,
    fit_embed,
    timestamp,
)
from handlers.discord.render import COLOURS, text_embeds

MAX_SESSIONS = 20
# Slack's @channel / @here, as an organizer used to Slack may type them.
_SLACK_MENTION = re.compile(r"(?<![\w@])@channel\b")


def _session_start(m: SessionStart) -> dict[str, Any]:
    verb = "Starting" if m.start > m.now else "Started"
    parallel = parallel_note(m.sessions, " · {n} in parallel")
    fields = []
    for s in m.sessions[:MAX_SESSIONS]:
        where = f"{escape(span(s.start, s.end, m.zone))} · {escape(session_details(s))}"
        fields.append({"name": cut(f"{KIND_ICONS[s.kind]} {escape(s.title)}", 250), "value": where})
    embed: dict[str, Any] = {
        "title": f"⏰ {verb} at {clock(m.start, m.zone)}{parallel}",
        "description": f"{timestamp(m.start, 't')} your time, {timestamp(m.start, 'R')}",
        "color": COLOURS[Tone.INFO],
        "fields": fields,
    }
    if len(m.sessions) > MAX_SESSIONS:
        embed["footer"] = {"text": f"…and {len(m.sessions) - MAX_SESSIONS} more: /schedule today lists them."}
    if m.late:
        embed["footer"] = {"text": "Posted late: the bot was catching up."}
    return {"embeds": [fit_embed(embed)], "allowed_mentions": NOTHING_MENTIONED}


def _organizer(m: OrganizerPost) -> dict[str, Any]:
    # The organizer's own words, formatting and mentions kept on purpose; their name is theirs
    # to choose, so it is escaped.
    text = _SLACK_MENTION.sub("@everyone", m.text)
    tail = f"\n— {escape(m.author_name)}"
    if m.late:
        tail += f"\n(Scheduled for {escape(clock(m.due_at, m.zone))}; posted late.)"
    body = cut(f"📢 {text}", CONTENT_MAX - len(tail))
    return {"content": body + tail, "allowed_mentions": ORGANIZER_MENTIONS}


def announcement_message(message: Message) -> dict[str, Any]:
    """The body of ``POST /channels/{id}/messages`` for ``message``."""
    match message:
        case SessionStart():
            return _session_start(message)
        case OrganizerPost():
            return _organizer(message)
        case ScheduleChange():
            return {
                "embeds": text_embeds(render_text(message), COLOURS[Tone.INFO]),
                "allowed_mentions": NOTHING_MENTIONED,
            }
    raise TypeError(f"not a message: {message!r}")
