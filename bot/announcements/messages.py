"""Announcements as values, and their plain-text form (rehearsals, Slack's fallback text).

Adapters render the same values richly (Block Kit for Slack). Every message carries the
ledger ``keys`` it fulfils, so a poster can tag the post with them (Slack message metadata)
and find it again after a crash.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.announcements.changes import Change, ChangeKind
from bot.announcements.plan import session_key
from bot.bidi import isolate
from bot.schedule.model import Reading, Session
from bot.text import KIND_ICONS, parallel_note, reading_line, session_details
from bot.timefmt import clock, day_label, span, until


@dataclass(frozen=True)
class SessionStart:
    """Sessions about to start together (or, when ``late``, that have just started)."""

    start: datetime
    zone: ZoneInfo
    sessions: tuple[Session, ...]
    now: datetime  # when the message is made: "in 5 min" is relative to it
    late: bool = False

    @property
    def keys(self) -> tuple[str, ...]:
        """Ledger keys this post fulfils."""
        return tuple(session_key(s) for s in self.sessions)


@dataclass(frozen=True)
class ScheduleChange:
    """One notice listing changes to upcoming sessions."""

    changes: tuple[Change, ...]
    zone: ZoneInfo
    now: datetime

    @property
    def keys(self) -> tuple[str, ...]:
        """Ledger keys this post fulfils."""
        return tuple(c.key for c in self.changes)


@dataclass(frozen=True)
class OrganizerPost:
    """An organizer's announcement. Its text is the organizer's own, mentions and all."""

    announcement_id: int
    text: str
    author_id: str
    author_name: str
    due_at: datetime
    zone: ZoneInfo
    late: bool = False

    @property
    def keys(self) -> tuple[str, ...]:
        """The post's identity (organizer posts are claimed in their own table)."""
        return (f"organizer:{self.announcement_id}",)


Message = SessionStart | ScheduleChange | OrganizerPost

# An imported talk can carry a dozen links (slides, a wiki page, recordings); an announcement
# of forty parallel sessions shows a few of each and says where the rest are.
MAX_LINKS_PER_SESSION = 3


def announced_readings(session: Session) -> tuple[tuple[Reading, ...], str | None]:
    """The readings an announcement lists for ``session``, and a line for those it leaves out.

    Required readings (only the bot's own readings.yaml marks any) are all listed; optional
    ones up to ``MAX_LINKS_PER_SESSION``."""
    required = [r for r in session.readings if r.required]
    optional = [r for r in session.readings if not r.required]
    shown = [r for r in session.readings if r in required or r in optional[:MAX_LINKS_PER_SESSION]]
    rest = len(optional) - MAX_LINKS_PER_SESSION
    if rest <= 0:
        return tuple(shown), None
    where = f"on {session.url}" if session.url else "with /readings all"
    return tuple(shown), f"+{rest} more link{'s' if rest != 1 else ''} {where}"


def render_text(message: Message) -> str:
    """The message as plain text."""
    match message:
        case SessionStart():
            return _session_start(message)
        case ScheduleChange():
            return _schedule_change(message)
        case OrganizerPost():
            return _organizer(message)
    raise TypeError(f"not a message: {message!r}")  # pragma: no cover


def _session_start(m: SessionStart) -> str:
    verb = "Starting" if m.start > m.now else "Started"
    parallel = parallel_note(m.sessions, ", {n} in parallel")
    head = f"⏰ {verb} at {clock(m.start, m.zone)} ({until(m.start, m.now)}){parallel}:"
    lines = [head]
    for s in m.sessions:
        lines.append(f"{KIND_ICONS[s.kind]} {s.title}  ({span(s.start, s.end, m.zone)})")
        lines.append(f"    {session_details(s)}")
        shown, rest = announced_readings(s)
        lines.extend(f"    • {reading_line(r)}" for r in shown)
        if rest:
            lines.append(f"    {rest}")
    if m.late:
        lines.append("(Posted late: the bot was catching up.)")
    return "\n".join(lines)


def _schedule_change(m: ScheduleChange) -> str:
    lines = ["📣 Schedule change:"]
    lines.extend(f"• {change_line(c, m.zone)}" for c in m.changes)
    return "\n".join(lines)


def change_line(change: Change, zone: ZoneInfo) -> str:
    """'Misalignment (Sat 5 Aug) moved: now 11:30-12:40 PT (was 11:00-12:10 PT).'"""
    s, old, new = change.session, change.old, change.new
    name = f"{isolate(s.title)} ({day_label(s.day)})"
    match change.kind:
        case ChangeKind.MOVED:
            assert old is not None and new is not None
            was = span(old.start, old.end, zone)
            return f"{name} moved: now {span(new.start, new.end, zone)} (was {was})."
        case ChangeKind.ROOM:
            assert old is not None and new is not None
            room = new.room or "no room set"
            return f"{name} at {clock(s.start, zone)}: now in {room} (was {old.room or 'no room'})."
        case ChangeKind.CANCELLED:
            return f"{name} at {clock(s.start, zone)} is cancelled."
        case ChangeKind.ADDED:
            where = f", {s.room}" if s.room else ""
            return f"New: {name} {span(s.start, s.end, zone)}{where} ({s.kind.label})."
    raise ValueError(change.kind)  # pragma: no cover


def _organizer(m: OrganizerPost) -> str:
    text = f"📢 {m.text}\n— {m.author_name}"
    if m.late:
        text += f"\n(Scheduled for {clock(m.due_at, m.zone)}; posted late.)"
    return text
