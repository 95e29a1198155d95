"""Sends personal reminders and change notes: claim in the ledger, DM, record.

``RemindersRunner.tick(now)`` does one round (tests and the benchmark step it with their own
clock); ``start()`` runs rounds on a thread, waking when the next reminder falls due and at
least every ``sweep_every`` (to see picks made in another process). Sends go out on a few
threads at once, paced to the platform's rate (a DM is a post to its own channel, and the
workspace has a limit over all of them); a rate limit pauses every sender for as long as
the platform asks.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot import metrics
from bot.announcements import ledger
from bot.announcements.changes import Change
from bot.announcements.ledger import Destination
from bot.announcements.poster import Poster, PostError, PostResult, RetryPolicy, deliver
from bot.clock import Clock
from bot.db.tables_announce import LedgerEntry, LedgerStatus
from bot.my_agenda import store
from bot.my_agenda.reminders import (
    NOTE,
    REMIND,
    AgendaChange,
    Reminder,
    ReminderDue,
    note_key,
    personal_changes,
    reminder_plan,
    sessions_to_remind,
)
from bot.my_agenda.view import other_zone
from bot.schedule.current import CurrentSchedule
from bot.schedule.model import Workshop

logger = logging.getLogger(__name__)


class Pacer:
    """At most ``rate`` sends a second over all threads, with a shared pause after a rate
    limit: sending faster than the platform allows only buys 429s and their waits."""

    def __init__(self, rate: float, monotonic: Callable[[], float] = time.monotonic, sleep=time.sleep):
        self._gap = 1.0 / rate if rate > 0 else 0.0
        self._next = 0.0
        self._lock = threading.Lock()
        self._monotonic, self._sleep = monotonic, sleep

    def wait(self) -> None:
        """Wait for this send's turn."""
        with self._lock:
            now = self._monotonic()
            turn = max(now, self._next)
            self._next = turn + self._gap
        if turn > now:
            self._sleep(turn - now)

    def pause(self, seconds: float) -> None:
        """Nobody sends for ``seconds`` (the platform's Retry-After)."""
        with self._lock:
            self._next = max(self._next, self._monotonic() + seconds)


class _Paced:
    """The poster with every post waiting for its turn, and a rate limit felt by all."""

    def __init__(self, poster: Poster, pacer: Pacer):
        self._poster, self._pacer = poster, pacer
        self.platform = poster.platform

    def post(self, channel: str, message) -> PostResult:  # noqa: ANN001 - a Message
        """Post when it is this post's turn; a rate limit pauses every sender."""
        self._pacer.wait()
        try:
            return self._poster.post(channel, message)
        except PostError as exc:
            if exc.rate_limited:
                self._pacer.pause(exc.retry_after or 1.0)
            raise

    def join(self, channel: str) -> None:
        """Join as the poster does."""
        self._poster.join(channel)


@dataclass(frozen=True)
class Round:
    """What one round did: sent, failed, refused (the person can't get DMs), and when the
    next reminder falls due."""

    sent: int
    failed: int
    refused: int
    next_due: datetime | None


