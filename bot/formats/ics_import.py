"""iCalendar (``.ics``) into a ``Workshop``: a Google or Outlook calendar, a conference's feed.

Each timed VEVENT becomes a session: SUMMARY the title, LOCATION the room, DESCRIPTION the
description (HTML stripped), URL the session's link and a reading (in calendars this bot wrote,
only the link: they carry their readings as ATTACH), ATTACH links more readings,
CATEGORIES the kind (kept as the original), ORGANIZER and ATTENDEE names the speakers.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from bot.formats.common import (
    MAX_DAY_CHANGE_HOUR,
    Draft,
    ImportOptions,
    Line,
    NthLine,
    ReadingBook,
    html_to_text,
    kind_for,
    safe_id,
)
from bot.formats.ics_export import DAY_CHANGE_PROPERTY, PRODID
from bot.formats.zones import HOW_TO_SET, NoZone, choose_zone, named_zone
from bot.schedule.errors import Problem, ScheduleError
from bot.schedule.instants import local_instant
from bot.schedule.model import Session, Speaker, Workshop
from bot.schedule.slugs import slugify

# A night ends by 06:00: an event running later the next morning is an overnight one (a
# hackathon), and moving the day change that late would put breakfast on the day before.
_NIGHT_ENDS = 6
_TIME_PROPERTIES = ("DTSTART", "DTEND", "DURATION")


@dataclass
class _Timed:
    """A timed VEVENT with its instants; floating times get the zone once it is known."""

    event: Event
    where: str
    line: Line
    start: datetime
    end: datetime | None
    tzid: str | None


def load_ics(path: Path, text: str, options: ImportOptions | None = None) -> Workshop:
    """Load an iCalendar file; ``ScheduleError`` names the file, line and event."""
    options = options or ImportOptions()
    file = str(path)
    try:
        calendar = Calendar.from_ical(text)
    # icalendar raises more than ValueError on some broken files (AttributeError from its time
    # zone parser, found by the property tests): any failure to parse is an unreadable file.
    except Exception as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ScheduleError([Problem(file, f"not an iCalendar file that can be read: {first}")]) from None
    if not isinstance(calendar, Calendar):  # BEGIN:VCALENDAR misspelt into another component
        raise ScheduleError(
            [Problem(file, "not an iCalendar file that can be read: it holds no VCALENDAR", 1)]
        )
    draft = Draft(file)
    lines = NthLine(text, r"(?i)^BEGIN:VEVENT\b")
    timed = [
        t
        for n, ev in enumerate(calendar.events)
        if (t := _timed(ev, n, draft, partial(lines.line, n))) is not None
    ]
    zone = options.timezone or _zone(calendar, timed, draft)
    if options.timezone is not None:
        named = _text(calendar.get("X-WR-TIMEZONE"))
        if named and named != zone.key:
            draft.warn(f"X-WR-TIMEZONE '{named}' is overridden by SCHEDULE_TIMEZONE={zone.key}", "calendar")
    for t in timed:
        t.start, t.end = (_in_zone(v, zone) if v else None for v in (t.start, t.end))
    timed = _settle_repeats(timed, draft)
    hour = _day_change_hour(timed, _hour_hint(calendar), draft)
    book = ReadingBook()
    url_is_reading = _text(calendar.get("PRODID")) != PRODID
    for t in timed:
        draft.add(_session(t, hour, book, draft, url_is_reading), t.line)
    name = calendar.calendar_name or path.stem
    return draft.finish(
        name=name.strip(),
        zone=zone,
        rooms=[],
        readings=book.readings,
        url=_text(calendar.get("URL")) or None,
        day_change_hour=hour,
    )


def _timed(event: Event, n: int, draft: Draft, line: Line) -> _Timed | None:
    title = _text(event.get("SUMMARY"))
    where = f"event '{title}'" if title else f"event #{n + 1}"
    if _text(event.get("STATUS")).upper() == "CANCELLED":
        draft.warn("is cancelled; left out", where, line)
        return None
    for name, message in event.errors:
        if name in _TIME_PROPERTIES:
            draft.warn(f"{name} cannot be read: {message}; left out", where, line)
            return None
    prop = _first(event.get("DTSTART"))
    if prop is None:
        draft.warn("has no DTSTART, so no time; left out", where, line)
        return None
    start = getattr(prop, "dt", None)
    if not isinstance(start, datetime):
        draft.warn("is an all-day event; the bot's sessions have times, so it is left out", where, line)
        return None
    end = None
    dtend, length = _first(event.get("DTEND")), _first(event.get("DURATION"))
    if dtend is not None and isinstance(getattr(dtend, "dt", None), datetime):
        end = dtend.dt
    elif length is not None and isinstance(getattr(length, "dt", None), timedelta):
        end = _after(start, length.dt)
    if end is not None and (end.tzinfo is None) != (start.tzinfo is None):
        draft.warn("DTEND and DTSTART differ in having a time zone; shown without an end", where, line)
        end = None
    if end is not None and end < start:
        draft.warn(
            f"DTEND {end:%Y-%m-%d %H:%M} is before DTSTART {start:%Y-%m-%d %H:%M}; shown without an end",
            where,
            line,
        )
        end = None
    if event.get("RRULE") is not None:
        draft.warn("repeats (RRULE); only its first occurrence is imported", where, line)
    # No end, or an end equal to the start, is a moment: open-ended, like "6:30 - later".
    return _Timed(event, where, line, start, end if end != start else None, prop.params.get("TZID"))


def _after(start: datetime, length: timedelta) -> datetime:
    if start.tzinfo is None:
        return start + length
    # Elapsed time, so an event across a DST change lasts as long as it says.
    return (start.astimezone(UTC) + length).astimezone(start.tzinfo)


def _zone(calendar: Calendar, timed: list[_Timed], draft: Draft) -> ZoneInfo:
    """The zone to show times in: the events' own zone; the calendar's name for it only when
    the events carry none (UTC or floating times, as Google exports)."""
    calendar_zone = _text(calendar.get("X-WR-TIMEZONE")) or None
    keys = Counter(
        t.start.tzinfo.key
        for t in timed
        if isinstance(t.start.tzinfo, ZoneInfo) and t.start.tzinfo.key != "UTC"
    )
    if keys:
        zone = ZoneInfo(keys.most_common(1)[0][0])
        if calendar_zone and calendar_zone != zone.key:
            draft.warn(
                f"X-WR-TIMEZONE '{calendar_zone}' is not the zone of the events' times; "
                f"they are in {zone.key}, which wins",
                "calendar",
            )
        return zone
    # Zones defined only by a VTIMEZONE of their own ("Custom Berlin"): match their offsets.
    custom = [t for t in timed if t.start.tzinfo is not None and not _is_utc(t.start)]
    if custom:
        name, label = (calendar_zone, "X-WR-TIMEZONE") if calendar_zone else (custom[0].tzid, "TZID")
        times = [v for t in custom for v in (t.start, t.end) if v is not None]
        try:
            zone, notes = choose_zone(name, times, label)
        except NoZone as exc:
            raise ScheduleError([Problem(draft.file, str(exc), None, "calendar")]) from None
        for note in notes:
            draft.warn(note, "calendar")
        return zone
    zone = named_zone(calendar_zone)
    if zone is not None:
        return zone
    if calendar_zone:
        draft.warn(
            f"X-WR-TIMEZONE '{calendar_zone}' is not a known time zone; times are shown in UTC", "calendar"
        )
    if any(t.start.tzinfo is None for t in timed):
        raise ScheduleError(
            [
                Problem(
                    draft.file,
                    "times have no time zone (no TZID, no Z) and the calendar names none "
                    f"(X-WR-TIMEZONE); {HOW_TO_SET}",
                    None,
                    "calendar",
                )
            ]
        )
    if timed:
        # UTC says when, not where: a conference is rarely held on UTC's clock.
        draft.warn(
            f"times are in UTC and the calendar names no zone (X-WR-TIMEZONE), so they are shown in UTC; {HOW_TO_SET}",
            "calendar",
        )
    return ZoneInfo("UTC")


def _settle_repeats(timed: list[_Timed], draft: Draft) -> list[_Timed]:
    """One session per occurrence: events sharing a UID at different times are sessions of
    their own (ids in start order, so stable across reloads); an exact repeat is kept once."""
    timed = sorted(timed, key=lambda t: t.start)  # stable: parallel events keep file order
    seen: dict[tuple[str, datetime, datetime | None, str], _Timed] = {}
    kept = []
    for t in timed:
        uid = _text(t.event.get("UID"))
        key = (uid, t.start, t.end, _text(t.event.get("LOCATION")))
        if (
            uid
            and key in seen
            and _text(t.event.get("RECURRENCE-ID")) == _text(seen[key].event.get("RECURRENCE-ID"))
        ):
            draft.warn(f"is listed twice (UID {uid}, same start and place); kept once", t.where, t.line)
            continue
        seen[key] = t
        kept.append(t)
    return kept


def _is_utc(value: datetime) -> bool:
    return value.utcoffset() == timedelta(0) and getattr(value.tzinfo, "key", "UTC") == "UTC"


def _in_zone(value: datetime, zone: ZoneInfo) -> datetime:
    if value.tzinfo is None:  # floating: wall-clock time wherever the workshop is
        return local_instant(value.date(), value.time(), zone)
    return value.astimezone(zone)


def _day_change_hour(timed: list[_Timed], hint: int, draft: Draft) -> int:
    """Late enough that an event running past midnight stays on the night it started."""
    # The bot's own format reads clock times before the change hour as the next morning, so
    # an event ending at 01:30 needs the day to change at 02:00.
    nights = [
        (t, t.end.hour + 1 if t.end.date() == t.start.date() + timedelta(days=1) else 24)
        for t in timed
        if t.end is not None and t.end.date() > t.start.date()
    ]
    hour = max([hint, *(need for _, need in nights if need <= _NIGHT_ENDS)])
    for t, need in nights:
        if need > hour:
            draft.warn(
                f"runs overnight to {t.end:%Y-%m-%d %H:%M}; the bot's own format cannot hold "
                f"an end after {hour:02d}:00 the next day",
                t.where,
                t.line,
            )
    return hour


def _hour_hint(calendar: Calendar) -> int:
    """The day change hour this bot's own export wrote, if the calendar is one of those."""
    hint = _text(calendar.get(DAY_CHANGE_PROPERTY))
    return int(hint) if hint.isdigit() and int(hint) <= MAX_DAY_CHANGE_HOUR else 0


