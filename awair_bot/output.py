"""What every subcommand shares: settings or a clear exit, schedule problems, logging."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn, TypeVar

from bot.schedule.errors import ScheduleError, ScheduleNotFound
from bot.settings import Settings, SettingsError, parse_settings, read_environment

T = TypeVar("T")


def setup_logging(level: str, fmt: str = "text") -> None:
    """Log to stderr at ``level`` as text or JSON lines (``fmt``), never forgeable by a
    newline; slack_sdk no chattier than INFO (it logs request bodies)."""
    from awair_bot.logs import make_handler

    logging.basicConfig(level=level, handlers=[make_handler(sys.stderr, fmt)], force=True)
    logging.getLogger("slack_sdk").setLevel(max(logging.INFO, logging.getLevelName(level)))
    logging.getLogger("apscheduler").setLevel(max(logging.WARNING, logging.getLevelName(level)))
    # Alembic narrates every migration step at INFO; `db upgrade` prints its own summary.
    logging.getLogger("alembic").setLevel(max(logging.WARNING, logging.getLevelName(level)))


def settings_or_exit() -> Settings:
    """The core's settings, or exit 2 listing what to fix."""
    (settings,) = all_settings_or_exit(parse_settings)
    return settings


def all_settings_or_exit(*parsers: Callable[..., T]) -> tuple[T, ...]:
    """Each parser's settings from one environment, or exit 2 listing every problem of all."""
    try:
        env = read_environment()
    except SettingsError as exc:
        _exit_listing(exc.problems)
    results, problems = [], []
    for parse in parsers:
        try:
            results.append(parse(env))
        except SettingsError as exc:
            problems += exc.problems
    if problems:
        _exit_listing(problems)
    return tuple(results)


def _exit_listing(problems: list[str]) -> NoReturn:
    print("awair-bot: some settings need fixing (see .env.example):", file=sys.stderr)
    for problem in problems:
        print(f"  - {problem}", file=sys.stderr)
    raise SystemExit(2) from None


@contextmanager
def database_or_exit(url: str) -> Iterator[None]:
    """Run the block; a database that cannot be reached or opened exits 1 saying which one
    and what to check, instead of a traceback."""
    from sqlalchemy.exc import SQLAlchemyError

    from bot.db.engine import describe_url

    try:
        yield
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:300]
        print(
            f"awair-bot: cannot use {describe_url(url)}: {reason}\n"
            "  Check DATABASE_URL, that the database server is running and reachable, and for "
            "SQLite that the file's folder exists and is writable.",
            file=sys.stderr,
        )
        raise SystemExit(1) from None


def print_schedule_failure(exc: ScheduleError, heading: str) -> None:
    """Why the configured schedule cannot be used: missing (where it was looked for, and the
    setting that names it), or every located problem under ``heading``."""
    if isinstance(exc, ScheduleNotFound):
        path = Path(exc.path)
        print(
            f"awair-bot: no schedule found at {exc.path} (looked for {path.absolute()}).\n"
            "  Set SCHEDULE_PATH (in the environment or .env) to your schedule folder or file, "
            "or pass it on the command line; the default, schedule_data, is relative to the "
            f"folder you start the bot in ({Path.cwd()}).",
            file=sys.stderr,
        )
        return
    print_schedule_problems(exc, heading)


def print_schedule_problems(exc: ScheduleError, heading: str) -> None:
    """Every located problem under a heading, on stderr."""
    print(heading, file=sys.stderr)
    for problem in exc.problems:
        print(f"  {problem}", file=sys.stderr)
    for warning in exc.warnings:
        print(f"warning: {warning}", file=sys.stderr)
