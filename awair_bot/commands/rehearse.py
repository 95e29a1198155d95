"""``awair-bot rehearse``: replay the weekend's announcements on a simulated clock, no Slack."""

from __future__ import annotations

import argparse
import math
import os
import re
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from awair_bot.output import print_schedule_failure, settings_or_exit
from awair_bot.wiring import announcement_policy
from bot.announcements.plan import AnnouncementPolicy
from bot.announcements.rehearse import PlannedNote, rehearse, replay
from bot.board import board_changes, build_board
from bot.board_text import render_board
from bot.db.migrate import current_revision
from bot.schedule.errors import ScheduleError
from bot.schedule.loader import load_schedule
from bot.schedule.model import Workshop
from bot.timefmt import clock, day_label, duration

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_FORMS = "ISO 8601 (2023-08-05T10:45:00-07:00), 'YYYY-MM-DD HH:MM' or 'sat 10:00'"


class BadTime(ValueError):
    """A --from/--to value that names no instant; the message says how to write one."""


def add_parser(sub) -> None:
    parser = sub.add_parser(
        "rehearse",
        help="print every announcement of the weekend at its simulated time (no Slack needed)",
        description="Replay the weekend's announcements on a simulated clock, as the live bot would "
        "post them, with the settings' lead times, kinds and grace window. Times without an "
        "offset are in the workshop's time zone.",
    )
    parser.add_argument(
        "path", nargs="?", help="schedule folder or file (default: $SCHEDULE_PATH or schedule_data)"
    )
    parser.add_argument("--from", dest="start", metavar="TIME", help=f"start here: {_FORMS}")
    parser.add_argument("--to", dest="end", metavar="TIME", help="stop before this time (same forms)")
    parser.add_argument(
        "--speed",
        type=_speed,
        default=0.0,
        metavar="X",
        help="simulated seconds per real second, e.g. 60 for a minute a second (default 0: instantly)",
    )
    parser.add_argument(
        "--board",
        action="store_true",
        help="print the lobby board at every moment it changes, instead of the announcements",
    )
    parser.set_defaults(func=run)


def _speed(value: str) -> float:
    try:
        speed = float(value)
    except ValueError:
        speed = math.nan
    if math.isnan(speed) or speed < 0:
        raise argparse.ArgumentTypeError(f"'{value}' is not a speed: give a number of at least 0, e.g. 60")
    return speed


def parse_time(text: str, workshop: Workshop, end_of_day: bool = False) -> datetime:
    """An instant from ISO 8601, 'YYYY-MM-DD HH:MM' or 'sat 10:00' (workshop zone); a bare day
    ('sat', '2023-08-05') is its start, or with ``end_of_day`` its end."""
    zone, words = workshop.timezone, text.strip().split()
    if words and words[0].casefold().rstrip(",") in _named_days():
        day_word, rest = words[0].casefold().rstrip(","), words[1:]
        weekday = next(i for i, d in enumerate(_WEEKDAYS) if d.startswith(day_word))
        days = [d for d in workshop.days if d.weekday() == weekday]
        if not days:
            listed = ", ".join(day_label(d) for d in workshop.days) or "none"
            raise BadTime(f"the workshop has no {_WEEKDAYS[weekday].capitalize()} (its days: {listed})")
        day = days[0]
        if not rest:
            # A programme day runs from day_change_hour to day_change_hour.
            return workshop.day_end(day if end_of_day else day - timedelta(days=1))
        match = re.fullmatch(r"(\d{1,2}):(\d{2})", rest[0]) if len(rest) == 1 else None
        if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
            raise BadTime(f"not a time; write it as {_FORMS}")
        return datetime(day.year, day.month, day.day, int(match.group(1)), int(match.group(2)), tzinfo=zone)
    try:
        instant = datetime.fromisoformat(text.strip())
    except ValueError:
        raise BadTime(f"not a time; write it as {_FORMS}") from None
    if end_of_day and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
        return workshop.day_end(instant.date())
    return instant if instant.tzinfo else instant.replace(tzinfo=zone)


def _named_days() -> set[str]:
    return {d[:n] for d in _WEEKDAYS for n in range(3, len(d) + 1)}


def describe(workshop: Workshop, policy: AnnouncementPolicy) -> str:
    """One line saying which rules the rehearsal follows."""
    leads = ", ".join(f"{k.value} {duration(v)}" for k, v in sorted(policy.lead_by_kind.items()))
    lead = f"{duration(policy.lead)} before each session" if policy.lead else "as each session starts"
    kinds = ", ".join(sorted(k.value for k in policy.kinds)) or "none"
    return (
        f"{workshop.name} ({workshop.timezone.key}): announcements {lead}"
        f"{f' ({leads} before)' if leads else ''}; kinds announced: {kinds}; "
        f"missed ones are posted late for up to {duration(policy.grace)}."
    )


