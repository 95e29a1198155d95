"""frab/Pentabarf ``schedule.xml`` (frab, pretalx, the CCC, FOSDEM) into a ``Workshop``.

The standard library's parser is enough here: the file is the organizer's own configuration,
not input from strangers, ElementTree never fetches external entities, and expat refuses
entity-expansion bombs.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date, datetime
from functools import partial
from pathlib import Path

from bot.formats.common import ImportOptions, NthLine
from bot.formats.frab_common import build_workshop
from bot.formats.frab_fields import parse_instant
from bot.formats.frab_values import FrabDay, FrabEvent, FrabSchedule
from bot.schedule.errors import Problem, ScheduleError
from bot.schedule.model import Room, Workshop

# What each child of an <event> holds; one look-up per child keeps a thousand events quick.
_TEXT, _RICH, _PERSONS, _LINKS = range(4)
_CHILDREN = {
    **dict.fromkeys(
        ("date", "start", "end", "duration", "room", "title", "subtitle", "type", "track", "url"), _TEXT
    ),
    **dict.fromkeys(("abstract", "description"), _RICH),  # markup may come as elements, not escaped
    "persons": _PERSONS,
    **dict.fromkeys(("links", "attachments"), _LINKS),
}


def load_frab_xml(path: Path, text: str, options: ImportOptions | None = None) -> Workshop:
    """Load a frab/Pentabarf ``schedule.xml``; ``ScheduleError`` names the file, line and event."""
    return build_workshop(_read(path, text), options)


def _read(path: Path, text: str) -> FrabSchedule:
    # The element tree dies when this returns, before sessions are built from its values.
    file = str(path)
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise ScheduleError([Problem(file, f"not well-formed XML: {exc}", exc.position[0])]) from None
    if root.tag != "schedule":
        raise ScheduleError([Problem(file, f"expected a frab/pretalx <schedule>, found <{root.tag}>", 1)])
    conference = root.find("conference")
    if conference is None:
        raise ScheduleError([Problem(file, "no <conference> in <schedule>", 1)])
    days, events, rooms, warnings = [], [], {}, []
    event_lines = NthLine(text, r"<event[\s>/]")
    day_lines = NthLine(text, r"<day[\s>/]")
    for d, day_el in enumerate(root.iterfind("day")):
        day = FrabDay(None, None, None)
        for key in ("date", "start", "end"):
            try:
                value = _date(day_el.get(key)) if key == "date" else _time(day_el, key)
            except ValueError as exc:  # the events may still carry their own dates
                where = f"day {day_el.get('index') or d + 1}"
                warnings.append(Problem(file, f"{exc}; ignored", day_lines.line(d), where))
                continue
            setattr(day, key, value)
        days.append(day)
        # Pentabarf's oldest files list events straight under the day, each naming its room.
        for room_el in [day_el, *day_el.iterfind("room")]:
            name = (room_el.get("name") or "").strip()
            if name:
                rooms.setdefault(name, Room(name))
            for event_el in room_el.iterfind("event"):
                events.append(_event(event_el, day, name, partial(event_lines.line, len(events))))
    title = conference.findtext("title") or conference.findtext("acronym") or path.stem
    return FrabSchedule(
        file=file,
        title=title.strip(),
        time_zone_name=conference.findtext("time_zone_name"),
        url=root.findtext("url") or conference.findtext("url"),
        base_url=conference.findtext("base_url"),
        days=days,
        events=events,
        rooms=list(rooms.values()),
        warnings=warnings,
    )


def _event(el: ET.Element, day: FrabDay, room: str, line: Callable[[], int | None]) -> FrabEvent:
    raw_id = (el.get("id") or "").strip()
    ev = FrabEvent(
        day,
        line,
        id=int(raw_id) if raw_id.isdigit() else raw_id or None,
        guid=(el.get("guid") or "").strip(),
        room=room,
    )
    for child in el:
        holds = _CHILDREN.get(child.tag)
        if holds is _TEXT:
            value = (child.text or "").strip()
            if value or child.tag != "room":  # an empty <room/> keeps the enclosing room's name
                setattr(ev, child.tag, value)
        elif holds is _RICH:
            text = "".join(child.itertext()) if len(child) else child.text or ""
            setattr(ev, child.tag, text.strip())
        elif holds is _PERSONS:
            ev.persons = tuple((p.text or "").strip() for p in child)
        elif holds is _LINKS:
            ev.links += tuple(((r.get("href") or "").strip(), (r.text or "").strip()) for r in child)
    return ev


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"date '{value}' is not a date (YYYY-MM-DD)") from None


def _time(el: ET.Element, key: str) -> datetime | None:
    value = el.get(key)
    if not value:
        return None
    try:
        return parse_instant(value)
    except ValueError:
        raise ValueError(f"{key} '{value}' is not an ISO 8601 date and time") from None
