"""A frab/Pentabarf schedule, read from XML or JSON into one shape, mapped onto sessions.

Both readers hand over the same ``FrabEvent`` values, so what the fields mean lives here once.
What real files do, and what this module does about it:

- A day that runs past midnight (04:00 the next morning): its events keep the day's date, and
  the workshop's ``day_change_hour`` is set so "00:30" still belongs to that night.
- An event without ``date`` (or a day without one): the day's date and the event's ``start``,
  on the next morning when earlier than the day's start.
- A ``time_zone_name`` that disagrees with the offsets on the times: the offsets win (warning).
- Repeated ``id``: pretalx repeats it for a talk given in several slots, so later ones get
  ``-2``, ``-3`` (warning); a repeated ``guid`` is a broken file (error: guids are unique).
- Values of the wrong type (an ``id`` that is not a number, a title that is not text) are
  refused: a file that does not follow the format cannot be read with confidence, so guessing
  would risk a quietly wrong schedule. Missing parts (guid, date, persons, links) are
  derived or left empty, as real files leave them out.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from bot.formats import frab_fields as fields
from bot.formats.common import (
    MAX_DAY_CHANGE_HOUR,
    NO_EVENTS,
    Draft,
    ReadingBook,
    kind_for,
    safe_id,
)
from bot.formats.zones import choose_zone
from bot.schedule.errors import Problem, ScheduleError
from bot.schedule.instants import local_instant
from bot.schedule.model import Room, Session, Speaker, Workshop
from bot.schedule.slugs import slugify


@dataclass
class FrabDay:
    """A day of the schedule as the file gives it; times may lack an offset."""

    date: date | None
    start: datetime | None
    end: datetime | None


@dataclass(slots=True)
class FrabEvent:
    """One event's values as the file gives them (text stripped), not yet interpreted."""

    day: FrabDay
    line: Callable[[], int | None]  # called only for messages: finding lines costs time
    id: Any = None  # a whole number in a good file; anything else is refused here
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


class _Read(NamedTuple):
    """A session as read, before ids and days are settled across the whole file."""

    session: Session
    event: FrabEvent


def build_workshop(schedule: FrabSchedule) -> Workshop:
    """The checked ``Workshop`` of a frab schedule, or ``ScheduleError`` naming every problem."""
    if not schedule.events and not schedule.problems:
        raise ScheduleError([Problem(schedule.file, NO_EVENTS)])
    draft = Draft(schedule.file, problems=list(schedule.problems))
    zone = _zone(schedule, draft)
    book = ReadingBook(schedule.base_url)
    read = [r for ev in schedule.events if (r := _read(ev, zone, book, draft)) is not None]
    _refuse_repeated_guids(read, draft)
    hour = _day_change_hour(schedule.days, [r.session for r in read], zone, draft)
    for session, ev in read:
        sid = draft.unique_id(session.id)
        if sid != session.id:
            draft.warn(
                f"id '{session.id}' is used twice (pretalx repeats it for a talk given in "
                f"several slots); this one is '{sid}'",
                fields.where(ev.id, ev.title),
                ev.line,
            )
        day = (session.start - timedelta(hours=hour)).date()  # as Workshop.day_of counts
        if day != session.day:
            # Session.day must agree with Workshop.day_of, or /schedule and /next disagree.
            draft.warn(
                f"starts {session.start:%Y-%m-%d %H:%M}, outside its day {session.day} "
                f"(days change at {hour:02d}:00); listed on {day}",
                fields.where(ev.id, ev.title),
                ev.line,
            )
        if (sid, day) != (session.id, session.day):  # rare: spare the copy otherwise
            session = replace(session, id=sid, day=day)
        draft.add(session, ev.line)
    return draft.finish(
        name=schedule.title,
        zone=zone,
        rooms=schedule.rooms,
        readings=book.readings,
        url=schedule.url,
        day_change_hour=hour,
    )


def _zone(schedule: FrabSchedule, draft: Draft) -> ZoneInfo:
    times = [t for d in schedule.days for t in (d.start, d.end) if t is not None]
    # Parallel rooms share start times: parse each distinct text once.
    for value in {v for ev in schedule.events for v in (ev.date, ev.end)}:
        if value:
            with suppress(ValueError):  # reported with its event
                times.append(fields.parse_instant(value))
    zone, note = choose_zone(schedule.time_zone_name, times, "time_zone_name")
    if zone is None:
        message = note or "no time zone: no time_zone_name, and no time carries an offset"
        raise ScheduleError([Problem(schedule.file, message, None, "conference")])
    if note:
        draft.warn(note, "conference")
    return zone


def _read(ev: FrabEvent, zone: ZoneInfo, book: ReadingBook, draft: Draft) -> _Read | None:
    try:
        if ev.id is not None and (type(ev.id) is not int or ev.id < 1):
            raise fields.Unreadable(
                f"id {ev.id!r} is not a whole number (frab and pretalx number their events)"
            )
        day, start, end = _instants(ev, zone)
    except fields.Unreadable as exc:
        draft.problem(str(exc), fields.where(ev.id, ev.title), ev.line)
        return None
    title = ev.title
    if not title:
        draft.warn("has no title; listed as '(no title)'", fields.where(ev.id, ev.title), ev.line)
        title = "(no title)"
    if ev.id is not None:
        sid = str(ev.id)
    else:  # the guid, else what the event is: its day, time and title
        sid = safe_id(ev.guid) if ev.guid else f"{day.isoformat()}-{start:%H%M}-{slugify(title)}"
    readings = []
    for url, label in ev.links:
        reading = book.add(sid, url, label)
        if reading is None:
            draft.warn(f"link '{url}' is not a web address; left out", fields.where(ev.id, ev.title), ev.line)
        elif reading not in readings:
            readings.append(reading)
    original = ev.type or None
    session = Session(
        id=sid,
        title=title,
        kind=kind_for(original, title),
        day=day,
        start=start,
        end=end,
        speakers=tuple(Speaker(n) for n in dict.fromkeys(ev.persons) if n),
        room=ev.room or None,
        readings=tuple(readings),
        description=fields.description(ev.subtitle, ev.abstract, ev.description),
        track=ev.track or None,
        original_kind=original,
        url=ev.url or None,
    )
    return _Read(session, ev)


