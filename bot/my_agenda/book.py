"""Each person's picks (and reminder lead) kept in memory for ``/mine`` and for the buttons
under ``/next`` and ``/schedule``.

Those answers are served from memos; marking which sessions are already in the reader's
agenda, or drawing their own, must cost no database round trip. A person's picks are read
at most once a half minute (and at once after their own click in this process); a click
in another process shows here within that half minute. The buttons carry their intent
("+id" adds, "-id" removes), so a button drawn from a stale copy still does the right thing.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from bot.my_agenda.store import Mine


class PickBook:
    """A small LRU of person -> (their picks, when read)."""

    def __init__(
        self, ttl: float = 30.0, size: int = 10_000, monotonic: Callable[[], float] = time.monotonic
    ):
        self._ttl, self._size, self._monotonic = ttl, size, monotonic
        self._entries: OrderedDict[str, tuple[Mine, float]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, person: str, load: Callable[[], Mine]) -> Mine:
        """The person's picks and lead, from memory when read lately, else from ``load()``."""
        now = self._monotonic()
        with self._lock:
            hit = self._entries.get(person)
            if hit is not None and now - hit[1] < self._ttl:
                return hit[0]
        picks = load()
        self.put(person, picks)
        return picks

    def forget(self, person: str) -> None:
        """Read the person's picks afresh next time (they changed them elsewhere)."""
        with self._lock:
            self._entries.pop(person, None)

    def put(self, person: str, picks: Mine) -> None:
        """Remember ``picks`` as the person's own (after they changed them)."""
        with self._lock:
            self._entries[person] = (picks, self._monotonic())
            self._entries.move_to_end(person)
            if len(self._entries) > self._size:
                self._entries.popitem(last=False)
