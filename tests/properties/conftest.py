"""Property tests of every parser of user input: the project's Hypothesis profile."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

import tests.support.hypothesis_profile  # noqa: F401 - registers and loads the profile
from bot.schedule.loader import load_schedule
from bot.schedule.model import Workshop
from tests.bot.commands.conftest import Bot
from tests.bot.conftest import REPO, pt
from tests.support.databases import postgres_schema


@pytest.fixture(scope="session")
def awair() -> Workshop:
    """The AWAIR August 2023 schedule from schedule_data/."""
    return load_schedule(REPO / "schedule_data")


class _Errors(logging.Handler):
    """Every record at ERROR or above: an unexpected exception anywhere in the bot, in a
    command or in the work that follows it."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(scope="module")
def errors() -> Iterator[_Errors]:
    """The errors logged while a module's properties run (cleared by each example)."""
    handler = _Errors()
    logging.getLogger().addHandler(handler)
    yield handler
    logging.getLogger().removeHandler(handler)


@contextmanager
def _core(db_url: str) -> Iterator[Bot]:
    """The core on the AWAIR weekend, Saturday 10:45, with the database at ``db_url`` and
    the announcements running."""
    made = Bot(pt("2023-08-05 10:45"), db_url=db_url)
    announcer = made.start_announcements()
    try:
        yield made
    finally:
        announcer.shutdown(wait=False)
        made.engine.dispose()


@pytest.fixture(scope="module")
def core(tmp_path_factory) -> Iterator[Bot]:
    """The core with an SQLite database: one per module, since Hypothesis runs many
    examples per test (a function's fixture would be shared by them anyway)."""
    with _core(f"sqlite:///{tmp_path_factory.mktemp('db') / 'bot.sqlite3'}") as made:
        yield made


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def stored_core(request, tmp_path_factory) -> Iterator[Bot]:
    """The same on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set: for what must be
    stored exactly."""
    if request.param == "sqlite":
        with _core(f"sqlite:///{tmp_path_factory.mktemp('db') / 'bot.sqlite3'}") as made:
            yield made
        return
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        pytest.skip("TEST_DATABASE_URL is not set")
    with postgres_schema(base) as url, _core(url) as made:
        yield made
