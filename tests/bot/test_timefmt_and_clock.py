"""How times read, and the clocks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from bot.clock import ManualClock, ShiftedClock
from bot.timefmt import clock, duration, ends_in, until, zone_label


@pytest.mark.parametrize(
    ("zone", "instant", "label"),
    [
        ("America/Los_Angeles", "2023-08-05T12:00:00+00:00", "PT"),
        ("America/Los_Angeles", "2023-12-05T12:00:00+00:00", "PT"),
        ("America/New_York", "2023-08-05T12:00:00+00:00", "ET"),
        ("Europe/Berlin", "2023-08-05T12:00:00+00:00", "CEST"),
        ("Europe/London", "2023-08-05T12:00:00+00:00", "BST"),
        ("Asia/Dubai", "2023-08-05T12:00:00+00:00", "UTC+04"),
    ],
)
def test_zone_labels(zone, instant, label):
    assert zone_label(ZoneInfo(zone), datetime.fromisoformat(instant)) == label


@pytest.mark.parametrize(
    ("minutes", "text"),
    [(0.2, "under a minute"), (15, "15 min"), (60, "1 h"), (80, "1 h 20 min"), (3 * 1440, "3 days")],
)
def test_durations(minutes, text):
    assert duration(timedelta(minutes=minutes)) == text


def test_relative_hints():
    now = datetime(2023, 8, 5, 18, tzinfo=UTC)
    assert until(now + timedelta(minutes=15), now) == "in 15 min"
    assert until(now - timedelta(minutes=5), now) == "started 5 min ago"
    assert until(now, now) == "now"
    assert ends_in(now + timedelta(minutes=20), now) == "ends in 20 min"
    assert ends_in(None, now) == "open-ended"
    assert clock(now, ZoneInfo("America/Los_Angeles")) == "11:00 PT"


def test_shifted_clock_starts_at_the_instant_and_runs_forward():
    start = datetime.fromisoformat("2023-08-05T10:45:00-07:00")
    with freeze_time("2026-01-01 00:00:00") as frozen:
        shifted = ShiftedClock(start)
        assert shifted.now() == start
        frozen.tick(90)
        assert shifted.now() == start + timedelta(seconds=90)


def test_clocks_need_offsets():
    with pytest.raises(ValueError, match="offset"):
        ShiftedClock(datetime(2023, 8, 5, 10, 45))
    manual = ManualClock(datetime(2023, 8, 5, tzinfo=UTC))
    manual.advance(timedelta(hours=1))
    assert manual.now().hour == 1
