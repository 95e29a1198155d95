"""The schedule the bot is running on now: reloadable, with listeners for changes."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from zoneinfo import ZoneInfo

from bot import metrics
from bot.schedule.errors import Problem, ScheduleError
from bot.schedule.loader import load_schedule
from bot.schedule.model import Session, Workshop

logger = logging.getLogger(__name__)

Listener = Callable[[Workshop, Workshop], None]


@dataclass(frozen=True)
class ReloadResult:
    """What a reload did: ``ok`` with the new workshop, or the problems that kept the old one."""

    ok: bool
    problems: tuple[Problem, ...] = ()
    workshop: Workshop | None = None


class CurrentSchedule:
    """Holds the loaded schedule plus sessions added at run time (a published unconference
    plan), swaps it atomically on reload and tells listeners (old, new)."""

    def __init__(
        self,
        path: Path,
        workshop: Workshop,
        timezone: ZoneInfo | None = None,
        loader: Callable[[], Workshop] | None = None,
    ):
        self.path = path
        self.timezone = timezone  # SCHEDULE_TIMEZONE: every reload reads the file in it
        # How a reload gets the schedule, when not by reading ``path`` (SCHEDULE_URL fetches).
        self._loader = loader
        self._base = workshop
        self._extra: tuple[Session, ...] = ()
        self._merged = workshop
        self._lock = threading.RLock()
        self._listeners: list[Listener] = []

    @classmethod
    def load(cls, path: Path, timezone: ZoneInfo | None = None) -> CurrentSchedule:
        """Load ``path``; raises ``ScheduleError`` when the schedule is invalid."""
        return cls(path, load_schedule(path, timezone), timezone)

    @property
    def workshop(self) -> Workshop:
        """The schedule as it stands now (a consistent snapshot)."""
        return self._merged

    def subscribe(self, listener: Listener) -> None:
        """Call ``listener(old, new)`` after every change."""
        self._listeners.append(listener)

    def reload(self) -> ReloadResult:
        """Load the file (or fetch the URL) again; an invalid edit is refused and the old
        schedule stays."""
        try:
            fresh = self._loader() if self._loader else load_schedule(self.path, self.timezone)
        except ScheduleError as exc:
            logger.warning(
                "schedule reload refused: %d problem(s); keeping the old schedule",
                len(exc.problems),
            )
            metrics.schedule_loaded(False, len(exc.problems))
            return ReloadResult(False, tuple(exc.problems))
        return self.install(fresh)

    def install(self, fresh: Workshop) -> ReloadResult:
        """Put a schedule loaded elsewhere (one fetched from ``SCHEDULE_URL``) in place of the
        current one, as a reload does: listeners hear (old, new)."""
        with self._lock:
            self._base = fresh
            merged = self._swap()
        metrics.schedule_loaded(True)
        return ReloadResult(True, (), merged)

    def set_extra_sessions(self, sessions: tuple[Session, ...]) -> Workshop:
        """Replace the run-time sessions (e.g. the published unconference plan)."""
        with self._lock:
            self._extra = sessions
            return self._swap()

    def _swap(self) -> Workshop:
        old = self._merged
        self._merged = with_sessions(self._base, self._extra)
        for listener in self._listeners:
            try:
                listener(old, self._merged)
            except Exception:  # a listener's bug must not undo a good reload
                logger.exception("schedule listener failed")
        return self._merged


def with_sessions(workshop: Workshop, extra: tuple[Session, ...]) -> Workshop:
    """A copy of ``workshop`` with ``extra`` sessions (a published plan) merged in, by start.

    The block's own session stays (it anchors the block, e.g. for the closing time); a
    session with the id of an extra one is replaced, so applying a newer plan doesn't repeat.
    """
    ids = {s.id for s in extra}
    kept = tuple(s for s in workshop.sessions if s.id not in ids)
    # Stable sort: the block's session stays before its parallel sessions.
    return replace(workshop, sessions=tuple(sorted((*kept, *extra), key=lambda s: s.start)))
