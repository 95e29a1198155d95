"""Fixtures for the process-level tests."""

from __future__ import annotations

import pytest

from bot.clock import ManualClock
from bot.schedule.current import CurrentSchedule
from bot.services import Services
from bot.settings import Settings
from tests.bot.conftest import pt
from tests.support.harness import REPO


@pytest.fixture
def awair_services() -> Services:
    """The core on the AWAIR schedule at 11:30 on Saturday (Misalignment is on)."""
    settings = Settings(schedule_path=REPO / "schedule_data")
    return Services(
        settings, ManualClock(pt("2023-08-05 11:30")), CurrentSchedule.load(settings.schedule_path)
    )
