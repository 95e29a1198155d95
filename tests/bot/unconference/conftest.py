"""Fixtures for the unconference tests: a migrated database (on ``db_url`` from
tests/conftest.py: SQLite in tmp_path, and PostgreSQL with TEST_DATABASE_URL)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.db.engine import make_engine, make_sessionmaker
from tests.support.databases import migrated

# Saturday morning in Berkeley, long before the Sunday 16:00 PT block.
NOW = datetime(2023, 8, 5, 16, 0, tzinfo=UTC)


@pytest.fixture
def sessions(db_url: str) -> Iterator[sessionmaker[Session]]:
    """A sessionmaker on the database migrated to head (so the real schema, not create_all)."""
    migrated(db_url)
    engine = make_engine(db_url)
    try:
        yield make_sessionmaker(engine)
    finally:
        engine.dispose()


@pytest.fixture
def db(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """One session, as a request handler would hold."""
    with sessions() as session:
        yield session
