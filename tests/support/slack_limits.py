"""Slack's documented rate limits, for the fake Slack to enforce.

Slack limits each Web API method per app per workspace by tier (Tier 2: 20+ a minute,
Tier 3: 50+, Tier 4: 100+, "with bursts"), and ``chat.postMessage`` specially: about one
message a second per channel, short bursts allowed, beside a workspace-wide limit
(docs.slack.dev/apis/web-api/rate-limits). Over a limit Slack answers HTTP 429 with
``Retry-After`` in seconds and ``{"ok": false, "error": "ratelimited"}``.

Modelled as token buckets: a method's bucket holds its tier's minute and refills at that
rate, so any 60 seconds allow at most twice the tier (a full bucket, then its refill), and
a steady caller at the tier's rate is never refused. ``chat.postMessage`` has a bucket per
channel of ``POST_BURST`` messages refilling one a second.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

TIER_2, TIER_3, TIER_4 = 20, 50, 100
#: The tier of each method the bot calls (Slack's method reference); others are Tier 3.
TIERS: dict[str, int] = {
    "chat.update": TIER_3,
    "chat.delete": TIER_3,
    "conversations.join": TIER_3,
    "conversations.history": TIER_3,
    "conversations.info": TIER_3,
    "users.info": TIER_4,
    "chat.postEphemeral": TIER_4,
    "views.open": TIER_4,
    "auth.test": TIER_4,
    "files.getUploadURLExternal": TIER_4,
    "files.completeUploadExternal": TIER_4,
    "users.list": TIER_2,
    "conversations.list": TIER_2,
}
POST_MESSAGE = "chat.postMessage"
POST_BURST = 5  # "short bursts >1 allowed"
POST_WORKSPACE_PER_MINUTE = 600  # the workspace-wide limit beside the per-channel one


class _Bucket:
    def __init__(self, capacity: float, per_second: float, now: float):
        self.capacity, self.rate = capacity, per_second
        self.tokens, self.at = capacity, now

    def take(self, now: float) -> float:
        """0 when a call may go now (and takes it), else seconds until one may."""
        self.tokens = min(self.capacity, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate


class SlackRateLimits:
    """Says whether a call may go now; ``None`` if so, else the ``Retry-After`` seconds."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic):
        self._now = monotonic
        self._buckets: dict[tuple[str, str], _Bucket] = {}
        self._lock = threading.Lock()

    def check(self, method: str, channel: str | None) -> int | None:
        """Take a slot for ``method`` (to ``channel``), or the seconds to wait for one."""
        now = self._now()
        with self._lock:
            if method == POST_MESSAGE:
                waits = [
                    self._bucket(
                        (method, ""), POST_WORKSPACE_PER_MINUTE, POST_WORKSPACE_PER_MINUTE / 60, now
                    ),
                    self._bucket((method, channel or ""), POST_BURST, 1.0, now),
                ]
            else:
                tier = TIERS.get(method, TIER_3)
                waits = [self._bucket((method, ""), tier, tier / 60, now)]
            # Peek both before taking, so a refused call costs nothing.
            for bucket in waits:
                bucket.tokens = min(bucket.capacity, bucket.tokens + (now - bucket.at) * bucket.rate)
                bucket.at = now
            short = [(1 - b.tokens) / b.rate for b in waits if b.tokens < 1]
            if short:
                return max(1, math.ceil(max(short)))
            for bucket in waits:
                bucket.take(now)
            return None

    def _bucket(self, key: tuple[str, str], capacity: float, rate: float, now: float) -> _Bucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(capacity, rate, now)
        return bucket
