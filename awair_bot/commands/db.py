"""``awair-bot db upgrade|status``: the database's migrations."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy.engine import make_url

from awair_bot.output import database_or_exit, settings_or_exit, setup_logging
from bot.db.migrate import current_revision, head_revision, upgrade


def add_parser(sub) -> None:
    parser = sub.add_parser("db", help="database migrations")
    actions = parser.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    actions.add_parser("upgrade", help="apply every migration (the Procfile's release step)").set_defaults(
        func=run_upgrade
    )
    actions.add_parser("status", help="which migration the database is at").set_defaults(func=run_status)


def run_upgrade(args: argparse.Namespace) -> int:
    """Apply migrations up to the newest."""
    settings = settings_or_exit()
    setup_logging("WARNING")
    with database_or_exit(settings.database_url):
        upgrade(settings.database_url)
        current = current_revision(settings.database_url)
    print(f"database is at migration {current} (newest: {head_revision()})")
    return 0


def _missing_sqlite_file(url: str) -> Path | None:
    """The path of an SQLite database file that does not exist yet, else None."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    path = Path(parsed.database)
    return None if path.exists() else path


def run_status(args: argparse.Namespace) -> int:
    """Print the current and newest migration; exit 1 if behind."""
    settings = settings_or_exit()
    missing = _missing_sqlite_file(settings.database_url)
    if missing is not None:
        # Asking must not create it: opening an SQLite file that is not there makes one.
        print(f"database migration: none (no database file at {missing} yet); newest: {head_revision()}")
        print(
            "There is no database yet: `awair-bot db upgrade` (or starting the bot) creates it.",
            file=sys.stderr,
        )
        return 1
    with database_or_exit(settings.database_url):
        current, head = current_revision(settings.database_url), head_revision()
    print(f"database migration: {current or 'none (empty database)'}; newest: {head}")
    if current is None:
        print("The database is empty: `awair-bot db upgrade` creates its tables.", file=sys.stderr)
    elif current != head:
        print("The database is behind: `awair-bot db upgrade` brings it up to date.", file=sys.stderr)
    return 0 if current == head else 1
