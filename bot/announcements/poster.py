"""Posting through a chat platform, with Slack's failure modes handled.

The core never imports a Slack SDK: the adapter implements ``Poster`` and turns its
platform's errors into ``PostError``. ``deliver`` decides what to retry, how long to wait,
and what to tell the organizers when it gives up. It never raises, so a failing post cannot
stop the scheduler.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from bot.announcements.messages import Message

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PostResult:
    """A post the platform accepted; ``ts`` identifies the message (Slack's timestamp)."""

    ts: str


class PostError(Exception):
    """A post the platform refused or that went wrong on the way.

    ``reason`` is the platform's error code (Slack's ``error`` field, or ``ratelimited``,
    ``timeout``, ``server_error``); ``retry_after`` is the wait a rate limit asks for;
    ``maybe_posted`` is set when the request may have gone through (a time-out after
    sending), so the message is looked for before it is sent again.
    """

    def __init__(
        self,
        reason: str,
        retryable: bool = False,
        retry_after: float | None = None,
        maybe_posted: bool = False,
    ):
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.retry_after = retry_after
        self.maybe_posted = maybe_posted


class Poster(Protocol):
    """Posts messages to channels. Slack's adapter renders Block Kit with ``render_text`` as
    the fallback text, and should attach ``message.keys`` as message metadata."""

    def post(self, channel: str, message: Message) -> PostResult:
        """Post ``message``; raise ``PostError`` on any failure."""
        ...

    def join(self, channel: str) -> None:
        """Join a public channel (Slack: ``conversations.join``); raise ``PostError`` if not."""
        ...


@runtime_checkable
class FindingPoster(Poster, Protocol):
    """A poster that can also find a message it posted (Slack: ``conversations.history``
    with ``include_all_metadata``), used to settle posts left uncertain by a time-out or
    a crash instead of guessing."""

    def find(self, channel: str, key: str, since: datetime) -> str | None:
        """The ts of a post since ``since`` tagged with ledger ``key``, or None."""
        ...


@dataclass(frozen=True)
class RetryPolicy:
    """Bounds on retrying: a post gives up rather than wait for ever."""

    server_retries: int = 3  # for 5xx and time-outs
    backoff: float = 1.0  # seconds before the first retry, doubled each time
    max_backoff: float = 30.0
    rate_limit_waits: int = 5
    max_retry_after: float = 60.0
    # All waits together stay under this, and well under the ledger's stale-claim age,
    # so a claim is never taken over while its owner is still trying.
    budget: float = 120.0


@dataclass(frozen=True)
class Delivery:
    """How a post ended: its ts, or the error and what to fix."""

    ok: bool
    ts: str | None = None
    attempts: int = 0
    error: str | None = None
    hint: str | None = None

    @property
    def description(self) -> str:
        """The error and hint in one line, for the ledger and the log."""
        return f"{self.error}: {self.hint}" if self.hint else (self.error or "")


_TOKEN = "the bot token was refused: check SLACK_BOT_TOKEN (xoxb-...) and reinstall the app"
HINTS = {
    "channel_not_found": "no such channel, or the bot cannot see it: set ANNOUNCE_CHANNEL to "
    "the channel's ID (C..., in the channel's details); invite the bot to a private channel",
    "not_in_channel": "the bot is not in the channel and cannot join it: /invite the bot",
    "method_not_supported_for_channel_type": "the bot cannot join a private channel: /invite it",
    "is_archived": "the channel is archived: unarchive it or choose another ANNOUNCE_CHANNEL",
    "missing_scope": "the app lacks a scope: add chat:write and channels:join under OAuth & "
    "Permissions, then reinstall the app",
    "restricted_action": "workspace settings stop the bot posting there: allow it or change ANNOUNCE_CHANNEL",
    "invalid_auth": _TOKEN,
    "not_authed": _TOKEN,
    "token_revoked": _TOKEN,
    "token_expired": _TOKEN,
    "account_inactive": _TOKEN,
    "ratelimited": "Slack kept rate-limiting the channel: fewer posts, or try again later",
}


def hint_for(reason: str) -> str:
    """What an organizer should do about an error code."""
    return HINTS.get(reason, "see Slack's error list for chat.postMessage; retrying won't help")


def deliver(
    poster: Poster,
    channel: str,
    message: Message,
    retry: RetryPolicy | None = None,
    sleep: Callable[[float], None] = time.sleep,
    since: datetime | None = None,
) -> Delivery:
    """Post ``message`` to ``channel``, retrying what is worth retrying.

    A 429 waits for its ``Retry-After``; 5xx and time-outs back off and retry a bounded number
    of times; ``not_in_channel`` joins the channel and retries once; anything else is a hard
    error returned with a hint. ``since`` (when the claim was made) lets a time-out be
    settled by looking for the post. Never raises.
    """
    retry = retry or RetryPolicy()
    attempts = waited = failures = rate_waits = 0
    joined = False
    while True:
        attempts += 1
        try:
            return Delivery(ok=True, ts=poster.post(channel, message).ts, attempts=attempts)
        except PostError as exc:
            err = exc
        except Exception as exc:  # a bug in an adapter must not kill the scheduler's thread
            logger.exception("posting to %s failed unexpectedly", channel)
            return Delivery(False, attempts=attempts, error=f"unexpected {type(exc).__name__}")

        if err.reason == "not_in_channel" and not joined:
            joined = True
            try:
                poster.join(channel)
            except PostError as join_err:
                return _give_up(channel, join_err.reason, attempts)
            logger.info("joined %s to post there", channel)
            continue
        if err.reason == "ratelimited" or err.retry_after is not None:
            rate_waits += 1
            if rate_waits > retry.rate_limit_waits:
                return _give_up(channel, "ratelimited", attempts)
            wait = min(err.retry_after if err.retry_after is not None else 1.0, retry.max_retry_after)
        elif err.retryable:
            if err.maybe_posted and since is not None and isinstance(poster, FindingPoster):
                ts = _find(poster, channel, message, since)
                if ts:
                    return Delivery(ok=True, ts=ts, attempts=attempts)
            failures += 1
            if failures > retry.server_retries:
                return _give_up(channel, err.reason, attempts, f"still failing after {attempts} tries")
            wait = min(retry.backoff * 2 ** (failures - 1), retry.max_backoff)
        else:
            return _give_up(channel, err.reason, attempts)

        if waited + wait > retry.budget:
            return _give_up(channel, err.reason, attempts, f"gave up after waiting {waited:.0f} s")
        logger.warning("post to %s failed (%s), retrying in %.1f s", channel, err.reason, wait)
        sleep(wait)
        waited += wait


def _find(poster: FindingPoster, channel: str, message: Message, since: datetime) -> str | None:
    try:
        return poster.find(channel, message.keys[0], since)
    except PostError as exc:
        logger.warning("could not check %s for a timed-out post: %s", channel, exc.reason)
        return None


def _give_up(channel: str, reason: str, attempts: int, hint: str | None = None) -> Delivery:
    hint = hint or hint_for(reason)
    logger.error("could not post to %s: %s (%s)", channel, reason, hint)
    return Delivery(ok=False, attempts=attempts, error=reason, hint=hint)
