"""Members' own time zones from Slack (``users.info``'s ``tz``), for the answers that are
theirs alone: remembered for hours, and never worth failing an answer for."""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from slack_sdk import WebClient

logger = logging.getLogger(__name__)


class SlackZones:
    """The IANA zone Slack has for a member, or None."""

    TTL_SECONDS = 6 * 3600
    MAX_PEOPLE = 10_000

    def __init__(
        self, client: WebClient, timeout: float = 2.0, monotonic: Callable[[], float] = time.monotonic
    ):
        # Short and without retries: a look-up sits in front of an answer.
        self._client = WebClient(
            token=client.token, base_url=client.base_url, timeout=timeout, retry_handlers=[]
        )
        self._monotonic = monotonic
        self._zones: OrderedDict[str, tuple[str | None, float]] = OrderedDict()
        self._lock = threading.Lock()

    def zone_of(self, user_id: str) -> str | None:
        """The member's zone (one look-up in six hours), None if unknown or the call failed."""
        now = self._monotonic()
        with self._lock:
            hit = self._zones.get(user_id)
            if hit is not None and now - hit[1] < self.TTL_SECONDS:
                return hit[0]
        try:
            user = self._client.users_info(user=user_id).get("user") or {}
        except Exception:  # a zone is an extra; the answer goes out in the workshop's
            logger.warning("time zone look-up for %s failed", user_id, exc_info=True)
            return None
        zone = user.get("tz") if isinstance(user.get("tz"), str) else None
        with self._lock:
            self._zones[user_id] = (zone, now)
            self._zones.move_to_end(user_id)
            while len(self._zones) > self.MAX_PEOPLE:
                self._zones.popitem(last=False)
        return zone
