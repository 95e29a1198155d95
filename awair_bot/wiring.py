"""Assemble the core from settings: clock, schedule, storage."""

from __future__ import annotations

import logging

from bot.clock import Clock, ShiftedClock, SystemClock
from bot.schedule.current import CurrentSchedule
from bot.services import Services
from bot.settings import Settings

logger = logging.getLogger(__name__)


def make_clock(settings: Settings) -> Clock:
    """Real time, or time running forward from ``AWAIR_NOW`` for rehearsals and demos."""
    if settings.awair_now is not None:
        logger.info("clock starts at AWAIR_NOW=%s and runs forward", settings.awair_now.isoformat())
        return ShiftedClock(settings.awair_now)
    return SystemClock()


def build_services(settings: Settings, clock: Clock | None = None) -> Services:
    """Load the schedule (raising ``ScheduleError`` if it is invalid) and wire the core."""
    schedule = CurrentSchedule.load(settings.schedule_path)
    return Services(settings=settings, clock=clock or make_clock(settings), schedule=schedule)
