"""The bot's sense of time. Only entry points read a clock; the core is given ``now``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Something that says what time it is (always timezone-aware)."""

    def now(self) -> datetime: ...


class SystemClock:
    """Real time."""

    def now(self) -> datetime:
        """The current instant, in UTC."""
        return datetime.now(UTC)


class ShiftedClock:
    """Starts at a chosen instant and runs forward at real speed (``AWAIR_NOW`` rehearsals)."""

    def __init__(self, start: datetime, base: Clock | None = None):
        if start.tzinfo is None:
            raise ValueError("the start instant needs a UTC offset, e.g. 2023-08-05T10:45:00-07:00")
        self._base = base or SystemClock()
        self._offset = start - self._base.now()

    def now(self) -> datetime:
        """The shifted instant."""
        return self._base.now() + self._offset


class ManualClock:
    """A clock that moves only when told to; for tests and simulations."""

    def __init__(self, start: datetime):
        if start.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")
        self._now = start

    def now(self) -> datetime:
        """The clock's current instant."""
        return self._now

    def set(self, instant: datetime) -> None:
        """Jump to ``instant``."""
        self._now = instant

    def advance(self, delta: timedelta) -> None:
        """Move forward by ``delta``."""
        self._now += delta
