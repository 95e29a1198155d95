"""Load a schedule from disk into a validated ``Workshop``, or say exactly what is wrong."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ValidationError

from bot.schedule.checks import check_workshop, small_hours
from bot.schedule.errors import Problem, ScheduleError, ScheduleNotFound
from bot.schedule.fileformat import (
    READINGS_FILE,
    WORKSHOP_FILE,
    DayIn,
    ReadingIn,
    ReadingsFileIn,
    SessionIn,
    WorkshopIn,
)
from bot.schedule.instants import local_instant, with_timezone
from bot.schedule.model import Reading, Room, Session, Speaker, UnconferenceBlock, Workshop
from bot.schedule.slugs import slugify
from bot.schedule.yamlio import LINE_KEY, YamlSyntaxError, load_yaml

logger = logging.getLogger(__name__)


def load_schedule(path: str | Path, timezone: ZoneInfo | None = None, charset: str | None = None) -> Workshop:
    """Load and validate the schedule at ``path`` (a folder, a YAML file, or an imported format).

    ``timezone`` (``SCHEDULE_TIMEZONE``) overrides the schedule's own zone, and gives one to
    files that have none; ``charset`` is what a server said the file's encoding is.
    Raises ``ScheduleError`` listing every problem found, each with its file and place.
    """
    path = Path(path)
    if path.is_dir():
        return with_timezone(_load_folder(path), timezone, path / WORKSHOP_FILE)
    if not path.exists():
        raise ScheduleNotFound(str(path))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ScheduleError([Problem(str(path), f"cannot read: {exc.strerror}")]) from None
    return load_schedule_data(path, data, timezone, charset)


def load_schedule_data(
    path: Path, raw: bytes, timezone: ZoneInfo | None = None, charset: str | None = None
) -> Workshop:
    """Load a one-file schedule from its bytes (``path`` names it in messages): what
    ``load_schedule`` does for a file, for bytes fetched from ``SCHEDULE_URL``."""
    from bot.formats import detect_format, load_foreign
    from bot.formats.common import ImportOptions
    from bot.formats.encoding import NotText, decode

    try:
        text, notes = decode(raw, charset)
    except NotText as exc:
        raise ScheduleError([Problem(str(path), str(exc), exc.line)]) from None
    fmt = detect_format(path, text)
    if fmt != "yaml":
        workshop = load_foreign(fmt, path, text, ImportOptions(timezone=timezone))
        if notes:
            workshop = replace(workshop, warnings=(*(f"{path}: {n}" for n in notes), *workshop.warnings))
        return workshop
    data = _parse(path, text)
    workshop_in = _validate(WorkshopIn, data, path)
    return with_timezone(
        _assemble(
            workshop_in,
            day_sources={d.date: (path, d) for d in workshop_in.days},
            raw_sources={path: data},
            readings_file=path,
            workshop_file=path,
        ),
        timezone,
        path,
    )


def _load_folder(folder: Path) -> Workshop:
    workshop_path = folder / WORKSHOP_FILE
    if not workshop_path.exists():
        raise ScheduleError([Problem(str(workshop_path), "missing: a schedule folder needs a workshop.yaml")])
    raw_sources: dict[Path, Any] = {}
    problems: list[Problem] = []

    def parse_and_validate(model: type[BaseModel], file: Path) -> Any:
        try:
            data = _parse(file, _read_text(file))
            raw_sources[file] = data
            return _validate(model, data, file)
        except ScheduleError as exc:
            problems.extend(exc.problems)
            return None

    workshop_in = parse_and_validate(WorkshopIn, workshop_path)
    readings_path = folder / READINGS_FILE
    readings_in = parse_and_validate(ReadingsFileIn, readings_path) if readings_path.exists() else None
    day_sources: dict[date, tuple[Path, DayIn]] = {}
    every_day_read = True
    for day_path in sorted(folder.glob("*.y*ml")):
        if day_path.name in (WORKSHOP_FILE, READINGS_FILE):
            continue
        day_in = parse_and_validate(DayIn, day_path)
        if day_in is None:
            every_day_read = False
            continue
        if day_in.date in day_sources:
            other = day_sources[day_in.date][0]
            problems.append(Problem(str(day_path), f"date {day_in.date} is also the date of {other}", 1))
            continue
        day_sources[day_in.date] = (day_path, day_in)
    if workshop_in is None:
        raise ScheduleError(problems)  # no time zone or rooms: nothing else can be checked
    if workshop_in.days:
        for d in workshop_in.days:
            day_sources.setdefault(d.date, (workshop_path, d))
    if readings_in is not None:
        workshop_in.readings = [*workshop_in.readings, *readings_in.readings]
    # The files that did validate are still checked across sessions, so one run reports
    # every problem (a session's unknown readings only when the readings file was usable).
    try:
        workshop = _assemble(
            workshop_in,
            day_sources,
            raw_sources,
            readings_file=readings_path if readings_in else workshop_path,
            workshop_file=workshop_path,
            readings_known=readings_in is not None or not readings_path.exists(),
            every_day_read=every_day_read,
        )
    except ScheduleError as exc:
        raise ScheduleError([*problems, *exc.problems], exc.warnings) from None
    if problems:
        raise ScheduleError(problems, workshop.warnings)
    return workshop


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ScheduleError([Problem(str(path), f"not UTF-8 text (byte {exc.start})")]) from None
    except OSError as exc:
        raise ScheduleError([Problem(str(path), f"cannot read: {exc.strerror}")]) from None


def _parse(path: Path, text: str) -> Any:
    try:
        data = load_yaml(text)
    except YamlSyntaxError as exc:
        raise ScheduleError([Problem(str(path), str(exc), exc.line)]) from None
    if not isinstance(data, dict):
        raise ScheduleError([Problem(str(path), "expected a mapping of keys (name:, timezone:, ...)", 1)])
    return data


def _validate(model: type[BaseModel], data: Any, path: Path) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ScheduleError([_locate(err, data, path) for err in exc.errors()]) from None


def _locate(error: dict[str, Any], data: Any, path: Path) -> Problem:
    """Turn a pydantic error into "file:line: session 'Title': field: message"."""
    node, line, where = data, None, None
    loc = list(error["loc"])
    for i, key in enumerate(loc):
        if isinstance(node, dict) and LINE_KEY in node:
            line = node[LINE_KEY]
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            break
        parent = loc[i - 1] if i else None
        if isinstance(node, dict) and isinstance(key, int) and parent in ("sessions", "readings", "days"):
            label = node.get("title") or node.get("id") or node.get("date") or f"#{key + 1}"
            noun = {"sessions": "session", "readings": "reading", "days": "day"}[parent]
            where = f"{noun} '{label}'"
    if isinstance(node, dict) and LINE_KEY in node:
        line = node[LINE_KEY]
    field = next((str(k) for k in reversed(loc) if isinstance(k, str)), "")
    message = _friendly(error, field)
    return Problem(str(path), message, line, where)


def _friendly(error: dict[str, Any], field: str) -> str:
    kind, msg = error["type"], error["msg"].removeprefix("Value error, ")
    if kind == "enum":
        expected = error.get("ctx", {}).get("expected", "")
        return f"{field} '{error['input']}' is unknown; use one of {expected}"
    if kind == "missing":
        return f"{field}: missing (required)"
    if kind == "extra_forbidden":
        return f"unknown key '{field}' (a typo?)"
    return f"{field}: {msg}" if field and not msg.startswith(f"'{field}") else msg


def _assemble(
    spec: WorkshopIn,
    day_sources: dict[date, tuple[Path, DayIn]],
    raw_sources: dict[Path, Any],
    readings_file: Path,
    workshop_file: Path,
    readings_known: bool = True,
    every_day_read: bool = True,
) -> Workshop:
    zone = ZoneInfo(spec.timezone)
    problems: list[Problem] = []
    readings: dict[str, Reading] = {}
    for r in spec.readings:
        if r.id in readings:
            problems.append(
                Problem(
                    str(readings_file),
                    f"duplicate reading id '{r.id}'",
                    r.line,
                    f"reading '{r.title}'",
                )
            )
        readings[r.id] = _reading(r)
    sessions: list[Session] = []
    origins: dict[int, tuple[str, int | None]] = {}
    warnings: list[str] = []
    for day, (path, day_in) in sorted(day_sources.items()):
        warnings += small_hours(day_in.sessions, str(path), spec.day_change_hour)
        for s in day_in.sessions:
            session = _session(
                s, day, zone, spec.day_change_hour, readings, str(path), problems, readings_known
            )
            if session is not None:
                origins[id(session)] = (str(path), s.line)
                sessions.append(session)
    sessions.sort(key=lambda s: s.start)  # stable: parallel sessions keep file order
    rooms = tuple(Room(r.name, r.capacity) for r in spec.rooms)
    unconf = None
    if spec.unconference:
        by_name = {r.name: r for r in rooms}
        unconf = UnconferenceBlock(
            session_id=spec.unconference.session,
            rooms=tuple(by_name.get(n, Room(n)) for n in spec.unconference.rooms),
            slot_minutes=spec.unconference.slot_minutes,
        )
    workshop = Workshop(
        name=spec.name,
        timezone=zone,
        sessions=tuple(sessions),
        venue=spec.venue,
        rooms=rooms,
        readings=tuple(readings.values()),
        unconference=unconf,
        url=spec.url,
        day_change_hour=spec.day_change_hour,
        warnings=tuple(warnings),
    )
    problems.extend(
        check_workshop(
            workshop,
            lambda s: origins.get(id(s), (str(workshop_file), None)),
            str(workshop_file),
            every_day_read,
        )
    )
    if problems:
        raise ScheduleError(problems, workshop.warnings)
    logger.info(
        "schedule loaded: %s, %d sessions over %d days",
        workshop.name,
        len(sessions),
        len(workshop.days),
    )
    return workshop


def _reading(r: ReadingIn) -> Reading:
    return Reading(
        id=r.id,
        title=r.title,
        url=r.url,
        authors=tuple(r.authors),
        year=r.year,
        minutes=r.minutes,
        required=r.required,
        topics=tuple(r.topics),
    )


def _session(
    s: SessionIn,
    day: date,
    zone: ZoneInfo,
    day_change_hour: int,
    readings: dict[str, Reading],
    file: str,
    problems: list[Problem],
    readings_known: bool = True,
) -> Session | None:
    where = f"session '{s.title}'"
    start = local_instant(day, s.start, zone, day_change_hour)
    end = local_instant(day, s.end, zone, day_change_hour) if s.end else None
    ok = True
    if end is not None and end <= start:
        verb = "is before" if end < start else "is the same as"
        problems.append(Problem(file, f"end {s.end:%H:%M} {verb} start {s.start:%H:%M}", s.line, where))
        ok = False
    for rid in s.readings:
        if rid not in readings and readings_known:
            problems.append(Problem(file, f"reading '{rid}' is not in the readings list", s.line, where))
            ok = False
    if not ok:
        return None
    return Session(
        id=s.id or f"{day.isoformat()}-{s.start:%H%M}-{slugify(s.title)}",
        title=s.title,
        kind=s.kind,
        day=day,
        start=start,
        end=end,
        speakers=tuple(Speaker(p.name, p.affiliation) for p in s.speaker_list()),
        room=s.room,
        optional=s.optional,
        readings=tuple(readings[r] for r in s.readings if r in readings),
        description=s.description,
        track=s.track,
        url=s.url,
    )
