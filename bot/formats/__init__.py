"""Schedules in other tools' formats: recognised by content, converted to a ``Workshop``."""

from __future__ import annotations

import json
from pathlib import Path

from bot.formats.common import ImportOptions
from bot.schedule.errors import Problem, ScheduleError
from bot.schedule.model import Workshop


def detect_format(path: Path, text: str) -> str:
    """Name the format of a schedule file from its content: yaml, frab-xml, frab-json or ics.

    JSON covers pretalx, frab and Sessionize, told apart once the JSON is parsed."""
    head = text[:4096].lstrip("\ufeff \t\r\n")[:200]  # the head only: a schedule is megabytes
    if head.startswith("<"):
        return "frab-xml"
    if head.startswith("{") or head.startswith("["):
        return "frab-json"
    if head.upper().startswith("BEGIN:VCALENDAR"):
        return "ics"
    return "yaml"


def load_foreign(fmt: str, path: Path, text: str, options: ImportOptions | None = None) -> Workshop:
    """Load a schedule in another tool's format (as named by ``detect_format``)."""
    # Imported when first needed: icalendar alone takes some 40 ms to import, and most
    # schedules are the bot's own YAML, which needs none of these.
    from bot.formats.frab_json import load_frab_json
    from bot.formats.frab_xml import load_frab_xml
    from bot.formats.ics_import import load_ics

    def load_json(path: Path, text: str, options: ImportOptions) -> Workshop:
        """pretalx/frab's JSON or Sessionize's, told apart by their content."""
        from bot.formats.sessionize import is_sessionize, load_sessionize

        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ScheduleError([Problem(str(path), f"not valid JSON: {exc.msg}", exc.lineno)]) from None
        loader = load_sessionize if is_sessionize(data) else load_frab_json
        return loader(path, text, data, options)

    loaders = {"frab-xml": load_frab_xml, "frab-json": load_json, "ics": load_ics}
    if fmt not in loaders:
        raise ScheduleError([Problem(str(path), f"{fmt} schedules are not supported")])
    return loaders[fmt](path, text.lstrip("\ufeff"), options or ImportOptions())
