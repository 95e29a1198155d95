"""People's names, looked up through a platform's ``NameLookup`` and remembered.

One rule for every command that signs something with a name (a proposal, an
announcement), so the same person is never named two ways.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from bot.ports import NameLookup, PortError

logger = logging.getLogger(__name__)


class Names:
    """The name to show for a person: the platform's, else ``fallback``.

    Bounded, and names refreshed now and then: people rename themselves, and a big
    conference must not grow this for ever. A failed lookup is not remembered, so the next
    command tries again.
    """

    MAX_PEOPLE = 10_000
    TTL_SECONDS = 6 * 3600
    MAX_LENGTH = 200

    def __init__(self, lookup: NameLookup, monotonic: Callable[[], float] = time.monotonic):
        self._lookup = lookup
        self._monotonic = monotonic
        self._names: OrderedDict[str, tuple[str, float]] = OrderedDict()
        self._lock = threading.Lock()

    def known(self, user_id: str) -> str | None:
        """The remembered name, if it is fresh; never asks the platform."""
        with self._lock:
            hit = self._names.get(user_id)
        if hit is not None and self._monotonic() - hit[1] < self.TTL_SECONDS:
            return hit[0]
        return None

    def get(self, user_id: str, fallback: str) -> str:
        """The name for ``user_id`` (one lookup the first time), else ``fallback``."""
        known = self.known(user_id)
        if known is not None:
            return known
        try:
            name = self._lookup.display_name(user_id)
        except PortError as exc:
            logger.warning("name lookup for %s failed (%s); using the fallback", user_id, exc.reason)
            return fallback
        except Exception:  # a name is never worth failing a command for
            logger.warning("name lookup for %s failed; using the fallback", user_id, exc_info=True)
            return fallback
        name = clean_name(name or "")
        if not name:
            return fallback
        with self._lock:
            self._names[user_id] = (name, self._monotonic())
            self._names.move_to_end(user_id)
            while len(self._names) > self.MAX_PEOPLE:
                self._names.popitem(last=False)
        return name


def clean_name(name: str) -> str:
    """A name as shown: trimmed, on one line, bounded."""
    return " ".join(name.split())[: Names.MAX_LENGTH]
