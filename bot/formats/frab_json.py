"""The JSON form of the frab schedule (pretalx ``schedule.json``, frab's JSON export, and the
CCC hub's "schedule 2" with its events in one list beside the days).

A value of an odd shape in one event is read in its other common shape (a link as a plain URL
string, a person as a plain name) or left out with a warning naming the event and its line;
only a file that is not a schedule at all is refused.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from bot.formats.common import ImportOptions
from bot.formats.frab_common import build_workshop
from bot.formats.frab_fields import parse_instant, where
from bot.formats.frab_values import NO_DAY, FrabDay, FrabEvent, FrabSchedule
from bot.formats.json_lines import line_of
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
_NAME_KEYS = ("public_name", "name", "full_name")  # frab, pretalx, some exports


def load_frab_json(path: Path, text: str, data: Any, options: ImportOptions | None = None) -> Workshop:
    """Load a pretalx/frab ``schedule.json`` (parsed as ``data``); ``ScheduleError`` names the
    file, line and event."""
    file = str(path)
    schedule = data.get("schedule") if isinstance(data, dict) else None
    conference = schedule.get("conference") if isinstance(schedule, dict) else None
    if not isinstance(conference, dict) or not isinstance(conference.get("days"), list):
        raise ScheduleError(
            [
                Problem(
                    file,
                    "expected a frab/pretalx schedule (schedule > conference > days) or a "
                    "Sessionize export (sessions, speakers, rooms)",
                    1,
                )
            ]
        )
    reader = _Reader(file, text)
    rooms = {r.name: r for r in _rooms(conference.get("rooms"))}
    days = []
    for n, day_data in enumerate(conference["days"], start=1):
        day, day_rooms = reader.day(day_data, n)
        days.append(day)
        for name, room_events in day_rooms.items():
            if name.strip():
                rooms.setdefault(name.strip(), Room(name.strip()))
            if not isinstance(room_events, list):
                reader.warn(f"room '{name}' should hold a list of events; left out", f"day {n}")
                continue
            for raw in room_events:
                reader.event(raw, day, name)
    flat = schedule.get("events")
    if isinstance(flat, list):  # schedule 2: one list, each event with its own start and end
        for raw in flat:
            reader.event(raw, NO_DAY, "")
    for ev in reader.events:
        if ev.room and ev.room not in rooms:
            rooms[ev.room] = Room(ev.room)
    title = conference.get("title") or conference.get("acronym") or path.stem
    return build_workshop(
        FrabSchedule(
            file=file,
            title=str(title).strip(),
            time_zone_name=_str(conference.get("time_zone_name")),
            url=_str(conference.get("url")),
            base_url=_str(schedule.get("base_url")),
            days=days,
            events=reader.events,
            rooms=list(rooms.values()),
            warnings=reader.warnings,
        ),
        options,
    )


class _Reader:
    """Reads days and events, noting what it had to guess or leave out."""

    def __init__(self, file: str, text: str):
        self.file, self.text = file, text
        self.events: list[FrabEvent] = []
        self.warnings: list[Problem] = []

    def warn(self, message: str, at: str, line: int | None = None) -> None:
        """Note a value that was read with a guess or left out."""
        self.warnings.append(Problem(self.file, message, line, at))

    def day(self, data: Any, n: int) -> tuple[FrabDay, Mapping[str, Any]]:
        """A day and its rooms; what cannot be read is left out with a warning."""
        if not isinstance(data, Mapping):
            self.warn("should be an object with date, day_start, day_end and rooms; left out", f"day {n}")
            return NO_DAY, {}
        rooms = data.get("rooms") or {}
        if not isinstance(rooms, Mapping):
            self.warn("rooms should map room names to lists of events; left out", f"day {n}")
            rooms = {}
        on = None
        if data.get("date"):
            try:
                on = date.fromisoformat(data["date"])
            except (TypeError, ValueError):
                self.warn(f"date {data['date']!r} is not a date (YYYY-MM-DD); ignored", f"day {n}")
        instants = {}
        for key, other in (("day_start", "start"), ("day_end", "end")):
            value = data.get(key) or data.get(other)  # schedule 2 says start and end
            instants[key] = None
            if value:
                try:
                    instants[key] = parse_instant(value) if isinstance(value, str) else None
                    if instants[key] is None:
                        raise TypeError(value)
                except (TypeError, ValueError):
                    self.warn(f"{key} {value!r} is not an ISO 8601 date and time; ignored", f"day {n}")
        return FrabDay(on, instants["day_start"], instants["day_end"]), rooms

    def event(self, raw: Any, day: FrabDay, room: str) -> None:
        """Read one event, or warn why it is left out."""
        line = partial(line_of, self.text, raw)  # searched only if a message needs it
        if not isinstance(raw, Mapping):
            self.warn("an event should be an object; left out", "event", line())
            return
        ev = FrabEvent(day, line, id=raw.get("id"), room=room)
        at = where(raw.get("id"), raw.get("title"))
        if ev.id is None and isinstance(raw.get("code"), str):
            ev.id = raw["code"]  # schedule 2 and pretalx name events by a code
        for key in _TEXT:
            value = raw.get(key)
            if key == "room" and isinstance(value, Mapping):  # schedule 2: {name, guid}
                value = value.get("name")
            if key == "track" and isinstance(value, Mapping):
                value = value.get("name") or value.get("slug")
            if isinstance(value, str):
                if value.strip() or key != "room":  # an empty room keeps the room it is listed in
                    setattr(ev, key, value.strip())
            elif isinstance(value, int) and not isinstance(value, bool) and key == "duration" and value >= 0:
                ev.duration = f"{value // 60:02d}:{value % 60:02d}"
                self.warn(f"duration {value} is a number, not HH:MM; read as {value} minutes", at, line())
            elif value is not None:
                self.warn(f"{key} should be text, not {type(value).__name__} {value!r}; left out", at, line())
        if not ev.date and "T" in ev.start:  # schedule 2: start and end are instants
            ev.date, ev.start = ev.start, ""
        ev.persons = tuple(self._names(raw, at, line))
        ev.links = tuple(self._links(raw, at, line))
        self.events.append(ev)

    def _names(self, raw: Mapping[str, Any], at: str, line: Callable[[], int | None]):
        for key in ("persons", "participants"):
            for person in self._list(raw, key, at, line):
                if isinstance(person, str):
                    yield person.strip()
                    continue
                name = None
                if isinstance(person, Mapping):
                    name = next((person.get(k) for k in _NAME_KEYS if person.get(k)), "")
                if isinstance(name, str):
                    yield name.strip()
                else:
                    self.warn(f"{key}: {person!r} has no name that is text; left out", at, line())

    def _links(self, raw: Mapping[str, Any], at: str, line: Callable[[], int | None]):
        for key in ("links", "attachments"):
            for ref in self._list(raw, key, at, line):
                if isinstance(ref, str):  # a plain URL, as some exports write links
                    yield ref.strip(), ""
                    continue
                url = None
                if isinstance(ref, Mapping):
                    url = next((ref.get(k) for k in ("url", "href") if ref.get(k)), None)
                if not isinstance(url, str):
                    self.warn(f"{key}: {ref!r} has no url that is text; left out", at, line())
                    continue
                title = ref.get("title") or ref.get("type") or ""
                title = title.strip() if isinstance(title, str) else ""
                # schedule 2 types its attachments ("SLIDES") instead of titling them
                yield url.strip(), title.capitalize() if title.isupper() else title

    def _list(self, raw: Mapping[str, Any], key: str, at: str, line: Callable[[], int | None]) -> list[Any]:
        value = raw.get(key) or []
        if isinstance(value, list):
            return value
        if isinstance(value, str | Mapping):
            return [value]  # one of them, written without its list
        self.warn(f"{key} should be a list, not {type(value).__name__}; left out", at, line())
        return []


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
