"""What a command runs with: the bot's services, the caller's platform, the caller, ``now``."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy.orm import Session

from bot.commands.base import Caller, Command
from bot.platforms import Platform
from bot.schedule.model import Workshop
from bot.services import Services
from bot.settings import Settings

# Tells the caller something privately, later (a follow-up that failed): the adapter renders
# the outcome it is given, as it would a command's answer.
Tell = Callable[[Any], None]


def _nobody(_outcome: Any) -> None:
    """Where nothing can reach the caller later, nothing is told."""


@dataclass
class Context:
    """One command's run: everything it may read, and the work to start after the reply."""

    services: Services
    platform: Platform
    caller: Caller
    now: datetime
    tell: Tell = _nobody
    # The command table, for the commands that speak of the others (help).
    commands: Mapping[str, Command] = field(default_factory=dict)
    followups: list[Callable[[], None]] = field(default_factory=list)

    @property
    def workshop(self) -> Workshop:
        """The schedule as it stands now."""
        return self.services.workshop

    @property
    def settings(self) -> Settings:
        """The bot's settings."""
        return self.services.settings

    @contextmanager
    def db(self) -> Iterator[Session]:
        """A database session; ``NoDatabase`` when the bot has none."""
        with self.services.session() as session:
            yield session

    def after(self, fn: Callable[..., Any], *args: Any) -> None:
        """Do ``fn(*args)`` once the caller has their answer, off the request."""
        self.followups.append(partial(fn, *args))
