"""``awair-bot import <file> [-o DIR]``: another tool's schedule as the bot's own files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from awair_bot.commands.zone_option import add_timezone_option, timezone_of
from awair_bot.output import print_schedule_problems
from bot.formats import detect_format
from bot.formats.export_own import write_own_format
from bot.schedule.errors import ScheduleError
from bot.schedule.loader import load_schedule

FORMAT_NAMES = {
    "frab-xml": "frab schedule.xml",
    "frab-json": "pretalx/frab/Sessionize JSON",
    "ics": "iCalendar",
    "yaml": "the bot's own YAML",
}


def add_parser(sub) -> None:
    parser = sub.add_parser(
        "import",
        help="convert a frab/pretalx schedule (XML or JSON) or an iCalendar file into the bot's own files",
        description=(
            "Load a schedule in any supported format (frab schedule.xml, pretalx/frab JSON, "
            "iCalendar .ics, or a one-file YAML schedule) and write it as the bot's own folder of "
            "YAML files for editing. The format is recognised from the file's content."
        ),
    )
    parser.add_argument("file", help="the schedule file to import")
    parser.add_argument(
        "-o",
        "--output",
        metavar="DIR",
        help="folder to write (default: one named after the file, in the current folder); "
        "it must not hold YAML files yet",
    )
    add_timezone_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Import, write, and check the written folder; exit 1 with located problems."""
    source = Path(args.file)
    if source.is_dir():
        print(
            f"awair-bot import: {source} is a folder; import takes one file (frab XML, "
            f"pretalx/frab JSON or iCalendar). To validate a folder: awair-bot check {source}",
            file=sys.stderr,
        )
        return 1
    target = Path(args.output) if args.output else default_folder(source)
    if target.exists() and not target.is_dir():
        print(f"awair-bot import: {target} is a file; -o needs a folder", file=sys.stderr)
        return 1
    # Said before the file is read: a refusal needs no warnings about the schedule's content.
    existing = sorted(p.name for p in target.glob("*.y*ml")) if target.is_dir() else []
    if existing:
        return _refuse(f"{target} already holds {', '.join(existing)}; choose an empty folder")
    try:
        workshop = load_schedule(source, timezone_of(args))
    except ScheduleError as exc:
        print_schedule_problems(exc, f"awair-bot import: {source} cannot be imported ({_count(exc)}):")
        return 1
    for warning in workshop.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    try:
        written = write_own_format(workshop, target, source=source.name)
    except FileExistsError as exc:  # written there in the meantime
        return _refuse(str(exc))
    except ScheduleError as exc:
        print_schedule_problems(
            exc, f"awair-bot import: {source} cannot be written in the bot's own format ({_count(exc)}):"
        )
        return 1
    except OSError as exc:
        print(f"awair-bot import: cannot write {target}: {exc.strerror or exc}", file=sys.stderr)
        return 1

    text = source.read_text(encoding="utf-8-sig", errors="replace")
    kind = FORMAT_NAMES.get(detect_format(source, text), "a schedule")
    rooms = len({s.room for s in workshop.sessions if s.room})
    readings = len({r.url for s in workshop.sessions for r in s.readings})
    print(
        f"Imported {workshop.name} from {source} ({kind}): {_n(len(workshop.sessions), 'session')} "
        f"over {_n(len(workshop.days), 'day')} in {_n(rooms, 'room')}, {_n(readings, 'reading')}, "
        f"time zone {workshop.timezone.key}."
    )
    print(f"Wrote {len(written)} files to {target}/:")
    for path in written:
        print(f"  {path}")
    # What an import lets pass (a tool's double-booked room) the bot's own files refuse, so
    # the folder is checked as `awair-bot check` and the bot at start-up will check it.
    try:
        load_schedule(target)
    except ScheduleError as exc:
        print_schedule_problems(
            exc,
            f"awair-bot import: the files are written, but `awair-bot check {target}` finds "
            f"{_count(exc)} to fix before the bot can run on them:",
        )
        return 1
    print(f"Validate it any time with: awair-bot check {target}")
    print(f"Run the bot on it with SCHEDULE_PATH={target}")
    return 0


def default_folder(source: Path) -> Path:
    """A folder in the current directory named after the file: schedule.xml -> schedule/."""
    folder = Path(source.stem or "schedule")
    # A file without a suffix in the current folder would be its own folder's name.
    return folder.with_name(f"{folder.name}-schedule") if folder.resolve() == source.resolve() else folder


def _refuse(reason: str) -> int:
    print(f"awair-bot import: not overwriting anything: {reason} with -o DIR.", file=sys.stderr)
    return 1


def _count(exc: ScheduleError) -> str:
    return _n(len(exc.problems), "problem")


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"
