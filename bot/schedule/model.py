"""The schedule as immutable values: a workshop, its sessions, rooms and readings.

Every datetime here is timezone-aware. A session belongs to a ``day`` (the programme day it
is listed under), which can differ from its calendar date when a day runs past midnight.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import cached_property
from zoneinfo import ZoneInfo

from bot.bidi import balanced_bidi


def _balance(value: object, *names: str) -> None:
    """Balance the bidi controls of ``value``'s text fields in place (a frozen dataclass's
    own ``__post_init__``): a title from a proposal or an import can then never leave a
    right-to-left override open over whatever the bot writes after it, wherever it is shown."""
    for name in names:
        text = getattr(value, name)
        if text:
            object.__setattr__(value, name, balanced_bidi(text))


class Kind(StrEnum):
    """What sort of session this is; decides its icon and whether it is announced."""

    TALK = "talk"
    READING = "reading"
    DISCUSSION = "discussion"
    MEAL = "meal"
    LOGISTICS = "logistics"
    UNCONFERENCE = "unconference"

    @property
    def label(self) -> str:
        """Human label, e.g. ``reading & discussion``."""
        return _KIND_LABELS[self]


_KIND_LABELS = {
    Kind.TALK: "talk + Q&A",
    Kind.READING: "reading & discussion",
    Kind.DISCUSSION: "discussion",
    Kind.MEAL: "meal or break",
    Kind.LOGISTICS: "logistics",
    Kind.UNCONFERENCE: "unconference",
}


@dataclass(frozen=True)
class Speaker:
    """A person giving or leading a session."""

    name: str
    affiliation: str | None = None

    def __post_init__(self) -> None:
        _balance(self, "name", "affiliation")

    def __str__(self) -> str:
        return f"{self.name} ({self.affiliation})" if self.affiliation else self.name


@dataclass(frozen=True)
class Reading:
    """A paper or post to read for a session."""

    id: str
    title: str
    url: str
    authors: tuple[str, ...] = ()
    year: int | None = None
    minutes: int | None = None
    required: bool = True
    topics: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _balance(self, "title")

    @property
    def authors_short(self) -> str:
        """Authors as a short byline: 'A', 'A and B', or 'A et al.'."""
        if not self.authors:
            return ""
        if len(self.authors) == 1:
            return self.authors[0]
        if len(self.authors) == 2:
            return f"{self.authors[0]} and {self.authors[1]}"
        return f"{self.authors[0]} et al."


@dataclass(frozen=True)
class Room:
    """A room of the venue; capacity orders rooms for unconference planning."""

    name: str
    capacity: int | None = None


@dataclass(frozen=True)
class Session:
    """One item of the programme."""

    id: str
    title: str
    kind: Kind
    day: date
    start: datetime
    end: datetime | None = None
    speakers: tuple[Speaker, ...] = ()
    room: str | None = None
    optional: bool = False
    readings: tuple[Reading, ...] = ()
    description: str = ""
    track: str | None = None
    original_kind: str | None = None
    url: str | None = None

    def __post_init__(self) -> None:
        _balance(self, "title", "room")

    @property
    def open_ended(self) -> bool:
        """True for sessions such as '6:30 - later' that have no fixed end."""
        return self.end is None

    def effective_end(self, day_end: datetime) -> datetime:
        """The end used for "is it on now?": its own end, or the end of its day if open."""
        return self.end if self.end is not None else max(day_end, self.start)

    def is_on(self, now: datetime, day_end: datetime) -> bool:
        """Whether the session is running at ``now``."""
        return self.start <= now < self.effective_end(day_end)


@dataclass(frozen=True)
class UnconferenceBlock:
    """Where and how the unconference is held: the block's session, rooms and slot length."""

    session_id: str
    rooms: tuple[Room, ...]
    slot_minutes: int = 60


@dataclass(frozen=True)
class Workshop:
    """The whole schedule: sessions sorted by start time, with their days and readings."""

    name: str
    timezone: ZoneInfo
    sessions: tuple[Session, ...]
    venue: str | None = None
    rooms: tuple[Room, ...] = ()
    readings: tuple[Reading, ...] = ()
    unconference: UnconferenceBlock | None = None
    url: str | None = None
    # Programme days end at this hour of the next calendar day (0 = midnight); schedules
    # whose nights run to 04:00 set it, so a 00:30 event still belongs to its night.
    day_change_hour: int = 0
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @property
    def days(self) -> tuple[date, ...]:
        """The programme days, in order."""
        return tuple(sorted({s.day for s in self.sessions}))

    def day_end(self, day: date) -> datetime:
        """The instant a programme day ends: midnight after it, or ``day_change_hour`` later."""
        next_day = day + timedelta(days=1)
        naive = datetime(next_day.year, next_day.month, next_day.day, self.day_change_hour)
        return naive.replace(tzinfo=self.timezone)

    def day_of(self, instant: datetime) -> date:
        """The programme day an instant belongs to (00:30 belongs to the night before when
        ``day_change_hour`` is later than 0)."""
        local = instant.astimezone(self.timezone)
        return (local - timedelta(hours=self.day_change_hour)).date()

    def sessions_on(self, day: date) -> tuple[Session, ...]:
        """Sessions of one programme day, in order."""
        return tuple(s for s in self.sessions if s.day == day)

    def session(self, session_id: str) -> Session | None:
        """The session with this id, if any."""
        return next((s for s in self.sessions if s.id == session_id), None)

    @cached_property
    def _timeline(self) -> tuple[list[datetime], list[datetime], timedelta]:
        """Starts (sorted), effective ends, and the longest session, for fast look-ups."""
        starts = [s.start for s in self.sessions]
        ends = [s.effective_end(self.day_end(s.day)) for s in self.sessions]
        longest = max((e - s for s, e in zip(starts, ends, strict=True)), default=timedelta(0))
        return starts, ends, longest

    def running_at(self, now: datetime) -> tuple[Session, ...]:
        """Sessions on at ``now``; only those that started within the longest session's
        length are looked at, so a big programme costs no more than a small one."""
        starts, ends, longest = self._timeline
        first = bisect.bisect_left(starts, now - longest)
        last = bisect.bisect_right(starts, now)
        return tuple(self.sessions[i] for i in range(first, last) if now < ends[i])

    def index_after(self, now: datetime) -> int:
        """Index of the first session that starts after ``now``."""
        return bisect.bisect_right(self._timeline[0], now)
