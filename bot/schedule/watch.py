"""Notice an edited schedule file and reload it, without a restart."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from bot.schedule.current import CurrentSchedule

logger = logging.getLogger(__name__)


def fingerprint(path: Path) -> tuple[tuple[str, int, int], ...]:
    """Name, modification time and size of the schedule's files: cheap to compare."""
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    out = []
    for file in files:
        try:
            stat = file.stat()
        except OSError:  # removed between listing and stat: the next poll sees it
            continue
        out.append((str(file), stat.st_mtime_ns, stat.st_size))
    return tuple(out)


class ScheduleWatcher:
    """Polls the schedule's files and reloads when they change. An invalid edit is refused
    (``CurrentSchedule.reload`` keeps the old schedule) and logged with every problem.

    Polling, not inotify: it works the same on every platform and for files on network
    mounts, and a schedule changes a few times a weekend.
    """

    def __init__(self, schedule: CurrentSchedule, interval: float = 2.0):
        self.schedule = schedule
        self.interval = interval
        self._seen = fingerprint(schedule.path)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="schedule-watcher", daemon=True)

    def start(self) -> None:
        """Start polling in a daemon thread."""
        self._thread.start()

    def stop(self) -> None:
        """Stop polling."""
        self._stop.set()

    def check(self) -> bool:
        """Reload if the files changed since the last look; True if a reload was tried."""
        now = fingerprint(self.schedule.path)
        if now == self._seen:
            return False
        self._seen = now
        result = self.schedule.reload()
        if result.ok:
            logger.info("schedule file changed: reloaded")
        else:
            for problem in result.problems:
                logger.warning("schedule edit refused, keeping the old schedule: %s", problem)
        return True

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.check()
            except Exception:  # the watcher must outlive a bad poll
                logger.exception("schedule watcher poll failed")
