"""What changed between two versions of the schedule, as notices worth posting once each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.announcements.plan import bounded_key, iso_utc
from bot.schedule.model import Session, Workshop


class ChangeKind(StrEnum):
    """What happened to an upcoming session."""

    MOVED = "moved"  # its start or end time changed
    ROOM = "room"
    CANCELLED = "cancelled"
    ADDED = "added"


@dataclass(frozen=True)
class Change:
    """One change to one session; ``old`` is None when added, ``new`` None when cancelled."""

    kind: ChangeKind
    old: Session | None
    new: Session | None

    @property
    def session(self) -> Session:
        """The session as it is now (or was, if cancelled)."""
        session = self.new or self.old
        assert session is not None
        return session

    @property
    def key(self) -> str:
        """Ledger key: the same edit gives the same key, so each change is posted once, and a
        later edit of the same session (moved again) gives a new one."""
        s, old, new = self.session, self.old, self.new
        match self.kind:
            case ChangeKind.MOVED:
                assert old is not None and new is not None
                key = f"change:moved:{s.id}:{_times(old)}>{_times(new)}"
            case ChangeKind.ROOM:
                assert old is not None and new is not None
                key = f"change:room:{s.id}@{iso_utc(new.start)}:{old.room or '-'}>{new.room or '-'}"
            case ChangeKind.CANCELLED | ChangeKind.ADDED:
                key = f"change:{self.kind.value}:{s.id}@{iso_utc(s.start)}"
        return bounded_key(key)


def _times(session: Session) -> str:
    end = iso_utc(session.end) if session.end else "open"
    return f"{iso_utc(session.start)}/{end}"


def diff_schedules(old: Workshop, new: Workshop, now: datetime) -> list[Change]:
    """Changes to sessions that have not started yet, in order of start time.

    Sessions are matched by id: a changed id reads as one cancelled and one added. A session
    that already started is history and gets no notice, except one moved later than ``now``
    (the 10:40 talk that now starts at 11:00) and one cancelled while it is on (people may be
    on their way to it).
    """
    before = {s.id: s for s in old.sessions}
    after = {s.id: s for s in new.sessions}
    changes: list[Change] = []
    for sid, was in before.items():
        now_is = after.get(sid)
        if now_is is None:
            if was.start > now or (was.end is not None and was.end > now):
                changes.append(Change(ChangeKind.CANCELLED, was, None))
            continue
        if (was.start, was.end) != (now_is.start, now_is.end) and max(was.start, now_is.start) > now:
            changes.append(Change(ChangeKind.MOVED, was, now_is))
        if was.room != now_is.room and now_is.start > now:
            changes.append(Change(ChangeKind.ROOM, was, now_is))
    for sid, now_is in after.items():
        if sid not in before and now_is.start > now:
            changes.append(Change(ChangeKind.ADDED, None, now_is))
    return sorted(changes, key=lambda c: (c.session.start, c.session.id, c.kind.value))
