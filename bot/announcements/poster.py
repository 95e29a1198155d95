"""Posting through a chat platform, with the failure modes every platform has.

The core never imports a platform's SDK: the adapter implements ``Poster`` and turns its
platform's errors into ``PostError``, saying what kind of failure it was (rate limited, worth
retrying, the bot must join the channel first, or hard) and what an organizer should do
about it. ``deliver`` decides what to retry and how long to wait. It never raises, so a
failing post cannot stop the scheduler.
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


RATE_LIMITED = "ratelimited"


class PostError(Exception):
    """A post the platform refused or that went wrong on the way.

    ``reason`` is the platform's own error code (or ``ratelimited``, ``timeout``,
    ``server_error``); ``retry_after`` is the wait a rate limit asks for (a rate limit
    without one says ``rate_limited``); ``maybe_posted`` is set when the request may have
    gone through (a time-out after sending), so the message is looked for before it is sent
    again; ``not_joined`` when the bot must join the channel before it can post there;
    ``hint`` is what an organizer should do about a hard error, in the platform's terms.
    """

    def __init__(
        self,
        reason: str,
        retryable: bool = False,
        retry_after: float | None = None,
        maybe_posted: bool = False,
        *,
        rate_limited: bool = False,
        not_joined: bool = False,
        hint: str | None = None,
    ):
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.retry_after = retry_after
        self.maybe_posted = maybe_posted
        self.rate_limited = rate_limited or retry_after is not None
        self.not_joined = not_joined
        self.hint = hint


class Poster(Protocol):
    """Posts messages to channels. An adapter renders the message in its platform's form,
    and tags the post with ``message.keys`` where its platform can, to find it again."""

    platform: str  # whose channels these are: "slack", "discord"

    def post(self, channel: str, message: Message) -> PostResult:
        """Post ``message``; raise ``PostError`` on any failure."""
        ...

    def join(self, channel: str) -> None:
        """Join a channel so the bot may post there; raise ``PostError`` if it cannot."""
        ...


@runtime_checkable
class FindingPoster(Poster, Protocol):
    """A poster that can also find a message it posted (Slack: message metadata in the
    channel's history), used to settle posts left uncertain by a time-out or a crash
    instead of guessing."""

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


def deliver(
    poster: Poster,
    channel: str,
    message: Message,
    retry: RetryPolicy | None = None,
    sleep: Callable[[float], None] = time.sleep,
    since: datetime | None = None,
) -> Delivery:
    """Post ``message`` to ``channel``, retrying what is worth retrying.

    A rate limit waits for its ``retry_after``; 5xx and time-outs back off and retry a bounded
    number of times; "not in the channel" joins the channel and retries once; anything else
    is a hard error returned with the platform's hint. ``since`` (when the claim was made) lets a time-out be
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

        if err.not_joined and not joined:
            joined = True
            try:
                poster.join(channel)
            except PostError as join_err:
                return _give_up(channel, join_err.reason, attempts, join_err.hint)
            logger.info("joined %s to post there", channel)
            continue
        if err.rate_limited:
            rate_waits += 1
            if rate_waits > retry.rate_limit_waits:
                return _give_up(channel, RATE_LIMITED, attempts, KEPT_LIMITING)
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
            return _give_up(channel, err.reason, attempts, err.hint)

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


KEPT_LIMITING = "the platform kept rate-limiting the channel: fewer posts, or try again later"
NO_HINT = "see the platform's error list; retrying won't help"


def _give_up(channel: str, reason: str, attempts: int, hint: str | None = None) -> Delivery:
    hint = hint or NO_HINT
    logger.error("could not post to %s: %s (%s)", channel, reason, hint)
    return Delivery(ok=False, attempts=attempts, error=reason, hint=hint)
