"""What the adapters are handed: settings, the clock, the schedule and (later) storage."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.clock import Clock
from bot.memo import PerMinute
from bot.schedule.current import CurrentSchedule
from bot.schedule.model import Workshop
from bot.settings import Settings


@dataclass
class Services:
    """The core, assembled once by the entry point and passed to every adapter."""

    settings: Settings
    clock: Clock
    schedule: CurrentSchedule
    answers: PerMinute = field(default_factory=PerMinute)

    @property
    def workshop(self) -> Workshop:
        """The schedule as it stands now."""
        return self.schedule.workshop