class RemindersRunner:
    """Personal reminders and change notes for the people of one platform."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        schedule: CurrentSchedule,
        poster: Poster,
        clock: Clock,
        *,
        unreachable: frozenset[str] = frozenset(),
        rate: float = 40.0,
        workers: int = 8,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        stale_after: timedelta = timedelta(minutes=5),
        sweep_every: timedelta = timedelta(seconds=20),
    ):
        self._sessions, self._schedule, self.clock = sessions, schedule, clock
        self.platform = poster.platform
        self._prefix = f"{poster.platform}:"
        self._poster = _Paced(poster, Pacer(rate, sleep=sleep))
        # The platform's error codes that mean "this person can never get a DM from us"
        # (blocked the bot, left, a bot): recorded, never retried.
        self._unreachable = unreachable
        self._retry, self._sleep = retry or RetryPolicy(), sleep
        self._pool = ThreadPoolExecutor(
            max_workers=workers, thread_name_prefix=f"awair-remind-{self.platform}"
        )
        self.stale_after, self.sweep_every = stale_after, sweep_every
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- one round --------------------------------------------------------------------

    def tick(self, now: datetime | None = None) -> Round:
        """Send every reminder due at ``now`` that the ledger lacks; settle stale claims."""
        now = now or self.clock.now()
        workshop = self._schedule.workshop
        ids = [s.id for s in sessions_to_remind(workshop, now)]
        with self._sessions() as db:
            wanted = [w for w in store.reminders_wanted(db, ids) if w.person.startswith(self._prefix)]
            due, next_due = reminder_plan(workshop, wanted, now)
            done = _known(db, [d.key for d in due], self.platform)
            self._settle_stale(db, now)
        todo = [d for d in due if (d.key, self._user(d.person)) not in done]
        outcomes = list(self._pool.map(lambda d: self._send_reminder(workshop, d, now), todo))
        return Round(outcomes.count("sent"), outcomes.count("failed"), outcomes.count("refused"), next_due)

    def notify_changes(self, changes: Sequence[Change], now: datetime | None = None) -> int:
        """Tell each person who picked a session that moved, changed room or was cancelled,
        once; returns the notes sent."""
        now = now or self.clock.now()
        worth = personal_changes(changes)
        if not worth:
            return 0
        workshop = self._schedule.workshop
        with self._sessions() as db:
            people = store.people_who_picked(db, {c.session.id for c in worth})
            ours = {p for picked in people.values() for p in picked if p.startswith(self._prefix)}
            zones = store.zones_of(db, ours)
        jobs = [
            (
                person,
                AgendaChange(change, workshop.timezone, now, other_zone(zones.get(person), workshop, now)),
            )
            for change in worth
            for person in people.get(change.session.id, [])
            if person in ours
        ]
        sent = list(self._pool.map(lambda job: self._send_note(job[0], job[1], now), jobs))
        self._wake.set()  # a moved session's reminder is due at its new time
        return sent.count("sent")

    def _user(self, person: str) -> str:
        return person.removeprefix(self._prefix)

    def _send_reminder(self, workshop: Workshop, due: ReminderDue, now: datetime) -> str:
        to = Destination(self.platform, self._user(due.person))
        late = now - due.due_at > timedelta(minutes=1)
        with self._sessions() as db:
            if not ledger.claim(db, due.key, to, now, kind=REMIND, due_at=due.due_at, late=late):
                return "already"
            message = Reminder(due.session, workshop.timezone, now, other_zone(due.zone, workshop, now))
            return self._deliver(db, due.key, to, due.person, message, now)

    def _send_note(self, person: str, note: AgendaChange, now: datetime) -> str:
        to = Destination(self.platform, self._user(person))
        key = note_key(note.change)
        with self._sessions() as db:
            if not ledger.claim(db, key, to, now, kind=NOTE, due_at=now):
                return "already"
            return self._deliver(db, key, to, person, note, now)

    def _deliver(self, db: Session, key: str, to: Destination, person: str, message, now: datetime) -> str:  # noqa: ANN001
        delivery = deliver(self._poster, to.channel, message, self._retry, self._sleep, since=now)
        if delivery.ok:
            assert delivery.ts is not None
            ledger.mark_sent(db, [key], to, delivery.ts, now, delivery.attempts)
            logger.info("sent %s to %s", key, person)
            metrics.REMINDERS.labels("sent").inc()
            return "sent"
        ledger.mark_failed(db, [key], to, delivery.description, delivery.attempts)
        metrics.REMINDERS.labels("failed").inc()
        if delivery.error in self._unreachable:
            # Blocked, left, or not a person: no more tries until they ask again.
            store.mark_refused(db, person, delivery.error or "refused", now)
            logger.warning("%s can't get direct messages (%s): their reminders stop", person, delivery.error)
            return "refused"
        return "failed"

    def _settle_stale(self, db: Session, now: datetime) -> None:
        """A reminder claimed by a process that died mid-send is never sent again blind
        (a DM twice is worse than a missed one): marked unknown, once, and logged."""
        stale = db.scalars(
            select(LedgerEntry).where(
                LedgerEntry.platform == self.platform,
                LedgerEntry.kind.in_([REMIND, NOTE]),
                LedgerEntry.status == LedgerStatus.CLAIMED.value,
                LedgerEntry.claimed_at < now - self.stale_after,
            )
        ).all()
        for entry in stale:
            logger.warning(
                "%s to %s: claimed by %s, never confirmed; not re-sending",
                entry.key,
                entry.channel,
                entry.owner,
            )
            ledger.mark_unknown(
                db,
                [entry.key],
                Destination(entry.platform, entry.channel),
                "the bot stopped while sending it",
            )

    # -- running on a thread -------------------------------------------------------------

    def start(self) -> None:
        """Run rounds on a thread until ``shutdown``; follow schedule changes."""
        self._schedule.subscribe(self._on_change)
        self._thread = threading.Thread(
            target=self._loop, name=f"awair-reminders-{self.platform}", daemon=True
        )
        self._thread.start()
        logger.info("personal reminders on %s", self.platform)

    def poke(self) -> None:
        """Run a round soon (someone picked a session that may be due already)."""
        self._wake.set()

    def shutdown(self, wait: bool = True) -> None:
        """Stop after the round in progress."""
        self._stop.set()
        self._wake.set()
        if wait and self._thread is not None:
            self._thread.join(timeout=30)
        self._pool.shutdown(wait=wait)

    def _on_change(self, old: Workshop, new: Workshop) -> None:
        from bot.announcements.changes import diff_schedules

        try:
            self.notify_changes(diff_schedules(old, new, self.clock.now()))
        except Exception:
            logger.exception("telling people of schedule changes failed")

    def _loop(self) -> None:
        while not self._stop.is_set():
            wait = self.sweep_every.total_seconds()
            try:
                result = self.tick()
                if result.next_due is not None:
                    wait = min(wait, max((result.next_due - self.clock.now()).total_seconds(), 0.0))
            except Exception:  # the database may be away: try again at the next sweep
                logger.exception("a reminders round failed")
            self._wake.wait(wait)
            self._wake.clear()


def _known(db: Session, keys: list[str], platform: str) -> set[tuple[str, str]]:
    """(key, channel) of the ledger's rows among ``keys``: one query, so a round skips what
    went out in an earlier round (or another process) without a failed claim for each."""
    if not keys:
        return set()
    found: set[tuple[str, str]] = set()
    unique = sorted(set(keys))
    for i in range(0, len(unique), 500):
        rows = db.execute(
            select(LedgerEntry.key, LedgerEntry.channel).where(
                LedgerEntry.platform == platform, LedgerEntry.key.in_(unique[i : i + 500])
            )
        )
        found.update((k, c) for k, c in rows)
    return found
