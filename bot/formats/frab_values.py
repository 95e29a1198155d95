"""A frab/Pentabarf schedule as its readers find it (XML or JSON alike), before any checking:
the values every step of the frab import passes along."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

from bot.schedule.errors import Problem
from bot.schedule.model import Room, Session


@dataclass
class FrabDay:
    """A day of the schedule as the file gives it; times may lack an offset."""

    date: date | None
    start: datetime | None
    end: datetime | None


NO_DAY = FrabDay(None, None, None)  # events of files that list them outside days


@dataclass(slots=True)
class FrabEvent:
    """One event's values as the file gives them (text stripped), not yet interpreted."""

    day: FrabDay
    line: Callable[[], int | None]  # called only for messages: finding lines costs time
    id: Any = None  # a whole number in frab and pretalx; text in some other tools
    guid: str = ""
    title: str = ""
    date: str = ""
    start: str = ""
    end: str = ""
    duration: str = ""
    room: str = ""
    type: str = ""
    track: str = ""
    url: str = ""
    subtitle: str = ""
    abstract: str = ""
    description: str = ""
    persons: tuple[str, ...] = ()
    links: tuple[tuple[str, str], ...] = ()  # (url, title) of links and attachments


@dataclass
class FrabSchedule:
    """Everything a reader found in the file, before any checking."""

    file: str
    title: str
    time_zone_name: str | None
    url: str | None
    base_url: str | None
    days: list[FrabDay]
    events: list[FrabEvent]
    rooms: list[Room] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # found while reading
    warnings: list[Problem] = field(default_factory=list)  # read with a guess while reading


class Read(NamedTuple):
    """A session as read, before ids and days are settled across the whole file."""

    session: Session
    event: FrabEvent
