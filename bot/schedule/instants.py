"""Programme clock times to instants: the one rule every schedule format shares."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

_UTC = ZoneInfo("UTC")


def local_instant(day: date, clock: time, zone: ZoneInfo, day_change_hour: int = 0) -> datetime:
    """The instant of a clock time on a programme day; hours before ``day_change_hour``
    fall on the next calendar date (a night that runs to 04:00)."""
    on = day + timedelta(days=1) if clock.hour < day_change_hour else day
    naive = datetime.combine(on, clock)
    # Round-trip through UTC so a time inside a spring-forward gap lands on a real instant.
    return naive.replace(tzinfo=zone).astimezone(_UTC).astimezone(zone)
