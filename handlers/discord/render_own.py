"""The answers whose words differ on Discord: the agenda and help (as lists, not columns,
with each reader's own times), and ``/announce``'s, which name the channel as a link and the
time as a Discord timestamp."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.agenda import Status
from bot.commands.announce import AnnouncementsOff, Cancelled, Listing, Queued, StoredAnnouncement
from bot.commands.awair import Help
from bot.commands.schedule import Agenda
from bot.text import KIND_ICONS, agenda_heading, session_details
from bot.timefmt import clock, dated, day_label, span
from handlers.discord.markup import code_marked, cut, escape, timestamp

_CHANNEL_ID = "0123456789"


def _channel(channel: str) -> str:
    return f"<#{channel}>" if channel and all(c in _CHANNEL_ID for c in channel) else escape(channel)


def _when(a: StoredAnnouncement, zone, now) -> str:
    day, today = a.due_at.astimezone(zone).date(), now.astimezone(zone).date()
    return f"{escape(dated(day, today))} {escape(clock(a.due_at, zone))} ({timestamp(a.due_at, 'f')}, {timestamp(a.due_at, 'R')})"


def _quoted(text: str) -> str:
    return "> " + cut(escape(text), 1500).replace("\n", "\n> ")


def help_text(o: Help) -> str:
    """The help as a list: each command in code, what it does beside it."""
    lines = [f"awair\\-bot: the schedule and readings of {escape(o.workshop_name)}.", ""]
    lines += [f"`{e.syntax}` · {code_marked(e.what)}" for e in o.entries]
    if o.organizer_entries:
        lines += [
            "",
            "**For organizers:**",
            *(f"`{e.syntax}` · {code_marked(e.what)}" for e in o.organizer_entries),
        ]
    lines += ["", f"Times show in the workshop's zone ({escape(o.zone.key)}) and, beside it, in yours."]
    return "\n".join(lines)


_MARKS = {Status.PAST: "✓", Status.NOW: "▶", Status.NEXT: "→", Status.LATER: "·"}


def agenda(o: Agenda) -> str:
    """A day's agenda: each session at the workshop's time and, beside it, the reader's own."""
    a, w = o.agenda, o.agenda.workshop
    title = f"**{escape(agenda_heading(a))}: {escape(w.name)}**"
    if a.filter:
        title += f" (matching ‘{escape(a.filter)}’)"
    lines = [title]
    if not a.items:
        lines.append("No sessions match." if a.filter else "No sessions.")
    for item in a.items:
        s = item.session
        when = escape(span(s.start, s.end, w.timezone))
        when = f"{escape(day_label(s.day))} {when}" if a.day is None else when
        details = escape(session_details(s))
        lines.append(
            f"{_MARKS[item.status]} {when} ({timestamp(s.start, 't')}) {KIND_ICONS[s.kind]} **{escape(s.title)}** · {details}"
        )
    if a.hidden:
        lines.append(f"…and {a.hidden} more that day not matching.")
    lines.append("✓ past · ▶ now · → next; the time in brackets is yours.")
    if o.calendar_url:
        lines.append(f"The whole schedule for your calendar app: <{o.calendar_url}>")
    return "\n".join(lines)


def queued(o: Queued) -> str:
    """An announcement stored: on its way, or when it will go."""
    a = o.announcement
    if not o.scheduled:
        return f"Announcement \\#{a.id} is on its way to {_channel(o.channel)}:\n{_quoted(a.text)}"
    note = f"\n⚠️ {code_marked(o.note)} Cancel it if that is not what you meant." if o.note else ""
    return f"Scheduled \\#{a.id} for {_when(a, o.zone, o.now)} in {_channel(o.channel)}:\n{_quoted(a.text)}{note}"


def listing(o: Listing) -> str:
    """What is scheduled, and how the last ones went."""
    lines = [f"Scheduled announcements for {_channel(o.channel)}:"]
    lines += [
        f"\\#{a.id} · {_when(a, o.zone, o.now)} · by {escape(a.author_name)}\n{_quoted(a.text)}"
        for a in o.pending
    ]
    if not o.pending:
        lines.append("Nothing is scheduled.")
    lines += [f"…and {o.more} more."] if o.more else []
    lines += [f"Recently: \\#{a.id} {escape(a.status.value)}" for a in o.recent]
    return "\n".join(lines)


def cancelled(o: Cancelled) -> str:
    """An announcement cancelled before it went out."""
    return f"Cancelled \\#{o.announcement.id}:\n{_quoted(o.announcement.text)}"


def off(_o: AnnouncementsOff) -> str:
    """No announcement channel: say which setting turns them on."""
    return (
        "Announcements are off: no announcement channel is set. Whoever runs the bot can set "
        "`DISCORD_ANNOUNCE_CHANNEL` to the channel's id (right\\-click the channel › Copy Channel ID) and restart it."
    )


# Already Discord markdown (escaped where it holds anyone's text): laid into embeds as is.
RENDERERS: dict[type, Callable[[Any], str]] = {
    Agenda: agenda,
    Help: help_text,
    Queued: queued,
    Listing: listing,
    Cancelled: cancelled,
    AnnouncementsOff: off,
}
