"""Answers change only on the whole and half minutes, or when the schedule changes: compute
them once for each half minute.

Every relative time is a whole number of minutes (``bot.timefmt.minutes_until``) that, for
times on the minute as schedules have them, changes only at :00 and :30 of ``now``; so is
what is on now. An answer computed at the start of a half minute is therefore exactly the
answer for every instant in it, and one computation serves every request of those 30 s.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import datetime
from typing import Any, TypeVar

from bot.schedule.model import Workshop

T = TypeVar("T")

BUCKET_SECONDS = 30


def bucket_of(now: datetime) -> datetime:
    """The start of ``now``'s half minute: every answer is "as of" it."""
    return now.replace(second=now.second - now.second % BUCKET_SECONDS, microsecond=0)


class AnswerMemo:
    """A small LRU of answers keyed by (schedule, half minute, question).

    The schedule is compared by identity: a reload makes a new ``Workshop``, so nothing
    computed from the old one is served again.
    """

    def __init__(self, size: int = 512):
        self._size = size
        self._entries: OrderedDict[Hashable, tuple[Workshop, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def peek(self, workshop: Workshop, now: datetime, question: Hashable) -> Any | None:
        """The answer to ``question`` at ``now``'s half minute if it is computed already."""
        key = (id(workshop), int(now.timestamp()) // BUCKET_SECONDS, question)
        with self._lock:
            hit = self._entries.get(key)
        return hit[1] if hit is not None and hit[0] is workshop else None

    def get(
        self, workshop: Workshop, now: datetime, question: Hashable, compute: Callable[[datetime], T]
    ) -> T:
        """The answer to ``question`` at ``now``'s half minute, computing it on a miss."""
        # The half minute as a number: hashing an aware datetime asks its zone for the offset,
        # which is most of a warm answer's cost. Zones are whole minutes off UTC, so the
        # epoch's half minutes are the wall clock's.
        key = (id(workshop), int(now.timestamp()) // BUCKET_SECONDS, question)
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None and hit[0] is workshop:
                self._entries.move_to_end(key)
                return hit[1]
        value = compute(bucket_of(now))  # outside the lock: two threads may both compute; same result
        with self._lock:
            self._entries[key] = (workshop, value)
            if len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return value
