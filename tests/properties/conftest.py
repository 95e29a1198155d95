"""Property tests of every parser of user input: the project's Hypothesis profile."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

import tests.support.hypothesis_profile  # noqa: F401 - registers and loads the profile
from bot.schedule.loader import load_schedule
from bot.schedule.model import Workshop
from tests.bot.commands.conftest import Bot
from tests.bot.conftest import REPO, pt


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


@pytest.fixture(scope="module")
def core(tmp_path_factory) -> Iterator[Bot]:
    """The core on the AWAIR weekend, Saturday 10:45, with an SQLite database and the
    announcements running: one per module, since Hypothesis runs many examples per test."""
    made = Bot(pt("2023-08-05 10:45"), db_url=f"sqlite:///{tmp_path_factory.mktemp('db') / 'bot.sqlite3'}")
    made.start_announcements()
    yield made
    assert made.announcer is not None
    made.announcer.shutdown(wait=False)
    made.engine.dispose()
