"""Fixtures for the core's tests: the real AWAIR schedule and instants in its time zone."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.schedule.loader import load_schedule
from bot.schedule.model import Workshop

REPO = Path(__file__).resolve().parents[2]
PACIFIC = ZoneInfo("America/Los_Angeles")


def pt(text: str) -> datetime:
    """'2023-08-05 10:45' as an instant in the workshop's zone."""
    return datetime.fromisoformat(text).replace(tzinfo=PACIFIC)


@pytest.fixture(scope="session")
def awair() -> Workshop:
    """The AWAIR August 2023 schedule from schedule_data/."""
    return load_schedule(REPO / "schedule_data")
