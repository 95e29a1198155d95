"""A migrated database for a test in a few milliseconds, not a tenth of a second.

The migrations themselves are tested on their own (``tests/bot/db``: from empty to head, on a
database filled by the release before, and the schema they make equals the models'). Every
other test needs only a database at head: on SQLite a copy of one migrated once per process;
on PostgreSQL the models' tables made in the test's own schema and stamped at head.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

from bot.db.engine import make_engine
from bot.db.migrate import head_revision, upgrade
from bot.db.tables import Base

_template: Path | None = None


def migrated(url: str) -> str:
    """``url``, brought to the newest migration (fast when it is a test's fresh database)."""
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        shutil.copyfile(_sqlite_template(), url.removeprefix("sqlite:///"))
        return url
    if "search_path" in url:  # a test's own, empty PostgreSQL schema
        engine = make_engine(url)
        try:
            with engine.begin() as connection:
                if connection.execute(text("SELECT to_regclass('alembic_version')")).scalar() is None:
                    Base.metadata.create_all(connection)
                    connection.execute(
                        text(
                            "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
                            "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"
                        )
                    )
                    connection.execute(
                        text("INSERT INTO alembic_version VALUES (:head)"), {"head": head_revision()}
                    )
                    return url
        finally:
            engine.dispose()
    upgrade(url)
    return url


def _sqlite_template() -> Path:
    global _template
    if _template is None:
        path = Path(tempfile.mkdtemp(prefix="awair-template-")) / "template.sqlite3"
        upgrade(f"sqlite:///{path}")
        engine = make_engine(f"sqlite:///{path}")
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()
        _template = path
    return _template


@contextmanager
def postgres_schema(base: str) -> Iterator[str]:
    """A URL of the PostgreSQL database ``base`` in a fresh schema of its own, dropped
    afterwards, so parallel and earlier runs never meet."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base else "?"
    try:
        # search_path puts every table, alembic_version included, in the test's own schema.
        yield f"{base}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
