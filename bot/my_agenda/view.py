"""A person's day from their picks: pure functions of the schedule, the picks and ``now``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.agenda import Status, default_day
from bot.schedule.model import Session, Workshop


@dataclass(frozen=True)
class MyItem:
    """One picked session, where it stands at ``now``, and the other picks it clashes with."""

    session: Session
    status: Status
    clashes: tuple[Session, ...] = ()


@dataclass(frozen=True)
class MyDay:
    """``/mine``: the caller's picks of one day (None: every day), marked past/now/next."""

    workshop: Workshop
    day: date | None
    now: datetime
    items: tuple[MyItem, ...]
    total: int  # picks in the whole workshop, shown or not
    lead_minutes: int | None  # the caller's reminder lead; None when off
    gone: int = 0  # picks whose session is no longer in the schedule
    # The reader's own zone where it differs from the workshop's: times show in both.
    reader_zone: ZoneInfo | None = None

    @property
    def clashes(self) -> int:
        """How many of the shown picks overlap another pick."""
        return sum(1 for item in self.items if item.clashes)


def _end(workshop: Workshop, session: Session) -> datetime:
    return session.effective_end(workshop.day_end(session.day))


def overlaps(workshop: Workshop, a: Session, b: Session) -> bool:
    """Whether two sessions run at once (a session without an end runs to its day's end)."""
    return a.start < _end(workshop, b) and b.start < _end(workshop, a)


def clashes_of(workshop: Workshop, sessions: list[Session]) -> dict[str, tuple[Session, ...]]:
    """For each session, the others of ``sessions`` running at the same time."""
    ordered = sorted(sessions, key=lambda s: s.start)
    found: dict[str, list[Session]] = {s.id: [] for s in ordered}
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if b.start >= _end(workshop, a):
                break
            if overlaps(workshop, a, b):
                found[a.id].append(b)
                found[b.id].append(a)
    return {k: tuple(v) for k, v in found.items()}


_ORDER: dict[int, tuple[Workshop, dict[str, int]]] = {}


def _order(workshop: Workshop) -> dict[str, int]:
    """Session id -> its place in the schedule, made once per schedule version (a congress's
    2,000 sessions are not walked for each person's ten)."""
    hit = _ORDER.get(id(workshop))
    if hit is not None and hit[0] is workshop:
        return hit[1]
    order = {s.id: i for i, s in enumerate(workshop.sessions)}
    if len(_ORDER) >= 4:
        _ORDER.clear()
    _ORDER[id(workshop)] = (workshop, order)
    return order


def picked_sessions(workshop: Workshop, picks: Iterable[str]) -> tuple[list[Session], int]:
    """The schedule's sessions among ``picks``, in order, and how many picks it no longer has."""
    order = _order(workshop)
    wanted = set(picks)
    places = sorted(order[sid] for sid in wanted if sid in order)
    return [workshop.sessions[i] for i in places], len(wanted) - len(places)


def my_day(
    workshop: Workshop,
    picks: Iterable[str],
    now: datetime,
    day: date | None,
    lead_minutes: int | None,
    every_day: bool = False,
) -> MyDay:
    """The caller's ``day`` (None: the day they would want: today, else their next day with
    a pick), or every day with ``every_day``."""
    sessions, gone = picked_sessions(workshop, picks)
    if not every_day and day is None:
        day = _their_day(workshop, sessions, now)
    shown = sessions if every_day else [s for s in sessions if s.day == day]
    clashes = clashes_of(workshop, sessions)
    running = [s for s in shown if s.is_on(now, workshop.day_end(s.day))]
    ahead = [s for s in shown if s.start > now]
    next_start = ahead[0].start if ahead else None
    items = []
    for s in shown:
        if s in running:
            status = Status.NOW
        elif s.start == next_start:
            status = Status.NEXT
        elif s.start <= now:
            status = Status.PAST
        else:
            status = Status.LATER
        items.append(MyItem(s, status, clashes.get(s.id, ())))
    return MyDay(workshop, None if every_day else day, now, tuple(items), len(sessions), lead_minutes, gone)


def _their_day(workshop: Workshop, sessions: list[Session], now: datetime) -> date:
    today = default_day(workshop, now)
    if any(s.day == today for s in sessions):
        return today
    later = [s.day for s in sessions if s.day > today]
    return later[0] if later else today


def other_zone(name: str | None, workshop: Workshop, now: datetime) -> ZoneInfo | None:
    """The reader's zone when it is a real one whose clock differs from the workshop's now
    (Vancouver and Los Angeles read the same, so nothing extra shows)."""
    if not name:
        return None
    # Offsets change only at a zone's transitions, on the hour: one answer an hour.
    return _other_zone(name, workshop.timezone, int(now.timestamp()) // 3600 * 3600)


@lru_cache(maxsize=1024)
def _other_zone(name: str, workshop_zone: ZoneInfo, hour: int) -> ZoneInfo | None:
    now = datetime.fromtimestamp(hour, workshop_zone)
    try:
        zone = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return zone if now.astimezone(zone).utcoffset() != now.utcoffset() else None
