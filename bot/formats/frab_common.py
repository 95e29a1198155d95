"""A frab/Pentabarf schedule, read from XML or JSON into one shape, mapped onto sessions.

Both readers hand over the same ``FrabEvent`` values, so what the fields mean lives here once.
What real files do, and what this module does about it:

- A day that runs past midnight (04:00 the next morning): its events keep the day's date, and
  the workshop's ``day_change_hour`` is set so "00:30" still belongs to that night.
- An event without ``date`` (or a day without one): the day's date and the event's ``start``,
  on the next morning when earlier than the day's start.
- The zone: ``SCHEDULE_TIMEZONE``, else ``time_zone_name``, else the offsets (``zones``).
- Days: where the file gives each day's start and end, an event belongs to the day whose
  span holds its start, so a night that runs to 06:00 stays on its day.
- Repeated ``guid`` (or ``id`` without guids): merged exports list a workshop held twice, and
  pretalx repeats an id for a talk given in several slots. Each occurrence is a session of its
  own; in start order the first keeps the id and later ones get ``-2``, ``-3`` (stable across
  reloads of the same file); an exact repeat (same start and room) is kept once. Warnings.
- A value that cannot be read in one event (an odd type, a date that is no date) is a warning
  on that event: the field is left out, or the event when it has no usable time. One odd event
  never refuses a schedule of a thousand good ones; only a file with no usable event is.
  Missing parts (guid, date, persons, links) are derived or left empty, as real files leave
  them out.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from bot.formats import frab_fields as fields
from bot.formats.common import (
    NO_EVENTS,
    Draft,
    ImportOptions,
    ReadingBook,
    kind_for,
    safe_id,
)
from bot.formats.frab_settle import by_spans, day_change_hour, settle_repeats
from bot.formats.frab_values import FrabDay, FrabEvent, FrabSchedule, Read
from bot.formats.zones import NoZone, choose_zone
from bot.schedule.errors import Problem, ScheduleError
from bot.schedule.instants import local_instant
from bot.schedule.model import Session, Speaker, Workshop
from bot.schedule.slugs import slugify


def build_workshop(schedule: FrabSchedule, options: ImportOptions | None = None) -> Workshop:
    """The checked ``Workshop`` of a frab schedule, or ``ScheduleError`` naming every problem."""
    options = options or ImportOptions()
    if not schedule.events and not schedule.problems:
        raise ScheduleError([Problem(schedule.file, NO_EVENTS)])
    draft = Draft(schedule.file, problems=list(schedule.problems), warnings=list(schedule.warnings))
    zone = _zone(schedule, draft, options.timezone)
    book = ReadingBook(schedule.base_url)
    read = [r for ev in schedule.events if (r := _read(ev, zone, book, draft)) is not None]
    read = by_spans(settle_repeats(read, draft), schedule.days, zone)
    hour = day_change_hour(schedule.days, [r.session for r in read], zone, draft)
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


def _zone(schedule: FrabSchedule, draft: Draft, override: ZoneInfo | None) -> ZoneInfo:
    times = [t for d in schedule.days for t in (d.start, d.end) if t is not None]
    clocks: list[tuple[datetime, time]] = []
    # Parallel rooms share start times: parse each distinct text (and pair of texts) once.
    seen: dict[str, datetime | None] = {}
    pairs: set[tuple[str, str]] = set()
    for ev in schedule.events:
        for value in (ev.date, ev.end):
            if value and value not in seen:
                seen[value] = None
                with suppress(ValueError):  # reported with its event
                    seen[value] = fields.parse_instant(value)
                    times.append(seen[value])
        if ev.date and ev.start:
            pairs.add((ev.date, ev.start))
    for when, at in sorted(pairs):  # sorted: the same file always gives the same message
        instant = seen.get(when)
        if instant is not None:
            with suppress(fields.Unreadable):
                clocks.append((instant, fields.clock(at)))
    try:
        zone, notes = choose_zone(
            schedule.time_zone_name, times, "time_zone_name", wall_clocks=clocks, override=override
        )
    except NoZone as exc:
        raise ScheduleError([Problem(schedule.file, str(exc), None, "conference")]) from None
    for note in notes:
        draft.warn(note, "conference")
    return zone


def _read(ev: FrabEvent, zone: ZoneInfo, book: ReadingBook, draft: Draft) -> Read | None:
    def warn(message: str) -> None:  # how the event is named is worked out only for a warning
        draft.warn(message, fields.where(ev.id, ev.title), ev.line)

    raw_id = ev.id
    if raw_id is not None and not _usable_id(raw_id):
        warn(f"id {raw_id!r} cannot name an event; its guid or time names it instead")
        raw_id = None
    try:
        day, start, end, note = _instants(ev, zone)
    except fields.Unreadable as exc:
        warn(f"{exc}; left out")
        return None
    if note:
        warn(note)
    title = ev.title
    if not title:
        warn("has no title; listed as '(no title)'")
        title = "(no title)"
    if raw_id is not None:
        sid = str(raw_id) if type(raw_id) is int else safe_id(raw_id)
    else:  # the guid, else what the event is: its day, time and title
        sid = safe_id(ev.guid) if ev.guid else f"{day.isoformat()}-{start:%H%M}-{slugify(title)}"
    readings = []
    for url, label in ev.links:
        reading = book.add(sid, url, label)
        if reading is None:
            warn(f"link '{url}' is not a web address; left out")
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
    return Read(session, ev)


def _usable_id(raw: Any) -> bool:
    if type(raw) is int:
        return raw >= 0
    return isinstance(raw, str) and bool(safe_id(raw))


def _instants(ev: FrabEvent, zone: ZoneInfo) -> tuple[date, datetime, datetime | None, str | None]:
    """The programme day, start, end (None: open-ended) of an event, and what was guessed."""
    day = ev.day
    note = None
    if ev.date and not ev.end:
        start = _start(ev.date, zone)
        try:
            end = _plus(start, ev.duration, zone)
        except fields.Unreadable as exc:
            end, note = None, f"{exc}; shown without an end"
    else:
        start = _start(ev.date, zone) if ev.date else _start_of_day(day, ev.start, zone)
        try:
            end = (
                fields.in_zone(fields.instant(ev.end, "end"), zone)
                if ev.end
                else _plus(start, ev.duration, zone)
            )
        except fields.Unreadable as exc:
            end, note = None, f"{exc}; shown without an end"
    if end is not None and end < start:
        note = f"ends ({end:%Y-%m-%d %H:%M}) before it starts ({start:%Y-%m-%d %H:%M}); shown without an end"
        end = None
    on = day.date or (fields.in_zone(day.start, zone).date() if day.start else start.date())
    # A zero duration is a moment, not a slot: open-ended, like "6:30 - later".
    return on, start, end if end != start else None, note


# Parallel rooms share their slots: a congress of a thousand events has a few dozen distinct
# starts and lengths, so each is worked out once. The values are immutable.
@lru_cache(maxsize=1024)
def _start(when: str, zone: ZoneInfo) -> datetime:
    return fields.in_zone(fields.instant(when, "date"), zone)


@lru_cache(maxsize=1024)
def _plus(start: datetime, length: str, zone: ZoneInfo) -> datetime | None:
    if not length:
        return None
    # Elapsed time, so a night across a DST change still lasts as long as it says.
    return (start.astimezone(UTC) + fields.duration(length)).astimezone(zone)


def _start_of_day(day: FrabDay, at: str, zone: ZoneInfo) -> datetime:
    """An event's start from its day's date and its clock time, for files without ``date``."""
    day_start = fields.in_zone(day.start, zone) if day.start else None
    on = day.date or (day_start.date() if day_start else None)
    if not at:
        raise fields.Unreadable("has no date and no start time")
    if on is None:
        raise fields.Unreadable("has a start time but no date, and its day has no date either")
    clock = fields.clock(at)
    # A clock time earlier than the day's start is the next morning.
    next_morning = day_start is not None and clock < day_start.time()
    return local_instant(on + timedelta(days=1) if next_morning else on, clock, zone)
