"""``awair-bot check [PATH]``: validate a schedule."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from awair_bot.commands.zone_option import add_timezone_option, timezone_of
from awair_bot.output import print_schedule_failure, settings_or_exit
from bot.schedule.errors import ScheduleError
from bot.schedule.loader import load_schedule
from bot.schedule.remote import fetch_and_load


def add_parser(sub) -> None:
    parser = sub.add_parser("check", help="validate a schedule folder or file")
    parser.add_argument(
        "path", nargs="?", help="schedule folder or file (default: $SCHEDULE_PATH or schedule_data)"
    )
    add_timezone_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Validate; exit 1 with every located problem, no traceback."""
    settings = None if args.path else settings_or_exit()
    path = Path(args.path) if args.path else settings.schedule_path
    try:
        if settings is not None and settings.schedule_url:
            path = settings.schedule_url  # what the bot would run on: fetched now, not cached
            workshop = fetch_and_load(settings.schedule_url, settings.schedule_cache_path, timezone_of(args))
        else:
            workshop = load_schedule(path, timezone_of(args))
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
