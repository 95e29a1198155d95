"""What the unconference listeners share: settings read the same way, names, posted messages."""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from slack_bolt import App
from sqlalchemy.orm import Session

from bot.services import Services
from bot.unconference import block_window
from handlers.blocks import section
from handlers.common import Reply, answer_command, reply
from handlers.people import DisplayNames
from handlers.unconf_posts import ProposalPosts

logger = logging.getLogger(__name__)

NO_DATABASE = "The unconference isn't available: the bot runs without a database."
BUTTON_PROBLEM = "Sorry, that button didn't work. `/proposals` lists the proposals with fresh buttons."

Followup = Callable[[], None]


class NoDatabase(Exception):
    """The bot runs without a database, so there are no proposals."""


class Unconf:
    """The unconference side of one Bolt app."""

    def __init__(self, app: App, services: Services):
        self.services = services
        self.client = app.client
        self.names = DisplayNames(app.client)
        self.posts = ProposalPosts(self._sessionmaker, app.client, lambda: self.channel, self.later)

    @property
    def channel(self) -> str | None:
        """Where proposals are posted: UNCONFERENCE_CHANNEL, else ANNOUNCE_CHANNEL."""
        settings = self.services.settings
        return settings.unconference_channel or settings.announce_channel

    @property
    def budget(self) -> int:
        """Votes per participant."""
        return self.services.settings.vote_budget

    def now(self) -> datetime:
        """The bot's current time."""
        return self.services.clock.now()

    def closes_at(self) -> datetime | None:
        """When proposals close: UNCONF_PROPOSALS_CLOSE_AT, else the block's start."""
        if self.services.settings.proposals_close_at is not None:
            return self.services.settings.proposals_close_at
        window = block_window(self.services.workshop)
        return window[1] if window else None

    def is_organizer(self, user_id: str) -> bool:
        """Whether ``user_id`` may run /unconf."""
        return self.services.settings.is_organizer(user_id)

    @contextmanager
    def db(self) -> Iterator[Session]:
        """A database session; ``NoDatabase`` when the bot has none."""
        with self._sessionmaker() as session:
            yield session

    def _sessionmaker(self) -> Session:
        if self.services.db is None:
            raise NoDatabase
        return self.services.db()

    def later(self, fn: Callable[..., Any], *args: Any) -> None:
        """Run ``fn`` off the request (inline when the bot has no background executor)."""
        executor = self.services.background
        if executor is None:
            _logged(fn, *args)
        else:
            executor.submit(_logged, fn, *args)


def _logged(fn: Callable[..., Any], *args: Any) -> None:
    try:
        fn(*args)
    except Exception:
        logger.exception("background work %s failed", getattr(fn, "__name__", fn))


_BY_APP: weakref.WeakKeyDictionary[App, Unconf] = weakref.WeakKeyDictionary()


def unconf_for(app: App, services: Services) -> Unconf:
    """The one ``Unconf`` of ``app``: its listeners share names and message updates."""
    found = _BY_APP.get(app)
    if found is None:
        found = _BY_APP[app] = Unconf(app, services)
    return found


def answer_then(
    ack: Callable[..., Any], command: dict[str, Any], build: Callable[[str], tuple[Reply, Followup | None]]
) -> None:
    """Like ``answer_command``; ``build`` may also return work to start once acknowledged."""
    followups: list[Followup] = []

    def run(text: str) -> Reply:
        try:
            response, followup = build(text)
        except NoDatabase:
            return reply([section(NO_DATABASE)], NO_DATABASE)
        if followup is not None:
            followups.append(followup)
        return response

    answer_command(ack, command, run)
    for followup in followups:
        followup()
