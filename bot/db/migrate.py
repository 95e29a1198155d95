"""Apply and check the Alembic migrations in ``bot/migrations``, with no alembic.ini.

``awair-bot db upgrade`` calls ``upgrade``; the bot calls ``ensure_up_to_date`` before it
starts and refuses to run on a database that is behind.
"""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from bot.db.engine import make_engine

logger = logging.getLogger(__name__)

# Found next to this package, so it works from a checkout and from an installed wheel.
MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"

UPGRADE_COMMAND = "awair-bot db upgrade"


class DatabaseBehind(RuntimeError):
    """The database's schema is older (or other) than the code's migrations."""

    def __init__(self, current: str | None, head: str):
        self.current = current
        self.head = head
        have = f"is at migration {current}" if current else "has no tables yet"
        super().__init__(
            f"the database {have}, but this version of awair-bot needs migration {head}: "
            f"run `{UPGRADE_COMMAND}` (with the same DATABASE_URL) and start the bot again"
        )


def alembic_config(url: str) -> Config:
    """An Alembic config for ``url``, built in code.

    The URL travels in ``attributes``, not the ini options, because ConfigParser would
    choke on the ``%`` of URL-encoded passwords.
    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["url"] = url
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at ``url`` up to ``revision`` (default: the newest)."""
    logger.info("migrating database to %s", revision)
    command.upgrade(alembic_config(url), revision)


def head_revision() -> str:
    """The newest migration this code ships."""
    head = ScriptDirectory.from_config(alembic_config("")).get_current_head()
    if head is None:  # pragma: no cover - the package always ships migrations
        raise RuntimeError(f"no migrations found in {MIGRATIONS}")
    return head


def current_revision(url: str) -> str | None:
    """The revision the database at ``url`` is at, or None for a database never migrated."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def is_up_to_date(url: str) -> bool:
    """Whether the database at ``url`` is at the newest migration."""
    return current_revision(url) == head_revision()


def ensure_up_to_date(url: str) -> None:
    """Raise ``DatabaseBehind`` (saying which command fixes it) unless the schema is current."""
    current, head = current_revision(url), head_revision()
    if current != head:
        raise DatabaseBehind(current, head)
