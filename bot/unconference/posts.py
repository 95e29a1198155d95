"""Each proposal's message in each platform's unconference channel, kept in step with the
database.

Posting and updating happen off the request (through ``later``), after the change is
committed. Requests for one proposal are coalesced: while an update of #7 is under way,
further requests only mark it to run once more, and every run re-reads the proposal from
the database. So updates of one message never overlap, and the last one always shows the
count after the last committed vote, however the clicks raced.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.ports import PortError, ProposalMessages
from bot.unconference.proposals import get_proposal, posts_of, record_post
from bot.unconference.views import ProposalView

logger = logging.getLogger(__name__)

Later = Callable[..., Any]
# Told (platform, reason) when posting a new proposal failed on a platform.
OnPostError = Callable[[str, str], None]


@dataclass(frozen=True)
class Target:
    """Where one platform posts proposals."""

    platform: str
    messages: ProposalMessages
    channel: str


@dataclass
class _Pending:
    post: bool = False
    again: bool = False
    on_post_error: OnPostError | None = None


class ProposalPosts:
    """Posts new proposals to every platform's channel and updates their messages in place."""

    def __init__(
        self,
        db: Callable[[], Session],
        targets: Callable[[], Iterable[Target]],
        later: Later,
        clock: Callable[[], datetime],
    ):
        self._db, self._targets, self._later, self._now = db, targets, later, clock
        self._lock = threading.Lock()
        self._pending: dict[int, _Pending] = {}

    def post(self, number: int, on_error: OnPostError | None = None) -> None:
        """Post proposal ``number`` to each channel (once) and remember where it went."""
        self._request(number, post=True, on_error=on_error)

    def refresh(self, *numbers: int) -> None:
        """Update the posted messages of ``numbers`` to what the database says now."""
        for number in numbers:
            self._request(number)

    def _request(self, number: int, post: bool = False, on_error: OnPostError | None = None) -> None:
        with self._lock:
            job = self._pending.get(number)
            if job is not None:  # a worker is on it: it runs once more, reading fresh data
                job.again = True
                job.post |= post
                job.on_post_error = job.on_post_error or on_error
                return
            self._pending[number] = _Pending(post, False, on_error)
        try:
            self._later(self._run, number)
        except RuntimeError:  # the executor is shutting down
            with self._lock:
                self._pending.pop(number, None)
            logger.warning("proposal #%d: message not updated, the bot is shutting down", number)

    def _run(self, number: int) -> None:
        while True:
            with self._lock:
                job = self._pending[number]
                post, on_error = job.post, job.on_post_error
                job.post, job.again, job.on_post_error = False, False, None
            try:
                self._sync(number, post, on_error)
            except Exception:
                logger.exception("proposal #%d: updating its messages failed", number)
            with self._lock:
                if not job.again:
                    del self._pending[number]
                    return

    def _sync(self, number: int, post: bool, on_error: OnPostError | None) -> None:
        with self._db() as db:
            view = get_proposal(db, number)
            posted = posts_of(db, number) if view is not None else {}
        if view is None:
            return
        for target in self._targets():
            where = posted.get(target.platform)
            if where is not None:
                self._update(target, where, view)
            elif post and view.is_open:
                self._post(target, view, on_error)

    def _update(self, target: Target, where: tuple[str, str], view: ProposalView) -> None:
        try:
            target.messages.update_proposal(where[0], where[1], view)
        except PortError as exc:
            logger.warning(
                "proposal #%d: updating on %s failed: %s", view.number, target.platform, exc.reason
            )

    def _post(self, target: Target, view: ProposalView, on_error: OnPostError | None) -> None:
        try:
            channel, message_id = target.messages.post_proposal(target.channel, view)
        except PortError as exc:
            logger.warning(
                "proposal #%d: posting to %s on %s failed: %s",
                view.number,
                target.channel,
                target.platform,
                exc.reason,
            )
            if on_error is not None:
                on_error(target.platform, exc.reason)
            return
        with self._db() as db:
            record_post(db, view.number, target.platform, channel, message_id, self._now())
        logger.info(
            "proposal #%d posted to %s on %s as %s", view.number, channel, target.platform, message_id
        )
