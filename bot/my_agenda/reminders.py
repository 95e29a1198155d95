"""Personal reminders as a plan: pure functions of the schedule, the picks and ``now``.

A reminder is one more kind of due post in the announcements' ledger: claimed as
(key, platform, the person's id) before it is sent, so it goes out once whichever process,
thread or restart gets to it first. Its key holds the session's start, so a session that
moves gets a reminder at its new time; removing a pick cancels it (the plan is read from
the picks when the reminder falls due); a session that starts is never reminded of late.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.announcements.changes import Change, ChangeKind
from bot.announcements.plan import bounded_key, iso_utc
from bot.my_agenda.store import Wanted
from bot.schedule.model import Session, Workshop

REMIND, NOTE = "remind", "note"  # the ledger's ``kind`` of a reminder and of a personal change note
MAX_LEAD = timedelta(minutes=120)  # the longest lead a person may ask for
# Changes worth telling each person who picked the session (an added session is nobody's yet).
NOTEWORTHY = frozenset({ChangeKind.MOVED, ChangeKind.ROOM, ChangeKind.CANCELLED})


def reminder_key(session: Session) -> str:
    """Ledger key of a reminder of ``session`` (the person is the ledger row's channel)."""
    return bounded_key(f"{REMIND}:{session.id}@{iso_utc(session.start)}")


def note_key(change: Change) -> str:
    """Ledger key of the personal note about ``change``."""
    return bounded_key(f"{NOTE}:{change.key}")


@dataclass(frozen=True)
class ReminderDue:
    """One person's reminder of one session, due at ``due_at``."""

    person: str  # "slack:U123"
    session: Session
    due_at: datetime
    lead_minutes: int
    zone: str | None = None  # the person's own zone, as last recorded

    @property
    def key(self) -> str:
        """The ledger key (the person's id is the row's channel)."""
        return reminder_key(self.session)


def sessions_to_remind(workshop: Workshop, now: datetime) -> list[Session]:
    """Sessions whose reminders may fall due from ``now``: not started, starting within the
    longest lead (the picks of only these are read)."""
    start, stop = workshop.index_after(now), workshop.index_after(now + MAX_LEAD)
    return list(workshop.sessions[start:stop])


def reminder_plan(
    workshop: Workshop, wanted: Iterable[Wanted], now: datetime
) -> tuple[list[ReminderDue], datetime | None]:
    """The reminders due at ``now`` (due, and their session not started yet: picked late,
    it is sent at once) in due order, and when the next one falls due (None: none ahead)."""
    by_id = {s.id: s for s in sessions_to_remind(workshop, now)}
    due: list[ReminderDue] = []
    upcoming: datetime | None = None
    for w in wanted:
        session = by_id.get(w.session_id)
        if session is None or session.start <= now:
            continue
        at = session.start - timedelta(minutes=w.lead_minutes)
        if at <= now:
            due.append(ReminderDue(w.person, session, at, w.lead_minutes, w.zone))
        elif upcoming is None or at < upcoming:
            upcoming = at
    due.sort(key=lambda d: (d.due_at, d.session.start, d.person))
    return due, upcoming


def personal_changes(changes: Iterable[Change]) -> list[Change]:
    """The changes each person who picked the session is told of, privately."""
    return [c for c in changes if c.kind in NOTEWORTHY]


# -- the messages ---------------------------------------------------------------------


@dataclass(frozen=True)
class Reminder:
    """A direct message: your session starts soon, where, and its readings. ``reader_zone``
    is the reader's own zone where its clock differs from the workshop's ``zone``."""

    session: Session
    zone: ZoneInfo
    now: datetime
    reader_zone: ZoneInfo | None = None

    @property
    def keys(self) -> tuple[str, ...]:
        """Ledger keys this message fulfils."""
        return (reminder_key(self.session),)


@dataclass(frozen=True)
class AgendaChange:
    """A direct message: a session in your agenda moved, changed room or was cancelled."""

    change: Change
    zone: ZoneInfo
    now: datetime
    reader_zone: ZoneInfo | None = None

    @property
    def keys(self) -> tuple[str, ...]:
        """Ledger keys this message fulfils."""
        return (note_key(self.change),)
