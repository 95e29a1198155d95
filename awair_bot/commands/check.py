"""``awair-bot check [PATH]``: validate a schedule."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from awair_bot.output import print_schedule_failure, settings_or_exit
from bot.schedule.errors import ScheduleError
from bot.schedule.loader import load_schedule


def add_parser(sub) -> None:
    parser = sub.add_parser("check", help="validate a schedule folder or file")
    parser.add_argument(
        "path", nargs="?", help="schedule folder or file (default: $SCHEDULE_PATH or schedule_data)"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Validate; exit 1 with every located problem, no traceback."""
    path = Path(args.path) if args.path else settings_or_exit().schedule_path
    try:
        workshop = load_schedule(path)
    except ScheduleError as exc:
        n = len(exc.problems)
        print_schedule_failure(exc, f"{path}: {n} problem{'s' if n != 1 else ''}:")
        return 1
    for warning in workshop.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(
        f"{path}: OK: {workshop.name}, {len(workshop.sessions)} sessions over {len(workshop.days)} days, "
        f"{len(workshop.readings)} readings, time zone {workshop.timezone.key}."
    )
    return 0