def run(args: argparse.Namespace, sleep: Callable[[float], None] = time.sleep) -> int:
    """Print each post with its simulated time; exit 2 on bad arguments, 1 on a bad schedule."""
    settings = settings_or_exit()
    path = Path(args.path) if args.path else settings.schedule_path
    try:
        workshop = load_schedule(path, settings.schedule_timezone)
    except ScheduleError as exc:
        print_schedule_failure(exc, f"awair-bot rehearse: the schedule at {path} is invalid:")
        return 1
    window: list[datetime | None] = []
    for flag, value in (("--from", args.start), ("--to", args.end)):
        try:
            window.append(parse_time(value, workshop, end_of_day=flag == "--to") if value else None)
        except BadTime as exc:
            print(f"awair-bot rehearse: {flag} '{value}': {exc}", file=sys.stderr)
            return 2
    start, end = window
    if start and end and end <= start:
        print("awair-bot rehearse: --to must be after --from.", file=sys.stderr)
        return 2
    # What the live bot posts from its database too: the published plan, organizers' posts.
    workshop, notes, said = from_database(settings.database_url, workshop)
    if args.board:
        return _print_board(workshop, start, end, args.speed, sleep)
    policy = announcement_policy(settings)
    zone = workshop.timezone
    print(describe(workshop, policy))
    if said:
        print(said)
    count = 0
    try:
        for when, text in rehearse(workshop, policy, start, end, args.speed, sleep=sleep, notes=notes):
            local = when.astimezone(zone)
            print(f"\n── {day_label(local.date())} {clock(when, zone)} " + "─" * 30)
            print("\n".join(f"  {line}" for line in text.splitlines()), flush=True)
            count += 1
        span = _window(start, end, zone)
        print(f"\n{count} post{'s' if count != 1 else ''}{span}." if count else f"\nNo posts{span}.")
    except BrokenPipeError:  # piped into head or less, which stopped reading
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def from_database(url: str, workshop: Workshop) -> tuple[Workshop, list[PlannedNote], str | None]:
    """What the live bot adds to the schedule from its database: the published unconference
    plan, and the organizers' scheduled announcements. The database is only read: a missing
    one is never created, and one that cannot be read leaves the rehearsal to the files."""
    from sqlalchemy.exc import SQLAlchemyError

    from bot.announcements.organizer import pending_once
    from bot.db.engine import describe_url, make_engine, make_sessionmaker
    from bot.db.migrate import head_revision
    from bot.schedule.current import with_sessions
    from bot.unconference.plans import plan_sessions

    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return workshop, [], None
    try:
        if current_revision(url) != head_revision():
            return (
                workshop,
                [],
                f"(The database at {describe_url(url)} is not up to date: its plan and announcements are left out.)",
            )
        engine = make_engine(url)
        try:
            with make_sessionmaker(engine)() as db:
                planned = plan_sessions(db, workshop)
                notes = [PlannedNote(r.due_at, r.text, r.author_name) for r in pending_once(db)]
        finally:
            engine.dispose()
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:200]
        return (
            workshop,
            [],
            f"(The database at {describe_url(url)} could not be read ({reason}): the files alone.)",
        )
    parts = (
        [f"{len(planned)} session{'s' if len(planned) != 1 else ''} of the published plan"] if planned else []
    )
    parts += [f"{len(notes)} organizer announcement{'s' if len(notes) != 1 else ''}"] if notes else []
    said = f"From {describe_url(url)}: {' and '.join(parts)}." if parts else None
    return with_sessions(workshop, planned), notes, said


def _print_board(
    workshop: Workshop, start: datetime | None, end: datetime | None, speed: float, sleep
) -> int:
    """The board as the lobby screen would show it, at each moment it changes."""
    zone = workshop.timezone
    moments = board_changes(workshop, start, end)
    states = ((at, render_board(build_board(workshop, at))) for at in moments)
    try:
        for when, text in replay(states, speed, sleep):
            print(f"\n── {day_label(when.astimezone(zone).date())} {clock(when, zone)} " + "─" * 30)
            print("\n".join(f"  {line}" for line in text.splitlines()), flush=True)
        count = len(moments)
        print(f"\n{count} board state{'s' if count != 1 else ''}{_window(start, end, zone)}.")
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def _window(start: datetime | None, end: datetime | None, zone) -> str:
    def label(at: datetime) -> str:
        return f"{day_label(at.astimezone(zone).date())} {clock(at, zone)}"

    parts = ([f" from {label(start)}"] if start else []) + ([f" until {label(end)}"] if end else [])
    return "".join(parts)
