"""Property tests of every parser of user input: the project's Hypothesis profile."""

from __future__ import annotations

import pytest

import tests.support.hypothesis_profile  # noqa: F401 - registers and loads the profile
from bot.schedule.loader import load_schedule
from bot.schedule.model import Workshop
from tests.bot.conftest import REPO


@pytest.fixture(scope="session")
def awair() -> Workshop:
    """The AWAIR August 2023 schedule from schedule_data/."""
    return load_schedule(REPO / "schedule_data")
