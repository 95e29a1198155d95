"""What every subcommand shares: settings or a clear exit, schedule problems, logging."""

from __future__ import annotations

import logging
import sys

from bot.schedule.errors import ScheduleError
from bot.settings import Settings, SettingsError, load_settings


def setup_logging(level: str) -> None:
    """Log to stderr at ``level``; slack_sdk no chattier than INFO (it logs request bodies)."""
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    logging.getLogger("slack_sdk").setLevel(max(logging.INFO, logging.getLevelName(level)))
    logging.getLogger("apscheduler").setLevel(max(logging.WARNING, logging.getLevelName(level)))
    # Alembic narrates every migration step at INFO; `db upgrade` prints its own summary.
    logging.getLogger("alembic").setLevel(max(logging.WARNING, logging.getLevelName(level)))


def settings_or_exit() -> Settings:
    """The settings, or exit 2 listing what to fix."""
    try:
        return load_settings()
    except SettingsError as exc:
        print("awair-bot: some settings need fixing (see .env.example):", file=sys.stderr)
        for problem in exc.problems:
            print(f"  - {problem}", file=sys.stderr)
        raise SystemExit(2) from None


def print_schedule_problems(exc: ScheduleError, heading: str) -> None:
    """Every located problem under a heading, on stderr."""
    print(heading, file=sys.stderr)
    for problem in exc.problems:
        print(f"  {problem}", file=sys.stderr)
