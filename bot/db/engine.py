"""Engines and sessions from a database URL: SQLite (embedded default) or PostgreSQL."""

from __future__ import annotations

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_URL = "sqlite:///awair-bot.sqlite3"


def normalise_url(url: str) -> str:
    """Accept Heroku's ``postgres://`` and bare ``postgresql://``, using the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL mode, a busy timeout and foreign keys."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        # Bolt answers on several threads; WAL lets readers run beside the one writer,
        # and the busy timeout makes writers queue instead of failing with "locked".
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # noqa: ANN001
            cursor = dbapi_connection.cursor()
            if ":memory:" not in url:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit."""
    return sessionmaker(engine, expire_on_commit=False)


def describe_url(url: str) -> str:
    """Where a database is, for messages: never its password."""
    from sqlalchemy.engine import make_url

    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() == "sqlite":
        return f"the embedded SQLite database {parsed.database or 'in memory'}"
    return "PostgreSQL at " + parsed.render_as_string(hide_password=True).split("@", 1)[-1]
