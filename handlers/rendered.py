"""Replies kept as JSON text for answers that are the same for everyone this half minute.

The core computes such an answer once a half minute (``Services.answers``) and hands back the
same object each time; acknowledging with its JSON text made once (Bolt sends a body that
starts with ``{`` as application/json, over HTTP and Socket Mode alike) spares rendering
and serialising the same reply again for every request: most of a warm /next's cost. Slack's
slash commands and Discord's interactions both keep theirs here.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


class RenderedReplies:
    """A small LRU of JSON replies keyed by the answer object's identity (kept alive here,
    so an id is never reused while its entry lives) and a variant (the share button's)."""

    def __init__(self, size: int = 512):
        self._size = size
        self._entries: OrderedDict[tuple[int, Hashable], tuple[Any, str]] = OrderedDict()
        self._lock = threading.Lock()

    def json(self, outcome: Any, variant: Hashable, make: Callable[[], dict[str, Any]]) -> str:
        """The JSON text of ``make()`` for ``outcome``, made once."""
        key = (id(outcome), variant)
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None and hit[0] is outcome:
                self._entries.move_to_end(key)
                return hit[1]
        text = json.dumps(make())
        with self._lock:
            self._entries[key] = (outcome, text)
            if len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return text
