"""A ``Workshop`` written as the bot's own YAML files (``awair-bot import <file> -o <dir>``).

The folder holds ``workshop.yaml``, ``readings.yaml`` and one file a day, and loads back with
``load_schedule`` to the same sessions. What the own format has no field for is not written:
a session's original type from the other tool (``original_kind``) and the import's warnings.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.schedule.errors import Problem, ScheduleError
from bot.schedule.fileformat import READINGS_FILE, WORKSHOP_FILE
from bot.schedule.instants import local_instant
from bot.schedule.model import Reading, Session, Workshop
from bot.schedule.yamlio import dump_yaml

logger = logging.getLogger(__name__)


def own_format_files(workshop: Workshop, source: str | None = None) -> dict[str, str]:
    """The bot's own files for ``workshop``: file name -> YAML text.

    Raises ``ScheduleError`` for a session the format cannot hold (a start with seconds, an
    end past the day's change hour), naming the day file and the session.
    """
    header = f"# Written by awair-bot import{f' from {source}' if source else ''}; edit freely.\n"
    files = {WORKSHOP_FILE: header + dump_yaml(_workshop(workshop))}
    readings = _readings(workshop)
    if readings:
        files[READINGS_FILE] = header + dump_yaml({"readings": [_reading(r) for r in readings]})
    problems: list[Problem] = []
    for day in workshop.days:
        name = f"{day.isoformat()}.yaml"
        sessions = [_session(s, workshop, name, problems) for s in workshop.sessions_on(day)]
        files[name] = header + dump_yaml({"date": day, "sessions": sessions})
    if problems:
        raise ScheduleError(problems)
    return files


def write_own_format(workshop: Workshop, folder: Path, source: str | None = None) -> list[Path]:
    """Write ``workshop`` into ``folder`` (made if missing) in the bot's own format.

    Refuses a folder that already holds YAML files: every ``*.yaml`` there is read as part of
    the schedule, so a stale day file would join it.
    """
    folder = Path(folder)
    existing = sorted(p.name for p in folder.glob("*.y*ml")) if folder.is_dir() else []
    if existing:
        raise FileExistsError(f"{folder} already holds {', '.join(existing)}; choose an empty folder")
    files = own_format_files(workshop, source)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in files.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    logger.info("wrote %s in the own format: %d files in %s", workshop.name, len(written), folder)
    return written


def _workshop(workshop: Workshop) -> dict[str, Any]:
    data: dict[str, Any] = {"name": workshop.name, "timezone": workshop.timezone.key}
    if workshop.venue:
        data["venue"] = workshop.venue
    if workshop.url:
        data["url"] = workshop.url
    data["day_change_hour"] = workshop.day_change_hour
    if workshop.rooms:
        data["rooms"] = [_compact({"name": r.name, "capacity": r.capacity}) for r in workshop.rooms]
    block = workshop.unconference
    if block is not None:
        data["unconference"] = {
            "session": block.session_id,
            "rooms": [r.name for r in block.rooms],
            "slot_minutes": block.slot_minutes,
        }
    return data


def _readings(workshop: Workshop) -> list[Reading]:
    by_id: dict[str, Reading] = {}
    for reading in [*workshop.readings, *(r for s in workshop.sessions for r in s.readings)]:
        by_id.setdefault(reading.id, reading)
    return list(by_id.values())


def _reading(r: Reading) -> dict[str, Any]:
    data = _compact(
        {
            "id": r.id,
            "title": r.title,
            "authors": list(r.authors),
            "year": r.year,
            "url": r.url,
            "minutes": r.minutes,
            "topics": list(r.topics),
        }
    )
    if not r.required:
        data["required"] = False
    return data


def _session(s: Session, workshop: Workshop, file: str, problems: list[Problem]) -> dict[str, Any]:
    data: dict[str, Any] = {"id": s.id, "start": _clock(s, s.start, workshop, file, problems)}
    if s.end is not None:
        data["end"] = _clock(s, s.end, workshop, file, problems)
    data.update({"title": s.title, "kind": s.kind.value})
    if len(s.speakers) == 1:
        data.update(_compact({"speaker": s.speakers[0].name, "affiliation": s.speakers[0].affiliation}))
    elif s.speakers:
        data["speakers"] = [_compact({"name": p.name, "affiliation": p.affiliation}) for p in s.speakers]
    if s.optional:
        data["optional"] = True
    data.update(_compact({"room": s.room, "track": s.track, "url": s.url, "description": s.description}))
    if s.readings:
        data["readings"] = [r.id for r in s.readings]
    return data


def _clock(s: Session, instant: datetime, workshop: Workshop, file: str, problems: list[Problem]) -> str:
    """The HH:MM the own format writes for an instant, checked to read back as that instant."""
    local = instant.astimezone(workshop.timezone)
    back = local_instant(
        s.day, local.time().replace(second=0, microsecond=0), workshop.timezone, workshop.day_change_hour
    )
    if back != instant:
        problems.append(
            Problem(
                file,
                (
                    f"{local:%Y-%m-%d %H:%M:%S} cannot be written as a time of {s.day} "
                    f"(days change at {workshop.day_change_hour:02d}:00, times are HH:MM)"
                ),
                None,
                f"session '{s.title}'",
            )
        )
    return f"{local:%H:%M}"


def _compact(data: dict[str, Any]) -> dict[str, Any]:
    """Without empty values, so the files show only what is set."""
    return {k: v for k, v in data.items() if v not in (None, "", [])}
