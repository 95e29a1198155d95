"""Answers change only when the minute turns or the schedule changes: compute them once."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import datetime
from typing import Any, TypeVar

from bot.schedule.model import Workshop

T = TypeVar("T")


def minute_of(now: datetime) -> datetime:
    """``now`` with seconds dropped: every answer is "as of this minute"."""
    return now.replace(second=0, microsecond=0)


class PerMinute:
    """A small LRU of answers keyed by (schedule, minute, question).

    The schedule is compared by identity: a reload makes a new ``Workshop``, so nothing
    computed from the old one is served again.
    """

    def __init__(self, size: int = 512):
        self._size = size
        self._entries: OrderedDict[Hashable, tuple[Workshop, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(
        self, workshop: Workshop, now: datetime, question: Hashable, compute: Callable[[datetime], T]
    ) -> T:
        """The answer to ``question`` at ``now``'s minute, computing it on a miss."""
        minute = minute_of(now)
        key = (id(workshop), minute, question)
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None and hit[0] is workshop:
                self._entries.move_to_end(key)
                return hit[1]
        value = compute(minute)  # outside the lock: two threads may both compute; same result
        with self._lock:
            self._entries[key] = (workshop, value)
            if len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return value
