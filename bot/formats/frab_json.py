"""The JSON form of the frab schedule (pretalx ``schedule.json``, frab's JSON export)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from bot.formats.frab_common import FrabDay, FrabEvent, FrabSchedule, build_workshop
from bot.formats.frab_fields import Unreadable, parse_instant, where
from bot.schedule.errors import Problem, ScheduleError
from bot.schedule.model import Room, Workshop

_TEXT = (
    "guid",
    "date",
    "start",
    "end",
    "duration",
    "room",
    "title",
    "subtitle",
    "type",
    "track",
    "url",
    "abstract",
    "description",
)


def load_frab_json(path: Path, text: str) -> Workshop:
    """Load a pretalx/frab ``schedule.json``; ``ScheduleError`` names the file, line and event."""
    file = str(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ScheduleError([Problem(file, f"not valid JSON: {exc.msg}", exc.lineno)]) from None
    schedule = data.get("schedule") if isinstance(data, dict) else None
    conference = schedule.get("conference") if isinstance(schedule, dict) else None
    if not isinstance(conference, dict) or not isinstance(conference.get("days"), list):
        raise ScheduleError(
            [Problem(file, "expected a frab/pretalx schedule: schedule > conference > days", 1)]
        )
    days, events, problems = [], [], []
    rooms = {r.name: r for r in _rooms(conference.get("rooms"))}
    for n, day_data in enumerate(conference["days"], start=1):
        try:
            day, day_rooms = _day(day_data)
        except ValueError as exc:
            problems.append(Problem(file, str(exc), None, f"day {n}"))
            continue
        days.append(day)
        for name, room_events in day_rooms.items():
            if name.strip():
                rooms.setdefault(name, Room(name))
            if not isinstance(room_events, list):
                problems.append(
                    Problem(file, f"room '{name}' should hold a list of events", None, f"day {n}")
                )
                continue
            for raw in room_events:
                line = partial(_line, text, raw)  # searched only if a message needs it
                try:
                    events.append(_event(raw, day, name, line))
                except Unreadable as exc:
                    at = where(raw.get("id"), raw.get("title")) if isinstance(raw, Mapping) else f"day {n}"
                    problems.append(Problem(file, str(exc), line(), at))
    title = conference.get("title") or conference.get("acronym") or path.stem
    return build_workshop(
        FrabSchedule(
            file=file,
            title=str(title).strip(),
            time_zone_name=_str(conference.get("time_zone_name")),
            url=_str(conference.get("url")),
            base_url=_str(schedule.get("base_url")),
            days=days,
            events=events,
            rooms=list(rooms.values()),
            problems=problems,
        )
    )


def _event(raw: Any, day: FrabDay, room: str, line: Callable[[], int | None]) -> FrabEvent:
    """An event's values, each of the type the format gives it."""
    if not isinstance(raw, Mapping):
        raise Unreadable("an event should be an object")
    ev = FrabEvent(day, line, id=raw.get("id"), room=room)
    for key in _TEXT:
        value = raw.get(key)
        if isinstance(value, str):
            if value.strip() or key != "room":  # an empty room keeps the room it is listed in
                setattr(ev, key, value.strip())
        elif value is not None:
            raise Unreadable(f"{key} should be text, not {type(value).__name__} {value!r}")
    # frab calls a person's name public_name, pretalx name; some exports have only full_name.
    ev.persons = tuple(
        _text_of(p, ("public_name", "name", "full_name"), "persons") for p in _list(raw, "persons")
    )
    ev.links = tuple(
        (_text_of(ref, ("url", "href"), key), _text_of(ref, ("title",), key))
        for key in ("links", "attachments")
        for ref in _list(raw, key)
    )
    return ev


def _list(raw: Mapping[str, Any], key: str) -> list[Any]:
    value = raw.get(key) or []
    if not isinstance(value, list):
        raise Unreadable(f"{key} should be a list of objects")
    return value


def _text_of(item: Any, keys: tuple[str, ...], field: str) -> str:
    """The first of ``keys`` an object of a list has, as text."""
    if not isinstance(item, Mapping):
        raise Unreadable(f"{field} should be a list of objects")
    value = next((item[k] for k in keys if item.get(k)), "")
    if not isinstance(value, str):
        raise Unreadable(f"{field}: {keys[0]} should be text, not {type(value).__name__} {value!r}")
    return value.strip()


def _day(data: Any) -> tuple[FrabDay, Mapping[str, Any]]:
    if not isinstance(data, Mapping):
        raise ValueError("should be an object with date, day_start, day_end and rooms")
    rooms = data.get("rooms") or {}
    if not isinstance(rooms, Mapping):
        raise ValueError("rooms should map room names to lists of events")
    try:
        on = date.fromisoformat(data["date"]) if data.get("date") else None
    except (TypeError, ValueError):
        raise ValueError(f"date {data['date']!r} is not a date (YYYY-MM-DD)") from None
    instants = {}
    for key in ("day_start", "day_end"):
        value = data.get(key)
        try:
            instants[key] = parse_instant(value) if value else None
        except (TypeError, ValueError):
            raise ValueError(f"{key} {value!r} is not an ISO 8601 date and time") from None
    return FrabDay(on, instants["day_start"], instants["day_end"]), rooms


def _rooms(data: Any) -> list[Room]:
    """The conference's room list, where pretalx gives one (with capacities)."""
    rooms = []
    for room in data if isinstance(data, list) else []:
        name = room.get("name") if isinstance(room, Mapping) else None
        if isinstance(name, str) and name.strip():
            capacity = room.get("capacity")
            ok = isinstance(capacity, int | float) and not isinstance(capacity, bool) and capacity >= 1
            rooms.append(Room(name.strip(), int(capacity) if ok else None))
    return rooms


def _str(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _line(text: str, event: Any) -> int | None:
    """Where an event is in the text: JSON parsers keep no lines, so look for its guid, id or title."""
    if not isinstance(event, Mapping):
        return None
    guid, raw_id, title = event.get("guid"), event.get("id"), event.get("title")
    needles = []
    if isinstance(guid, str) and guid:
        needles.append(re.compile(re.escape(json.dumps(guid))))
    if raw_id is not None:
        needles.append(re.compile(rf'"id"\s*:\s*{re.escape(json.dumps(raw_id))}'))
    if isinstance(title, str) and title:
        needles += [re.compile(re.escape(json.dumps(title, ensure_ascii=a))) for a in (False, True)]
    for needle in needles:
        match = needle.search(text)
        if match:
            return text.count("\n", 0, match.start()) + 1
    return None
