"""APScheduler with no thread and no wall clock: due jobs run when a test says so.

As APScheduler's own tests do (``tests/test_schedulers.py``, 3.x), the scheduler's job
processing is called directly under a controlled "now", and jobs run in the calling thread
(``DebugExecutor``). A test moves the bot's ``ManualClock`` and the scheduler follows it, so
"posted on time, exactly once" is a table of instants, with no sleeping and no waiting.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from unittest import mock

from apscheduler.executors.debug import DebugExecutor
from apscheduler.schedulers.base import BaseScheduler

from bot.clock import ManualClock


class StepScheduler(BaseScheduler):
    """A scheduler that runs due jobs only in ``run_due``/``advance_to``, at the clock's time."""

    def __init__(self, clock: ManualClock):
        super().__init__(
            timezone=UTC,
            executors={"default": DebugExecutor()},
            job_defaults={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
        )
        self.clock = clock

    def shutdown(self, wait: bool = True) -> None:
        """Stop (nothing runs in the background to wait for)."""
        super().shutdown(wait=False)

    def wakeup(self) -> None:
        """Nothing to wake: jobs run only when stepped."""

    def run_due(self) -> None:
        """Run every job due at the clock's time, in due order, as the real scheduler would."""
        now = self.clock.now()

        class _Now(datetime):
            @classmethod
            def now(cls, tz=None):  # noqa: ANN001, ANN206 - datetime's own signature
                return now.astimezone(tz or UTC)

        with mock.patch("apscheduler.schedulers.base.datetime", _Now):
            self._process_jobs()

    def next_due(self) -> datetime | None:
        """The earliest run time of a waiting job."""
        times = [job.next_run_time for job in self.get_jobs() if job.next_run_time is not None]
        return min(times) if times else None

    def advance_to(self, instant: datetime, limit: int = 10_000) -> None:
        """Move the clock to ``instant``, stopping at each due time on the way to run its jobs."""
        for _ in range(limit):
            due = self.next_due()
            if due is None or due > instant:
                break
            self.clock.set(max(due, self.clock.now()))
            self.run_due()
        self.clock.set(instant)
        self.run_due()

    def advance(self, delta: timedelta) -> None:
        """``advance_to`` the clock's time plus ``delta``."""
        self.advance_to(self.clock.now() + delta)
