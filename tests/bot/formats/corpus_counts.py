"""Independent counts of the corpus files: events read with a plain parser, not our importer.

Each reader returns the file's events as (title, start, room), with starts as instants; the
corpus test compares sessions, days and rooms, and asks /next at instants taken from here.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class PlainEvent:
    """An event as a plain parse of the file gives it."""

    title: str
    start: datetime
    room: str
    listed_on: date | None  # the day it is listed under, where the format has days


def _clock_on(day: str, clock: str, zone: ZoneInfo, day_start: str | None) -> datetime:
    at = datetime.combine(date.fromisoformat(day), datetime.strptime(clock, "%H:%M").time(), zone)
    if day_start and at.time() < datetime.fromisoformat(day_start).time():
        at += timedelta(days=1)  # a night that runs past midnight
    return at


def frab_xml(path: Path, zone: ZoneInfo) -> list[PlainEvent]:
    """<event> elements of every <day>, in or outside <room> elements."""
    root = ET.parse(path).getroot()
    out = []
    for day in root.iter("day"):
        for parent in [day, *day.iter("room")]:
            for ev in parent.findall("event"):
                when = ev.findtext("date")
                start = (
                    datetime.fromisoformat(when)
                    if when
                    else _clock_on(day.get("date"), ev.findtext("start"), zone, day.get("start"))
                )
                room = (ev.findtext("room") or parent.get("name") or "").strip()
                out.append(
                    PlainEvent(ev.findtext("title").strip(), start, room, date.fromisoformat(day.get("date")))
                )
    return out


def frab_json(path: Path, zone: ZoneInfo) -> list[PlainEvent]:
    """Events of schedule > conference > days > rooms, and schedule 2's flat list."""
    schedule = json.loads(path.read_text(encoding="utf-8"))["schedule"]
    out = []
    for day in schedule["conference"]["days"]:
        for room, events in (day.get("rooms") or {}).items():
            for ev in events:
                out.append(
                    PlainEvent(
                        ev["title"].strip(),
                        datetime.fromisoformat(ev["date"]),
                        (ev.get("room") or room).strip(),
                        date.fromisoformat(day["date"]),
                    )
                )
    spans = [
        (datetime.fromisoformat(d["start"]), datetime.fromisoformat(d["end"]), date.fromisoformat(d["date"]))
        for d in schedule["conference"]["days"]
        if d.get("start") and d.get("end")
    ]
    for ev in schedule.get("events") or []:
        start = datetime.fromisoformat(ev["start"])
        # The day whose span holds the start: the night to 06:00 belongs to the day before.
        on = next((d for a, b, d in spans if a <= start < b), start.astimezone(zone).date())
        out.append(PlainEvent(ev["title"].strip(), start, ev["room"]["name"], on))
    return out


def sessionize(path: Path, zone: ZoneInfo) -> list[PlainEvent]:
    """Scheduled sessions (those with startsAt) of an All Data export."""
    data = json.loads(path.read_text(encoding="utf-8-sig"))
    rooms = {r["id"]: r["name"] for r in data["rooms"]}
    out = []
    for s in data["sessions"]:
        if not s.get("startsAt"):
            continue
        start = datetime.fromisoformat(s["startsAt"])
        start = start.replace(tzinfo=zone) if start.tzinfo is None else start
        out.append(PlainEvent(s["title"].strip(), start, rooms.get(s.get("roomId"), ""), None))
    return out


def ics(path: Path, zone: ZoneInfo) -> list[PlainEvent]:
    """VEVENT blocks, unfolded by hand; DTSTART in UTC (Z) as these files write it."""
    text = re.sub(r"\r?\n[ \t]", "", path.read_text(encoding="utf-8"))
    out = []
    for block in re.findall(r"BEGIN:VEVENT\r?\n(.*?)END:VEVENT", text, re.S):
        fields = {}
        for line in block.splitlines():
            name, _, value = line.partition(":")
            fields.setdefault(name.split(";")[0].strip().upper(), value.strip())
        start = datetime.strptime(fields["DTSTART"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        summary = fields.get("SUMMARY", "").replace("\\,", ",").replace("\\;", ";")
        out.append(PlainEvent(summary, start, fields.get("LOCATION", "").replace("\\,", ","), None))
    return out
