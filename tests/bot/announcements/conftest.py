"""Fixtures for announcement tests: a migrated database, seen as one or two processes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.db.engine import make_engine, make_sessionmaker
from tests.support.databases import migrated


def _sessions(url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(url)
    try:
        yield make_sessionmaker(engine)
    finally:
        engine.dispose()


@pytest.fixture
def db_sessions(db_url: str) -> Iterator[sessionmaker[Session]]:
    """Sessions on a migrated database (SQLite file; PostgreSQL too when configured)."""
    migrated(db_url)
    yield from _sessions(db_url)


@pytest.fixture
def other_process_db_sessions(db_url: str, db_sessions) -> Iterator[sessionmaker[Session]]:
    """Sessions on the same database through a second engine, as a second process has."""
    yield from _sessions(db_url)
