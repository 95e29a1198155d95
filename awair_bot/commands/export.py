"""``awair-bot export ics [-o FILE]``: the running schedule as an iCalendar file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from awair_bot.output import print_schedule_failure, settings_or_exit, setup_logging
from bot.clock import SystemClock
from bot.db.engine import describe_url
from bot.db.migrate import DatabaseBehind, current_revision
from bot.formats.ics_export import workshop_to_ics
from bot.schedule.current import with_sessions
from bot.schedule.errors import ScheduleError
from bot.schedule.loader import load_schedule
from bot.schedule.model import Session, Workshop
from bot.settings import Settings
from bot.text import plural


def add_parser(sub) -> None:
    parser = sub.add_parser(
        "export",
        help="write the schedule as an iCalendar (.ics) file",
        description=(
            "Write the whole schedule ($SCHEDULE_PATH, with the published unconference plan from "
            "$DATABASE_URL) as an RFC 5545 calendar. Event UIDs are stable, so importing a newer "
            "export updates a calendar instead of adding copies."
        ),
    )
    parser.add_argument("format", choices=["ics"], help="the format to write (ics)")
    parser.add_argument("-o", "--output", metavar="FILE", help="file to write (default: standard output)")
    parser.add_argument(
        "--schedule",
        metavar="PATH",
        help="schedule folder or file (default: $SCHEDULE_PATH or schedule_data)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Export; exit 1 with located problems if the schedule is invalid."""
    settings = settings_or_exit()
    setup_logging("WARNING")
    path = Path(args.schedule) if args.schedule else settings.schedule_path
    try:
        workshop = load_schedule(path, settings.schedule_timezone)
    except ScheduleError as exc:
        n = len(exc.problems)
        print_schedule_failure(
            exc, f"awair-bot export: the schedule at {path} is invalid ({n} problem{'s' if n != 1 else ''}):"
        )
        return 1
    plan = published_plan(settings, workshop)
    if plan:
        workshop = with_sessions(workshop, plan)
    body = workshop_to_ics(workshop, SystemClock().now())
    if args.output in (None, "-"):
        sys.stdout.buffer.write(body)
        sys.stdout.flush()
        return 0
    try:
        Path(args.output).write_bytes(body)
    except OSError as exc:
        print(f"awair-bot export: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(
        f"Wrote {workshop.name} to {args.output}: {len(workshop.sessions)} events, time zone "
        f"{workshop.timezone.key}."
    )
    return 0


def published_plan(settings: Settings, workshop: Workshop) -> tuple[Session, ...]:
    """The published unconference plan's sessions, or () with a note on stderr when the
    database is not set up (this command never creates or migrates one)."""
    url = settings.database_url
    where = describe_url(url)
    note = "so the calendar has the schedule file's sessions only (no unconference plan)"
    if url.startswith("sqlite"):
        database = make_url(url).database
        if not database or database == ":memory:" or not Path(database).is_file():
            print(f"awair-bot export: there is no database yet ({where}), {note}.", file=sys.stderr)
            return ()
    try:
        if current_revision(url) is None:
            print(f"awair-bot export: {where} is not set up yet, {note}.", file=sys.stderr)
            return ()
        from awair_bot.wiring import open_database
        from bot.unconference import plan_sessions

        with open_database(url)() as db:
            sessions = plan_sessions(db, workshop)
    except DatabaseBehind as exc:
        print(f"awair-bot export: {exc}; meanwhile, {note}.", file=sys.stderr)
        return ()
    except SQLAlchemyError as exc:
        print(
            f"awair-bot export: cannot read {where} ({type(exc).__name__}), {note}.",
            file=sys.stderr,
        )
        return ()
    if sessions:
        print(
            f"awair-bot export: with the published unconference plan ({plural(len(sessions), 'session')}).",
            file=sys.stderr,
        )
    return sessions
