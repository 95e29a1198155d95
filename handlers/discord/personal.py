"""A member's own reminders and change notes as Discord messages: the workshop's times beside
Discord timestamps, which each member reads in their own zone and which count down."""

from __future__ import annotations

from typing import Any

from bot.announcements.changes import ChangeKind
from bot.announcements.messages import announced_readings, change_line
from bot.commands.base import Tone
from bot.my_agenda.reminders import AgendaChange, Reminder
from bot.text import KIND_ICONS, reading_line, session_details
from bot.timefmt import span, until
from handlers.discord.markup import NOTHING_MENTIONED, cut, escape, fit_embed, timestamp
from handlers.discord.render import COLOURS

FOOTER = "In your agenda: /mine shows it · /mine remind off stops these."


def _reminder(m: Reminder) -> dict[str, Any]:
    s = m.session
    lines = [
        f"{escape(span(s.start, s.end, m.zone))} · {timestamp(s.start, 't')} your time, {timestamp(s.start, 'R')}",
        f"{KIND_ICONS[s.kind]} {escape(session_details(s))}",
    ]
    shown, rest = announced_readings(s)
    lines += [f"• {escape(reading_line(r))}" for r in shown] + ([escape(rest)] if rest else [])
    embed = {
        "title": cut(f"⏰ {escape(s.title)}", 200) + f" starts {until(s.start, m.now)}",
        "description": "\n".join(lines),
        "color": COLOURS[Tone.INFO],
        "footer": {"text": FOOTER},
    }
    return {"embeds": [fit_embed(embed)], "allowed_mentions": NOTHING_MENTIONED}


def _change(m: AgendaChange) -> dict[str, Any]:
    change = m.change
    lines = [f"📣 In your agenda: {escape(change_line(change, m.zone))}"]
    if change.kind is not ChangeKind.CANCELLED and change.new is not None:
        lines.append(f"Now {timestamp(change.new.start, 'f')} your time, {timestamp(change.new.start, 'R')}.")
    embed = {
        "description": "\n".join(lines),
        "color": COLOURS[Tone.INFO],
        "footer": {"text": "/mine shows your agenda as it is now."},
    }
    return {"embeds": [fit_embed(embed)], "allowed_mentions": NOTHING_MENTIONED}


def personal_message(message: Any) -> dict[str, Any]:
    """The body of the DM for a reminder or a change note."""
    match message:
        case Reminder():
            return _reminder(message)
        case AgendaChange():
            return _change(message)
    raise TypeError(f"not a personal message: {message!r}")
