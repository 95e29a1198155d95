"""The console's private files: written into a folder (the current one), never over an
existing file, and said where, so `/schedule ics` and `/unconf export` work without Slack."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TextIO

from bot.ports import PortError, PrivateFile


class ConsoleFiles:
    """Saves each file for the person at the console into ``folder`` and prints its path."""

    def __init__(self, folder: Path, out: TextIO, lock: threading.Lock | None = None):
        self._folder = folder
        self._out = out
        self._lock = lock or threading.Lock()

    def send_file(self, user_id: str, file: PrivateFile) -> None:
        """Write ``file`` beside the others (``name-2.csv`` when ``name.csv`` is taken);
        ``PortError`` naming the reason when the folder cannot be written."""
        try:
            path = _free_path(self._folder, file.filename)
            with path.open("xb") as handle:  # "x": two exports in one minute never overwrite
                handle.write(file.content)
        except OSError as exc:
            raise PortError(
                exc.strerror or type(exc).__name__, f"Couldn't write {file.filename}: {exc.strerror}."
            ) from None
        with self._lock:
            print(f"{file.icon} {file.heading}{file.comment}\n   Saved to {path}", file=self._out, flush=True)


def _free_path(folder: Path, filename: str) -> Path:
    """``folder / filename``, or the first ``stem-N.suffix`` not taken yet."""
    path = folder / filename
    stem, suffix = path.stem, path.suffix
    n = 2
    while path.exists():
        path = folder / f"{stem}-{n}{suffix}"
        n += 1
    return path
