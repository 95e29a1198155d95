"""The real APScheduler on real time, once: an ``AWAIR_NOW`` clock fires at its shifted
instant. The ``slow`` tier: it waits about a second of wall-clock time."""

from __future__ import annotations

import time
from datetime import datetime

import pytest

from bot.announcements.plan import AnnouncementPolicy
from bot.announcements.scheduler import AnnouncementScheduler
from bot.clock import ShiftedClock
from tests.bot.announcements.fakes import PT, FakePoster, Sleeps

pytestmark = pytest.mark.slow


def test_awair_now_rehearsal_fires_at_the_shifted_instant(db_sessions, awair):
    # AWAIR_NOW=Sat 10:54:59 PT: the Misalignment reading (11:00, due 10:55) goes out in ~1 s.
    poster = FakePoster()
    clock = ShiftedClock(datetime(2023, 8, 5, 10, 54, 59, tzinfo=PT))
    scheduler = AnnouncementScheduler(
        db_sessions, poster, "C-ANN", clock=clock, policy=AnnouncementPolicy(), sleep=Sleeps()
    )
    try:
        scheduler.start(awair)
        started = time.monotonic()
        [post] = poster.wait_for(1, timeout=3)
    finally:
        scheduler.shutdown(wait=False)
    assert 0.8 < post.at - started < 1.5
    assert post.text.startswith("⏰ Starting at 11:00 PT (in 5 min):\n📕 Misalignment")
