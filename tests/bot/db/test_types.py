"""Aware datetimes in, aware UTC datetimes out, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.exc import StatementError

from bot.db import migrate
from bot.db.engine import make_engine, make_sessionmaker
from bot.db.tables_announce import LedgerEntry

BERLIN = ZoneInfo("Europe/Berlin")


def test_round_trip_keeps_the_instant_and_comes_back_in_utc(db_url):
    migrate.upgrade(db_url)
    engine = make_engine(db_url)
    sessions = make_sessionmaker(engine)
    when = datetime(2023, 10, 29, 2, 30, fold=1, tzinfo=BERLIN)  # the second 02:30 (CET)
    with sessions() as db:
        db.add(
            LedgerEntry(
                key="k",
                platform="slack",
                channel="C",
                kind="start",
                status="sent",
                claimed_at=when,
                late=False,
                attempts=1,
            )
        )
        db.commit()
    with sessions() as db:
        stored = db.scalars(select(LedgerEntry.claimed_at)).one()
        found = db.scalars(select(LedgerEntry.key).where(LedgerEntry.claimed_at >= when)).all()
    engine.dispose()
    assert stored.tzinfo is UTC and stored.timestamp() == when.timestamp()
    assert stored == datetime(2023, 10, 29, 1, 30, tzinfo=UTC)
    assert found == ["k"]


def test_naive_datetimes_are_refused(db_url):
    migrate.upgrade(db_url)
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db:
        db.add(
            LedgerEntry(
                key="k",
                channel="C",
                kind="start",
                status="sent",
                claimed_at=datetime(2023, 1, 1),
                late=False,
                attempts=0,
            )
        )
        with pytest.raises(StatementError, match="naive datetime"):
            db.commit()
    engine.dispose()
