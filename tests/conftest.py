"""Fixtures shared by every test tier."""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from bot.db.engine import make_engine
from tests.support.harness import BOT_TOKEN, SIGNING_SECRET


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """An empty database URL: an SQLite file in tmp_path, and (when TEST_DATABASE_URL is set)
    a fresh PostgreSQL schema, dropped afterwards, so parallel and earlier runs never meet."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'bot.sqlite3'}"
        return
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        pytest.skip("TEST_DATABASE_URL is not set")
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


# --- Secrets never reach a log ------------------------------------------------------------
# Every log record of the whole run is kept; at the end, none may contain a token or the
# signing secret the tests use. A leak fails the run (exit status 1) and names the record.

SECRETS = (BOT_TOKEN, SIGNING_SECRET)


class _AllRecords(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.leaks: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = self.format(record)
        except Exception:  # noqa: BLE001 - a record that cannot format cannot leak either
            return
        if any(secret in text for secret in SECRETS):
            self.leaks.append(f"{record.name}: {text[:300]}")


_LOG_WATCH = _AllRecords()
_LOG_WATCH.setFormatter(logging.Formatter("%(message)s"))


def pytest_configure(config: pytest.Config) -> None:
    root = logging.getLogger()
    root.addHandler(_LOG_WATCH)
    root.setLevel(logging.DEBUG)  # so DEBUG records (slack_sdk's request logs) are checked too


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    logging.getLogger().removeHandler(_LOG_WATCH)
    if _LOG_WATCH.leaks:
        print("\nSECRETS IN LOGS:\n" + "\n".join(_LOG_WATCH.leaks[:20]))
        session.exitstatus = 1
