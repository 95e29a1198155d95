"""Fixtures shared by every test tier."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator

import pytest

from tests.support.databases import postgres_schema
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
    with postgres_schema(base) as url:
        yield url


# --- Without TEST_DATABASE_URL the PostgreSQL tests are left out, said once --------------

NO_POSTGRES = (
    "PostgreSQL tests not run: TEST_DATABASE_URL is not set (e.g. postgresql://postgres@127.0.0.1:5432/test)"
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("TEST_DATABASE_URL"):
        return
    # Deselected, not skipped: a skip is a summary line per test (there are hundreds).
    left_out = [item for item in items if item.get_closest_marker("postgres")]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if not item.get_closest_marker("postgres")]


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    if not os.environ.get("TEST_DATABASE_URL"):
        terminalreporter.write_line(NO_POSTGRES)


# --- Secrets never reach a log ------------------------------------------------------------
# Every log record of the whole run is watched; none may contain a token or the signing
# secret the tests use. A leak fails the test it happened in (or, from a background thread
# that outlived its test, the next one), naming the record: with several workers (xdist)
# each is its own run, so the check is per test, not once at the end.

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


@pytest.fixture(autouse=True)
def no_secret_in_any_log() -> Iterator[None]:
    """Fails the test if a record logged while it ran holds a secret."""
    before = len(_LOG_WATCH.leaks)
    yield
    leaked = _LOG_WATCH.leaks[before:]
    assert not leaked, "SECRETS IN LOGS:\n" + "\n".join(leaked[:20])


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    logging.getLogger().removeHandler(_LOG_WATCH)