def _instants(ev: FrabEvent, zone: ZoneInfo) -> tuple[date, datetime, datetime | None]:
    """The programme day, start and end (None: open-ended) of an event."""
    day = ev.day
    if ev.date and not ev.end:
        start, end = _span(ev.date, ev.duration, zone)  # the common case
    else:
        start = (
            _in_zone(fields.instant(ev.date, "date"), zone) if ev.date else _start_of_day(day, ev.start, zone)
        )
        end = _in_zone(fields.instant(ev.end, "end"), zone) if ev.end else _plus(start, ev.duration, zone)
    if end is not None and end < start:
        raise fields.Unreadable(f"ends ({end:%Y-%m-%d %H:%M}) before it starts ({start:%Y-%m-%d %H:%M})")
    on = day.date or (_in_zone(day.start, zone).date() if day.start else start.date())
    # A zero duration is a moment, not a slot: open-ended, like "6:30 - later".
    return on, start, end if end != start else None


# Parallel rooms share their slots: a congress of a thousand events has a few dozen distinct
# (date, duration) pairs, so each is worked out once. The values are immutable.
@lru_cache(maxsize=1024)
def _span(when: str, length: str, zone: ZoneInfo) -> tuple[datetime, datetime | None]:
    start = _in_zone(fields.instant(when, "date"), zone)
    return start, _plus(start, length, zone)


def _plus(start: datetime, length: str, zone: ZoneInfo) -> datetime | None:
    if not length:
        return None
    # Elapsed time, so a night across a DST change still lasts as long as it says.
    return (start.astimezone(UTC) + fields.duration(length)).astimezone(zone)


def _start_of_day(day: FrabDay, at: str, zone: ZoneInfo) -> datetime:
    """An event's start from its day's date and its clock time, for files without ``date``."""
    day_start = _in_zone(day.start, zone) if day.start else None
    on = day.date or (day_start.date() if day_start else None)
    if not at:
        raise fields.Unreadable("has no date and no start time")
    if on is None:
        raise fields.Unreadable("has a start time but no date, and its day has no date either")
    clock = fields.clock(at)
    # A clock time earlier than the day's start is the next morning.
    next_morning = day_start is not None and clock < day_start.time()
    return local_instant(on + timedelta(days=1) if next_morning else on, clock, zone)


def _in_zone(value: datetime, zone: ZoneInfo) -> datetime:
    if value.tzinfo is None:  # no offset: a wall-clock time in the schedule's zone
        return local_instant(value.date(), value.time(), zone)
    return value.astimezone(zone)


def _refuse_repeated_guids(read: list[_Read], draft: Draft) -> None:
    # The format promises unique guids; two events with one guid are a copy gone wrong, and
    # calendar UIDs built from them would make one event overwrite the other.
    first: dict[str, FrabEvent] = {}
    for _, ev in read:
        guid = ev.guid.lower()
        if not guid:
            continue
        if guid in first:
            other = first[guid]
            at = other.line()
            draft.problem(
                f"guid {ev.guid} is also the guid of {fields.where(other.id, other.title)}"
                + (f" (line {at})" if at else ""),
                fields.where(ev.id, ev.title),
                ev.line,
            )
        else:
            first[guid] = ev


def _day_change_hour(days: list[FrabDay], sessions: list[Session], zone: ZoneInfo, draft: Draft) -> int:
    """The hour the programme day changes: late enough for every night in the file."""
    hour = 0
    for day in days:
        if day.date and day.end:
            hour = max(hour, _hours_into_next_day(_in_zone(day.end, zone), day.date, is_day_end=True))
    for s in sessions:  # their instants are in the zone already
        for local in (s.start, s.end):
            if local:
                hour = max(hour, _hours_into_next_day(local, s.day, is_day_end=False))
    if hour > MAX_DAY_CHANGE_HOUR:
        draft.warn(
            f"a day runs until {hour:02d}:00 the next day; the bot's days end by "
            f"{MAX_DAY_CHANGE_HOUR}:00 the next day",
            "conference",
        )
    return min(hour, MAX_DAY_CHANGE_HOUR)


def _hours_into_next_day(local: datetime, day: date, is_day_end: bool) -> int:
    """The day change hour that keeps ``local`` on ``day``: 0 when it is on that date.

    A day ending at 04:00 the next morning needs 4; an event ending at 04:00 needs 5, because
    the bot's own format reads clock times before the change hour as the next morning.
    """
    if local.date() <= day:
        return 0
    if local.date() > day + timedelta(days=1):
        return 24
    if is_day_end:
        return local.hour + (1 if local.minute or local.second else 0)
    return local.hour + 1
