"""Programme clock times to instants: the one rule every schedule format shares."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.schedule.model import Workshop

_UTC = ZoneInfo("UTC")


def local_instant(day: date, clock: time, zone: ZoneInfo, day_change_hour: int = 0) -> datetime:
    """The instant of a clock time on a programme day; hours before ``day_change_hour``
    fall on the next calendar date (a night that runs to 04:00)."""
    on = day + timedelta(days=1) if clock.hour < day_change_hour else day
    naive = datetime.combine(on, clock)
    # Round-trip through UTC so a time inside a spring-forward gap lands on a real instant.
    return naive.replace(tzinfo=zone).astimezone(_UTC).astimezone(zone)


def with_timezone(workshop: Workshop, timezone: ZoneInfo | None, file: Path) -> Workshop:
    """The bot's own schedule with ``SCHEDULE_TIMEZONE`` put first: its clock times are read
    in that zone instead of the file's (with a warning when they differ)."""
    if timezone is None or timezone.key == workshop.timezone.key:
        return workshop
    sessions = tuple(
        replace(
            s,
            start=_rezone(s.start, timezone),
            end=_rezone(s.end, timezone) if s.end else None,
        )
        for s in workshop.sessions
    )
    note = f"{file}: timezone {workshop.timezone.key} is overridden by SCHEDULE_TIMEZONE={timezone.key}"
    return replace(workshop, timezone=timezone, sessions=sessions, warnings=(*workshop.warnings, note))


def _rezone(value: datetime, zone: ZoneInfo) -> datetime:
    # The same wall-clock time, in the other zone: what the organizer wrote was local time.
    return local_instant(value.date(), value.time(), zone)
