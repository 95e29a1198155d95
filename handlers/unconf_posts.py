"""Each proposal's message in the unconference channel, kept in step with the database.

Posting and updating happen off the request (on the services' background executor), after
the change is committed. Requests for one proposal are coalesced: while an update of #7 is
under way, further requests only mark it to run once more, and every run re-reads the
proposal from the database. So updates of one message never overlap, and the last one
always shows the count after the last committed vote, however the clicks raced.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.unconference import ProposalView, get_proposal, record_post
from handlers.unconf_blocks import proposal_message

logger = logging.getLogger(__name__)

Submit = Callable[..., Any]
OnPostError = Callable[[str], None]


@dataclass
class _Pending:
    post: bool = False
    again: bool = False
    on_post_error: OnPostError | None = None


class ProposalPosts:
    """Posts new proposals to the channel and updates their messages in place."""

    def __init__(
        self,
        db: Callable[[], Session],
        client: WebClient,
        channel: Callable[[], str | None],
        submit: Submit,
    ):
        self._db, self._client, self._channel, self._submit = db, client, channel, submit
        self._lock = threading.Lock()
        self._pending: dict[int, _Pending] = {}

    def post(self, number: int, on_error: OnPostError | None = None) -> None:
        """Post proposal ``number`` to the channel (once) and remember where it went."""
        self._request(number, post=True, on_error=on_error)

    def refresh(self, *numbers: int) -> None:
        """Update the posted messages of ``numbers`` to what the database says now."""
        for number in numbers:
            self._request(number)

    def busy(self) -> bool:
        """Whether any post or update is waiting or under way (for tests and benchmarks)."""
        with self._lock:
            return bool(self._pending)

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
            self._submit(self._run, number)
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
                logger.exception("proposal #%d: updating its message failed", number)
            with self._lock:
                if not job.again:
                    del self._pending[number]
                    return

    def _sync(self, number: int, post: bool, on_error: OnPostError | None) -> None:
        with self._db() as db:
            view = get_proposal(db, number)
        if view is None:
            return
        if view.channel and view.message_ts:
            self._update(view)
        elif post and view.is_open:
            self._post(view, on_error)

    def _update(self, view: ProposalView) -> None:
        try:
            self._client.chat_update(channel=view.channel, ts=view.message_ts, **proposal_message(view))
        except SlackApiError as exc:
            logger.warning("proposal #%d: chat.update failed: %s", view.number, _error(exc))

    def _post(self, view: ProposalView, on_error: OnPostError | None) -> None:
        channel = self._channel()
        if not channel:
            return
        message = {"channel": channel, "unfurl_links": False, "unfurl_media": False, **proposal_message(view)}
        try:
            try:
                response = self._client.chat_postMessage(**message)
            except SlackApiError as exc:
                if _error(exc) != "not_in_channel":
                    raise
                # A channel chat:write.public can't reach (private, or shared): join, then retry.
                self._client.conversations_join(channel=channel)
                response = self._client.chat_postMessage(**message)
        except SlackApiError as exc:
            logger.warning("proposal #%d: posting to %s failed: %s", view.number, channel, _error(exc))
            if on_error is not None:
                on_error(_error(exc))
            return
        with self._db() as db:
            record_post(db, view.number, response["channel"], response["ts"])
        logger.info("proposal #%d posted to %s at %s", view.number, response["channel"], response["ts"])


def _error(exc: SlackApiError) -> str:
    data = exc.response.data if isinstance(exc.response.data, dict) else {}
    return str(data.get("error", "unknown_error"))