def _session(t: _Timed, hour: int, book: ReadingBook, draft: Draft, url_is_reading: bool) -> Session:
    ev = t.event
    title = _text(ev.get("SUMMARY"))
    if not title:
        draft.warn("has no title (SUMMARY); listed as '(no title)'", t.where, t.line)
        title = "(no title)"
    day: date = (t.start - timedelta(hours=hour)).date()
    uid = _text(ev.get("UID"))
    # "abc123@google.com": the part before @ names the event; the domain is the same for all.
    wanted = safe_id(uid.split("@")[0]) if uid.split("@")[0] else f"{day}-{t.start:%H%M}-{slugify(title)}"
    sid = draft.unique_id(wanted)
    if sid != wanted:
        why = " (a changed occurrence of a repeating event shares its UID)" if ev.get("RECURRENCE-ID") else ""
        draft.warn(f"id '{wanted}' is used twice{why}; this one is '{sid}'", t.where, t.line)
    url = _text(ev.get("URL")) or None
    links: list[tuple[str, str | None]] = [(url, None)] if url and url_is_reading else []
    for attach in _many(ev.get("ATTACH")):
        if attach.params.get("VALUE", "").upper() != "BINARY" and not attach.params.get("ENCODING"):
            p = attach.params
            links.append((str(attach), p.get("LABEL") or p.get("FILENAME") or p.get("X-FILENAME")))
    readings = []
    for link, label in links:
        reading = book.add(sid, link, label)
        if reading is None:
            draft.warn(f"link '{link}' is not a web address; left out", t.where, t.line)
        elif reading not in readings:
            readings.append(reading)
    original = next((c.strip() for c in ev.categories if c.strip()), None)
    return Session(
        id=sid,
        title=title,
        kind=kind_for(original, title),
        day=day,
        start=t.start,
        end=t.end,
        speakers=_speakers(ev),
        room=_text(ev.get("LOCATION")) or None,
        readings=tuple(readings),
        description=html_to_text(_text(ev.get("DESCRIPTION"))),
        original_kind=original,
        url=url,
    )


def _speakers(event: Event) -> tuple[Speaker, ...]:
    """Who leads it: the organizer and attendees, by the names (CN) the calendar gives."""
    names = []
    for person in [*_many(event.get("ORGANIZER")), *_many(event.get("ATTENDEE"))]:
        if str(person.params.get("ROLE", "")).upper() == "NON-PARTICIPANT":
            continue
        name = str(person.params.get("CN", "")).strip()
        if name:
            names.append(name)
    return tuple(Speaker(n) for n in dict.fromkeys(names))


def _first(value: Any) -> Any:
    """One property: a calendar that writes DTSTART twice means the first."""
    return value[0] if isinstance(value, list) and value else value if not isinstance(value, list) else None


def _many(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value: Any) -> str:
    return str(value).strip() if value is not None else ""
