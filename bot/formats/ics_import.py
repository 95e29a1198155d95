"""iCalendar (``.ics``) into a ``Workshop``: a Google or Outlook calendar, a conference's feed.

Each timed VEVENT becomes a session: SUMMARY the title, LOCATION the room, DESCRIPTION the
description (HTML stripped), URL the session's link and a reading (in calendars this bot wrote,
only the link: they carry their readings as ATTACH), ATTACH links more readings,
CATEGORIES the kind (kept as the original), ORGANIZER and ATTENDEE names the speakers.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from icalendar import Calendar, Event

from bot.formats.common import (
    Draft,
    ImportOptions,
    Line,
    NthLine,
    ReadingBook,
    html_to_text,
    kind_for,
    safe_id,
)
from bot.formats.ics_export import PRODID
from bot.formats.ics_times import Timed, day_change_hour, hour_hint, in_zone, settle_repeats, text_of, zone_of
from bot.schedule.errors import Problem, ScheduleError
from bot.schedule.model import Session, Speaker, Workshop
from bot.schedule.slugs import slugify

_TIME_PROPERTIES = ("DTSTART", "DTEND", "DURATION")


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
    zone = options.timezone or zone_of(calendar, timed, draft)
    if options.timezone is not None:
        named = text_of(calendar.get("X-WR-TIMEZONE"))
        if named and named != zone.key:
            draft.warn(f"X-WR-TIMEZONE '{named}' is overridden by SCHEDULE_TIMEZONE={zone.key}", "calendar")
    for t in timed:
        t.start, t.end = (in_zone(v, zone) if v else None for v in (t.start, t.end))
    timed = settle_repeats(timed, draft)
    hour = day_change_hour(timed, hour_hint(calendar), draft)
    book = ReadingBook()
    url_is_reading = text_of(calendar.get("PRODID")) != PRODID
    for t in timed:
        draft.add(_session(t, hour, book, draft, url_is_reading), t.line)
    name = calendar.calendar_name or path.stem
    return draft.finish(
        name=name.strip(),
        zone=zone,
        rooms=[],
        readings=book.readings,
        url=text_of(calendar.get("URL")) or None,
        day_change_hour=hour,
    )


def _timed(event: Event, n: int, draft: Draft, line: Line) -> Timed | None:
    title = text_of(event.get("SUMMARY"))
    where = f"event '{title}'" if title else f"event #{n + 1}"
    if text_of(event.get("STATUS")).upper() == "CANCELLED":
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
    return Timed(event, where, line, start, end if end != start else None, prop.params.get("TZID"))


def _after(start: datetime, length: timedelta) -> datetime:
    if start.tzinfo is None:
        return start + length
    # Elapsed time, so an event across a DST change lasts as long as it says.
    return (start.astimezone(UTC) + length).astimezone(start.tzinfo)


def _session(t: Timed, hour: int, book: ReadingBook, draft: Draft, url_is_reading: bool) -> Session:
    ev = t.event
    title = text_of(ev.get("SUMMARY"))
    if not title:
        draft.warn("has no title (SUMMARY); listed as '(no title)'", t.where, t.line)
        title = "(no title)"
    day: date = (t.start - timedelta(hours=hour)).date()
    uid = text_of(ev.get("UID"))
    # "abc123@google.com": the part before @ names the event; the domain is the same for all.
    wanted = safe_id(uid.split("@")[0]) if uid.split("@")[0] else f"{day}-{t.start:%H%M}-{slugify(title)}"
    sid = draft.unique_id(wanted)
    if sid != wanted:
        why = " (a changed occurrence of a repeating event shares its UID)" if ev.get("RECURRENCE-ID") else ""
        draft.warn(f"id '{wanted}' is used twice{why}; this one is '{sid}'", t.where, t.line)
    url = text_of(ev.get("URL")) or None
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
        room=text_of(ev.get("LOCATION")) or None,
        readings=tuple(readings),
        description=html_to_text(text_of(ev.get("DESCRIPTION"))),
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
