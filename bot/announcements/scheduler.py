"""Runs announcements on time with APScheduler 3.x; the ledger keeps them exactly once.

Jobs live in memory: the database is the source of truth, and every start (or re-plan)
rebuilds the jobs from the schedule and the ``scheduled_announcements`` table. Two
processes may both fire a job; the ledger lets one of them post.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot import metrics
from bot.announcements import ledger, organizer
from bot.announcements.changes import Change, diff_schedules
from bot.announcements.plan import AnnouncementPolicy, Due, Timing, classify, due_announcements
from bot.announcements.poster import Poster, RetryPolicy
from bot.announcements.send import (
    Outbox,
    recover,
    send_changes,
    send_organizer,
    send_session_start,
)
from bot.clock import Clock, SystemClock
from bot.db.tables_announce import ScheduledAnnouncement
from bot.schedule.model import Workshop

logger = logging.getLogger(__name__)

SLOT, ORGANIZER, SWEEP = "slot:", "org:", "sweep"


def make_background_scheduler() -> BackgroundScheduler:
    """APScheduler with one worker: posts to one channel go out in order, one at a time,
    which is also all Slack's one-message-per-second-per-channel limit allows."""
    return BackgroundScheduler(
        timezone=UTC,
        executors={"default": ThreadPoolExecutor(max_workers=1)},
        # We judge lateness ourselves (plan.classify): APScheduler must always run the job.
        job_defaults={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
    )


def _real_now() -> datetime:
    return datetime.now(UTC)


class AnnouncementScheduler:
    """Session-start announcements, change notices and organizer announcements for one
    platform's channel (the poster's platform)."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        poster: Poster,
        channel: str,
        *,
        policy: AnnouncementPolicy | None = None,
        clock: Clock | None = None,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        stale_after: timedelta = timedelta(minutes=5),
        sweep_every: timedelta = timedelta(seconds=30),
        scheduler: BaseScheduler | None = None,
        wall: Callable[[], datetime] | None = None,
    ):
        self.clock = clock or SystemClock()
        self.channel = channel
        self.platform = poster.platform
        self.stale_after = stale_after
        self.sweep_every = sweep_every
        self._sessions = sessions
        self._poster, self._retry, self._sleep = poster, retry or RetryPolicy(), sleep
        self._policy = policy or AnnouncementPolicy()
        self.name_wait = self._policy.name_wait
        self._scheduler = scheduler or make_background_scheduler()
        # The time APScheduler waits in: real time, unless a test steps the scheduler itself
        # (then the same clock as the bot's, so due jobs run exactly when the test says).
        self._wall = wall or _real_now
        self._lock = threading.RLock()
        self._workshop: Workshop | None = None
        self._plan: dict[str, Due] = {}
        self._plans = itertools.count(1)  # numbers each plan's recording of too-old slots
        self._box: Outbox | None = None

    # -- life cycle -------------------------------------------------------------------

    def start(self, workshop: Workshop) -> None:
        """Plan ``workshop`` and start firing (call once; then ``replan``): anything due within
        the grace window that the ledger lacks goes out now (marked late); older ones are
        recorded as skipped."""
        with self._lock:
            self._workshop = workshop
            self._box = self._outbox(workshop)
            self._apply_plan(due_announcements(workshop, self._policy), self.clock.now(), True)
        if not self._scheduler.running:
            self._scheduler.start()
        self._scheduler.add_job(
            self.sweep,
            IntervalTrigger(seconds=self.sweep_every.total_seconds()),
            id=SWEEP,
            replace_existing=True,
            next_run_time=self._wall(),
        )
        logger.info(
            "announcing %d slots of %s to %s on %s",
            len(self._plan),
            workshop.name,
            self.channel,
            self.platform,
        )

    def replan(self, workshop: Workshop) -> list[Change]:
        """Switch to an edited schedule: drop stale jobs, add new ones, and post one notice
        for changes to upcoming sessions. Returns those changes."""
        with self._lock:
            old = self._require_workshop()
            now = self.clock.now()
            changes = diff_schedules(old, workshop, now)
            self._workshop = workshop
            self._box = self._outbox(workshop)
            if changes:
                # Dated before any past-due slot job, so the notice precedes the (re)announcement
                # of a session moved to start sooner.
                early = self._wall() - self._policy.grace - timedelta(seconds=1)
                self._scheduler.add_job(
                    self._fire_changes,
                    DateTrigger(early),
                    args=[changes, now],
                    id=f"changes:{now.isoformat()}",
                    replace_existing=True,
                )
            self._apply_plan(due_announcements(workshop, self._policy), now, False)
        logger.info("re-planned %s: %d changes", workshop.name, len(changes))
        return changes

    def shutdown(self, wait: bool = True) -> None:
        """Stop firing; with ``wait``, let a post in progress finish first."""
        if self._scheduler.running:
            # Never APScheduler's own wait: it holds the job store's lock while waiting for
            # the worker, and a sweep in progress waits on that lock to add a job: deadlock.
            self._scheduler.shutdown(wait=False)
        if wait:
            for executor in self._scheduler._executors.values():
                executor.shutdown(wait=True)

    # -- organizer announcements ---------------------------------------------------

    def schedule_organizer(
        self,
        text: str,
        author_id: str,
        author_name: str,
        due_at: datetime,
        group_id: int | None = None,
    ) -> ScheduledAnnouncement:
        """Store an organizer announcement for ``due_at`` in this channel; it survives
        restarts. ``group_id`` joins it to the same announcement on other platforms."""
        with self._sessions() as db:
            row = organizer.schedule(
                db,
                text,
                author_id,
                author_name,
                self.platform,
                self.channel,
                due_at,
                self.clock.now(),
                group_id=group_id,
            )
        self._add_organizer_job(row)
        logger.info("organizer %s scheduled announcement #%s for %s", author_id, row.id, due_at)
        return row

    def cancel(self, announcement_id: int) -> bool:
        """Cancel a pending organizer announcement; False if it is unknown or already done."""
        with self._sessions() as db:
            cancelled = organizer.cancel(db, announcement_id)
        if cancelled and self._scheduler.get_job(f"{ORGANIZER}{announcement_id}"):
            self._scheduler.remove_job(f"{ORGANIZER}{announcement_id}")
        return cancelled

    def organizer_announcements(self, include_done: bool = False) -> list[ScheduledAnnouncement]:
        """This platform's pending organizer announcements (and finished ones with
        ``include_done``)."""
        with self._sessions() as db:
            return organizer.listing(db, self.platform, include_done=include_done)

    # -- what is planned -------------------------------------------------------------

    @property
    def running(self) -> bool:
        """Whether the scheduler's thread is up (for /healthz)."""
        return bool(self._scheduler.running)

    def job_ids(self) -> list[str]:
        """Ids of the jobs waiting to fire (for tests and the status command)."""
        return [job.id for job in self._scheduler.get_jobs()]

    def sweep(self) -> None:
        """Pick up organizer announcements stored by any process, and settle stale claims."""
        now = self.clock.now()
        with self._sessions() as db:
            rows = organizer.pending(db, self.platform, self.channel, until=now + 2 * self.sweep_every)
        for row in rows:
            self._add_organizer_job(row)
        if self._box is None:
            return
        released = set(recover(self._box, now, self.stale_after))
        if released:
            with self._lock:
                slots = [d.key for d in self._plan.values() if released.intersection(d.keys)]
            for slot in slots:
                self._run_soon(f"again:{slot}", self._fire_slot, slot, True)
        for row in self._reopened(now):
            self._add_organizer_job(row)

    def _reopened(self, now: datetime) -> list[ScheduledAnnouncement]:
        with self._sessions() as db:
            return organizer.pending(db, self.platform, self.channel, until=now)

    # -- internals -------------------------------------------------------------------

    def _outbox(self, workshop: Workshop) -> Outbox:
        return Outbox(
            self._sessions,
            self._poster,
            self.channel,
            workshop.timezone,
            self._policy,
            self._retry,
            self._sleep,
        )

    def _require_workshop(self) -> Workshop:
        if self._workshop is None:
            raise RuntimeError("call start(workshop) first")
        return self._workshop

    def _require_box(self) -> Outbox:
        self._require_workshop()
        assert self._box is not None
        return self._box

    def _to_real(self, instant: datetime) -> datetime:
        """The wall-clock instant at which ``clock`` will read ``instant``: APScheduler waits
        in real time, while an AWAIR_NOW clock runs shifted from it."""
        # In UTC: an aware datetime minus a timedelta is wall-clock arithmetic in its own
        # zone, an hour off whenever a daylight-saving change lies in between.
        return instant.astimezone(UTC) - (self.clock.now() - self._wall())

    def _apply_plan(self, plan: list[Due], now: datetime, catching_up: bool) -> None:
        self._plan = {d.key: d for d in plan}
        for job in self._scheduler.get_jobs():
            if job.id.startswith(SLOT) and job.id not in self._plan:
                job.remove()
        too_old: list[Due] = []
        for due in plan:
            if classify(due, now, self._policy) is Timing.TOO_OLD:
                too_old.append(due)
                continue
            # Past-due slots get a run time in the past too: APScheduler runs them at once,
            # in due order, on the one worker. Only a catch-up at start-up counts as late;
            # a slot a re-plan made past-due is simply posted now.
            late_ok = catching_up or due.due_at > now
            self._scheduler.add_job(
                self._fire_slot,
                DateTrigger(self._to_real(due.due_at)),
                args=[due.key, late_ok],
                id=due.key,
                replace_existing=True,
                name=f"announce {due.key}",
            )
        if too_old:
            # An id per plan: a reload while the start-up's recording still runs queues its
            # own behind it (APScheduler skips a job whose one instance is running, warning).
            self._run_soon(f"skip-old:{next(self._plans)}", self._record_too_old, too_old, now)

    def _run_soon(self, job_id: str, func: Callable[..., None], *args: object) -> None:
        self._scheduler.add_job(
            func, DateTrigger(self._wall()), args=list(args), id=job_id, replace_existing=True
        )

    def _add_organizer_job(self, row: ScheduledAnnouncement) -> None:
        self._scheduler.add_job(
            self._fire_organizer,
            DateTrigger(self._to_real(row.due_at)),
            args=[row.id, row.due_at],
            id=f"{ORGANIZER}{row.id}",
            replace_existing=True,
        )

    def _fire_slot(self, key: str, late_ok: bool) -> None:
        with self._lock:
            due, box = self._plan.get(key), self._box
        if due is None or box is None:
            return  # re-planned away since the job was set
        # The job fires on real time; a clock that does not run (tests, rehearsals) must
        # not make it look early, and a skewed one not a little early.
        now = max(self.clock.now(), due.due_at)
        try:
            send_session_start(box, due, now, late_ok=late_ok)
        except Exception as exc:  # the database may be away; log with the key and keep running
            if isinstance(exc, SQLAlchemyError):
                metrics.DATABASE_ERRORS.inc()
            logger.exception("announcing %s failed", key)

    def _fire_changes(self, changes: list[Change], now: datetime) -> None:
        try:
            send_changes(self._require_box(), changes, now)
        except Exception:
            logger.exception("posting schedule changes failed")

    def _fire_organizer(self, announcement_id: int, due_at: datetime) -> None:
        try:
            send_organizer(self._require_box(), announcement_id, max(self.clock.now(), due_at))
        except Exception:
            logger.exception("posting organizer announcement #%s failed", announcement_id)

    def _record_too_old(self, dues: list[Due], now: datetime) -> None:
        box = self._require_box()
        with self._sessions() as db:
            # One query, so a restart after the weekend does not try 2,000 claims that fail.
            known = ledger.known_keys(db, box.to)
        for due in dues:
            if not known.issuperset(due.keys):
                send_session_start(box, due, now)
