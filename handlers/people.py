"""People's names from Slack (``users.info``), remembered, with a fallback when Slack is slow."""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

logger = logging.getLogger(__name__)


class DisplayNames:
    """The name to show for a user: their real name, else their display name, else ``fallback``.

    A lookup sits in front of an answer, so it gets a short time-out and no retries; a
    failure is not remembered, so the next command tries again.
    """

    # Bounded, and names refreshed now and then: people rename themselves, and a big
    # conference must not grow this for ever.
    MAX_PEOPLE = 10_000
    TTL_SECONDS = 6 * 3600

    def __init__(self, client: WebClient, timeout: float = 2.0):
        self._client = WebClient(
            token=client.token, base_url=client.base_url, timeout=timeout, retry_handlers=[]
        )
        self._names: OrderedDict[str, tuple[str, float]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, user_id: str, fallback: str) -> str:
        """The name for ``user_id`` (one ``users.info`` call the first time)."""
        with self._lock:
            known = self._names.get(user_id)
        if known is not None and time.monotonic() - known[1] < self.TTL_SECONDS:
            return known[0]
        try:
            user = self._client.users_info(user=user_id)["user"]
        except (SlackApiError, OSError, KeyError, TypeError) as exc:
            logger.warning("users.info for %s failed (%s); using the command's user name", user_id, exc)
            return fallback
        profile = user.get("profile") or {}
        name = next(
            (
                n.strip()
                for n in (
                    profile.get("real_name"),
                    user.get("real_name"),
                    profile.get("display_name"),
                    user.get("name"),
                )
                if isinstance(n, str) and n.strip()
            ),
            fallback,
        )
        with self._lock:
            self._names[user_id] = (name, time.monotonic())
            self._names.move_to_end(user_id)
            while len(self._names) > self.MAX_PEOPLE:
                self._names.popitem(last=False)
        return name
