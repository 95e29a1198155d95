"""Sessionize's public JSON exports into a ``Workshop``: "All Data" (sessions, speakers,
categories and rooms side by side, each referring to the others by id), and the "Sessions"
view (sessions grouped by day, speakers and rooms written in).

Sessionize writes local times with no zone (``2020-03-28T09:00:00``), so most of its exports
need ``SCHEDULE_TIMEZONE``; the refusal says so. Service sessions (breaks, registration) take
their kind from the title; the "Session format" category gives the others theirs, "Track" the
track. Sessions not yet scheduled (no ``startsAt``) are left out with a warning.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from bot.formats.common import Draft, ImportOptions, ReadingBook, html_to_text, kind_for, safe_id
from bot.formats.json_lines import line_of
from bot.formats.zones import HOW_TO_SET, NoZone, choose_zone
from bot.schedule.errors import Problem, ScheduleError
from bot.schedule.instants import local_instant
from bot.schedule.model import Room, Session, Speaker, Workshop

_FORMAT_WORDS = ("format", "type", "kind")


def is_sessionize(data: Any) -> bool:
    """Whether parsed JSON is a Sessionize export (All Data, or the Sessions view)."""
    if isinstance(data, Mapping):
        return isinstance(data.get("sessions"), list) and "schedule" not in data
    return (
        isinstance(data, list)
        and bool(data)
        and all(isinstance(g, Mapping) and isinstance(g.get("sessions"), list) for g in data)
    )


def load_sessionize(path: Path, text: str, data: Any, options: ImportOptions | None = None) -> Workshop:
    """Load a parsed Sessionize export; ``ScheduleError`` names the file and the session."""
    options = options or ImportOptions()
    file = str(path)
    draft = Draft(file)
    if isinstance(data, list):  # the Sessions view: groups of sessions with names written in
        raw_sessions = [s for g in data for s in g["sessions"]]
        speakers: dict[Any, str] = {}
        rooms: dict[Any, Room] = {}
        items: dict[Any, tuple[str, str]] = {}
    else:
        raw_sessions = data["sessions"]
        speakers = _speakers(data.get("speakers"))
        rooms = _rooms(data.get("rooms"))
        items = _category_items(data.get("categories"))
    scheduled = []
    for n, raw in enumerate(raw_sessions):
        line = partial(line_of, text, raw)
        where = _where(raw, n)
        if not isinstance(raw, Mapping):
            draft.warn("a session should be an object; left out", where, line)
            continue
        start, end = _instant(raw.get("startsAt")), _instant(raw.get("endsAt"))
        if start is None:
            why = (
                "has no start (not scheduled yet)"
                if not raw.get("startsAt")
                else f"startsAt {raw['startsAt']!r} is not a date and time"
            )
            draft.warn(f"{why}; left out", where, line)
            continue
        scheduled.append((raw, start, end, where, line))
    try:
        zone, notes = choose_zone(
            None,
            [t for _, s, e, _, _ in scheduled for t in (s, e) if t],
            "time zone",
            override=options.timezone,
        )
    except NoZone:
        message = f"no time zone: Sessionize writes local times and names no zone; {HOW_TO_SET}"
        raise ScheduleError([Problem(file, message, None, "sessions")]) from None
    for note in notes:
        draft.warn(note, "sessions")
    book = ReadingBook()
    for raw, start, end, where, line in scheduled:
        start, end = _in_zone(start, zone), _in_zone(end, zone) if end else None
        if end is not None and end < start:
            draft.warn(
                f"endsAt {raw.get('endsAt')} is before startsAt {raw.get('startsAt')}; shown without an end",
                where,
                line,
            )
            end = None
        wanted = safe_id(str(raw.get("id") or "")) or f"{start:%Y-%m-%d-%H%M}"
        sid = draft.unique_id(wanted)
        if sid != wanted:
            draft.warn(f"id '{wanted}' is used twice; this one is '{sid}'", where, line)
        title = raw.get("title") if isinstance(raw.get("title"), str) and raw["title"].strip() else None
        if title is None:
            draft.warn("has no title; listed as '(no title)'", where, line)
        categories = _categories(raw, items)
        original = next((v for k, v in categories if any(w in k.lower() for w in _FORMAT_WORDS)), None)
        if raw.get("isServiceSession"):
            original = None  # a break or registration: its title says what it is
        room = _room(raw, rooms)
        links = [
            (raw.get(k), label) for k, label in (("recordingUrl", "Recording"), ("liveUrl", "Live stream"))
        ]
        readings = tuple(
            r for url, label in links if isinstance(url, str) and (r := book.add(sid, url, label))
        )
        draft.add(
            Session(
                id=sid,
                title=(title or "(no title)").strip(),
                kind=kind_for(original, title or ""),
                day=start.date(),
                start=start,
                end=end if end != start else None,
                speakers=tuple(Speaker(n) for n in dict.fromkeys(_names(raw, speakers)) if n),
                room=room,
                readings=readings,
                description=html_to_text(
                    raw.get("description") if isinstance(raw.get("description"), str) else ""
                ),
                track=next((v for k, v in categories if "track" in k.lower()), None),
                original_kind=original,
            ),
            line,
        )
    used = {s.room for s in draft.sessions}
    return draft.finish(
        name=path.stem,
        zone=zone,
        rooms=[r for r in rooms.values() if r.name in used],
        readings=book.readings,
        url=None,
        day_change_hour=0,
    )


def _where(raw: Any, n: int) -> str:
    if isinstance(raw, Mapping):
        title = raw.get("title")
        return f"session {raw.get('id', n + 1)}" + (f" '{title}'" if isinstance(title, str) else "")
    return f"session #{n + 1}"


def _instant(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        return None


def _in_zone(value: datetime, zone) -> datetime:
    if value.tzinfo is None:  # Sessionize's local time, in the zone the organizer named
        return local_instant(value.date(), value.time(), zone)
    return value.astimezone(zone)


def _key(value: Any) -> str | int | None:
    """An id that can look things up: text or a whole number (an export's ids are one of those)."""
    return value if isinstance(value, str | int) and not isinstance(value, bool) else None


def _speakers(data: Any) -> dict[Any, str]:
    out = {}
    for sp in data if isinstance(data, list) else []:
        if isinstance(sp, Mapping) and _key(sp.get("id")) is not None:
            name = sp.get("fullName") or " ".join(str(sp.get(k) or "") for k in ("firstName", "lastName"))
            out[_key(sp.get("id"))] = str(name).strip()
    return out


def _rooms(data: Any) -> dict[Any, Room]:
    out = {}
    for room in data if isinstance(data, list) else []:
        name = room.get("name") if isinstance(room, Mapping) else None
        if isinstance(name, str) and name.strip() and _key(room.get("id")) is not None:
            out[_key(room.get("id"))] = Room(name.strip())
    return out


def _category_items(data: Any) -> dict[Any, tuple[str, str]]:
    """Category item id -> (category title, item name): "Session format" -> "Workshop"."""
    out = {}
    for cat in data if isinstance(data, list) else []:
        if not isinstance(cat, Mapping):
            continue
        for item in _list(cat.get("items")):
            if (
                isinstance(item, Mapping)
                and isinstance(item.get("name"), str)
                and _key(item.get("id")) is not None
            ):
                out[_key(item.get("id"))] = (str(cat.get("title") or ""), item["name"].strip())
    return out


def _categories(raw: Mapping[str, Any], items: dict[Any, tuple[str, str]]) -> list[tuple[str, str]]:
    found = [items[i] for i in _list(raw.get("categoryItems")) if _key(i) is not None and i in items]
    for cat in _list(raw.get("categories")):  # the Sessions view writes them in
        if isinstance(cat, Mapping):
            for item in _list(cat.get("categoryItems")):
                if isinstance(item, Mapping) and isinstance(item.get("name"), str):
                    found.append((str(cat.get("name") or ""), item["name"].strip()))
    return found


def _room(raw: Mapping[str, Any], rooms: dict[Any, Room]) -> str | None:
    if isinstance(raw.get("room"), str) and raw["room"].strip():
        return raw["room"].strip()
    room = rooms.get(_key(raw.get("roomId")))
    return room.name if room else None


def _names(raw: Mapping[str, Any], speakers: dict[Any, str]):
    for sp in _list(raw.get("speakers")):
        if isinstance(sp, Mapping):
            yield str(sp.get("name") or "").strip()
        elif _key(sp) is not None:
            yield speakers.get(sp, "")


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
