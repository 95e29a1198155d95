"""Schedules in other tools' formats: recognised by content, converted to a ``Workshop``."""

from __future__ import annotations

from pathlib import Path

from bot.schedule.errors import Problem, ScheduleError
from bot.schedule.model import Workshop


def detect_format(path: Path, text: str) -> str:
    """Name the format of a schedule file from its content: yaml, frab-xml, frab-json or ics."""
    head = text.lstrip("\ufeff \t\r\n")[:200]
    if head.startswith("<"):
        return "frab-xml"
    if head.startswith("{") or head.startswith("["):
        return "frab-json"
    if head.upper().startswith("BEGIN:VCALENDAR"):
        return "ics"
    return "yaml"


def load_foreign(fmt: str, path: Path, text: str) -> Workshop:
    """Load a schedule in another tool's format."""
    raise ScheduleError([Problem(str(path), f"{fmt} schedules are not supported yet")])
