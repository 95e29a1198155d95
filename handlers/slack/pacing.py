"""Keeping within Slack's rate limits instead of meeting them: calls wait their turn.

Slack limits each method per workspace by tier and ``chat.postMessage`` to about one a
second per channel (docs.slack.dev/apis/web-api/rate-limits). A token bucket per method
(and per channel for posts) lets a short burst through at once and then spaces calls at a
rate just under the limit, so a burst of 2,000 votes makes at most the tier's share of
``chat.update`` calls a minute, and a burst of posts queues per channel rather than
retrying in a storm of 429s. Waits happen off the request (in the background workers and
the announcement scheduler), never in front of an answer.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field


class Pacer:
    """At most ``burst`` calls at once, then ``per_minute``; ``wait()`` blocks for a turn."""

    def __init__(
        self,
        per_minute: float,
        burst: int,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self._rate = per_minute / 60.0
        self._burst = float(burst)
        self._tokens = float(burst)
        self._at = monotonic()
        self._now, self._sleep = monotonic, sleep
        self._lock = threading.Lock()

    def wait(self) -> float:
        """Take a turn, sleeping until there is one; returns the seconds waited."""
        with self._lock:
            now = self._now()
            self._tokens = min(self._burst, self._tokens + (now - self._at) * self._rate)
            self._at = now
            self._tokens -= 1  # a reservation: later callers queue behind this one
            delay = 0.0 if self._tokens >= 0 else -self._tokens / self._rate
        if delay > 0:
            self._sleep(delay)
        return delay


class ChannelPacers:
    """One ``Pacer`` per channel, made on first use."""

    def __init__(self, make: Callable[[], Pacer]):
        self._make = make
        self._pacers: dict[str, Pacer] = {}
        self._lock = threading.Lock()

    def wait(self, channel: str) -> float:
        """Take a turn to post in ``channel``."""
        with self._lock:
            pacer = self._pacers.get(channel)
            if pacer is None:
                pacer = self._pacers[channel] = self._make()
        return pacer.wait()


def _pacer(per_minute: float, burst: int) -> Callable[[], Pacer]:
    return lambda: Pacer(per_minute, burst)


@dataclass
class SlackLimits:
    """The bot's share of Slack's limits, one set per workspace (per process).

    Under each limit by a margin: Slack counts per app per workspace, and the clocks of
    two sides never agree exactly.
    """

    # Tier 3 (50 a minute): a burst of 5, then 45 a minute, is at most 50 in any minute.
    updates: Pacer = field(default_factory=_pacer(45, 5))
    # Tier 4 (100 a minute).
    lookups: Pacer = field(default_factory=_pacer(90, 10))
    # chat.postMessage: about one a second per channel, short bursts allowed.
    posts: ChannelPacers = field(default_factory=lambda: ChannelPacers(_pacer(55, 3)))


class _Unpaced(Pacer):
    def __init__(self) -> None:
        pass

    def wait(self) -> float:
        return 0.0


def unpaced() -> SlackLimits:
    """No waiting at all: for tests of what the bot says, against a fake Slack that does
    not limit either (tests of the limits use ``SlackLimits()``)."""
    return SlackLimits(_Unpaced(), _Unpaced(), ChannelPacers(_Unpaced))
