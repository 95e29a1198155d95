"""What the adapters are handed: settings, the clock, the schedule, storage, the platforms."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.memo import AnswerMemo
from bot.my_agenda.book import PickBook
from bot.platforms import Platform
from bot.schedule.current import CurrentSchedule
from bot.schedule.model import Workshop
from bot.settings import Settings
from bot.unconference.posts import ProposalPosts, Target

logger = logging.getLogger(__name__)


class NoDatabase(Exception):
    """The bot runs without a database, so there is nothing to store or read."""


@dataclass
class Services:
    """The core, assembled once by the entry point and passed to every adapter."""

    settings: Settings
    clock: Clock
    schedule: CurrentSchedule
    db: sessionmaker[Session] | None = None
    # Work that must not hold up an acknowledgement (posting to a channel after a command).
    background: Executor | None = None
    platforms: dict[str, Platform] = field(default_factory=dict)
    answers: AnswerMemo = field(default_factory=AnswerMemo)
    # Each person's picks, for marking the same-for-everyone answers' buttons cheaply.
    picks: PickBook = field(default_factory=PickBook)
    # Answers that are one person's own (``/mine``), apart so they never push out the rest.
    personal: AnswerMemo = field(default_factory=lambda: AnswerMemo(4096))
    proposal_posts: ProposalPosts = field(init=False)

    def __post_init__(self) -> None:
        self.proposal_posts = ProposalPosts(self._open, self._proposal_targets, self.later, self.clock.now)

    @property
    def workshop(self) -> Workshop:
        """The schedule as it stands now."""
        return self.schedule.workshop

    def add_platform(self, platform: Platform) -> Platform:
        """Speak on ``platform`` too (its factory calls this once)."""
        self.platforms[platform.name] = platform
        return platform

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A database session; ``NoDatabase`` when the bot has none."""
        with self._open() as db:
            yield db

    def later(self, fn: Callable[..., Any], *args: Any) -> None:
        """Run ``fn`` off the request (inline when the bot has no background executor);
        a failure is logged, never raised into the caller."""
        if self.background is None:
            _logged(fn, *args)
        else:
            self.background.submit(_logged, fn, *args)

    def _open(self) -> Session:
        if self.db is None:
            raise NoDatabase
        return self.db()

    def _proposal_targets(self) -> list[Target]:
        return [
            Target(p.name, p.proposal_messages, p.proposals_channel)
            for p in self.platforms.values()
            if p.proposal_messages is not None and p.proposals_channel
        ]


def _logged(fn: Callable[..., Any], *args: Any) -> None:
    try:
        fn(*args)
    except Exception:
        logger.exception("background work %s failed", getattr(fn, "__name__", fn))
