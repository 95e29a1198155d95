"""The console's announcement channel: posts printed as they fall due, on the same scheduler
(and the same ledger) as Slack's, so a rehearsal at the console shows what the channel would."""

from __future__ import annotations

import itertools
import threading
from typing import TextIO

from bot.announcements.messages import Message, render_text
from bot.announcements.poster import PostResult

CONSOLE_CHANNEL = "console"


class ConsolePoster:
    """Prints each announcement to ``out`` as a post in the console's channel."""

    platform = "console"

    def __init__(self, out: TextIO, lock: threading.Lock | None = None):
        self._out = out
        self._lock = lock or threading.Lock()
        self._ids = itertools.count(1)

    def post(self, channel: str, message: Message) -> PostResult:
        """Print ``message`` as the channel would show it; never fails."""
        text = render_text(message)
        with self._lock:
            print(f"\n── #{channel} ──\n{text}\n", file=self._out, flush=True)
        return PostResult(ts=str(next(self._ids)))

    def join(self, channel: str) -> None:
        """There is nothing to join: the console's channel is the terminal."""
