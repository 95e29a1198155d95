"""What the adapters are handed: settings, the clock, the schedule, storage, announcements."""

from __future__ import annotations

from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.memo import PerMinute
from bot.schedule.current import CurrentSchedule
from bot.schedule.model import Workshop
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.announcements.scheduler import AnnouncementScheduler


@dataclass
class Services:
    """The core, assembled once by the entry point and passed to every adapter."""

    settings: Settings
    clock: Clock
    schedule: CurrentSchedule
    db: sessionmaker[Session] | None = None
    # Work that must not hold up an acknowledgement (posting to a channel after a command).
    background: Executor | None = None
    announcer: AnnouncementScheduler | None = None
    answers: PerMinute = field(default_factory=PerMinute)

    @property
    def workshop(self) -> Workshop:
        """The schedule as it stands now."""
        return self.schedule.workshop
