"""Claim, post, record: one announcement from the ledger to the channel and back.

Synchronous and free of APScheduler, so tests and the rehearsal drive it directly; the
scheduler calls these from its worker thread.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from bot import metrics
from bot.announcements import ledger, organizer
from bot.announcements.changes import Change
from bot.announcements.ledger import Destination
from bot.announcements.messages import Message, OrganizerPost, ScheduleChange, SessionStart
from bot.announcements.plan import AnnouncementPolicy, Due, Timing, classify, session_key
from bot.announcements.poster import Delivery, FindingPoster, Poster, RetryPolicy, deliver
from bot.db.tables_announce import OrganizerStatus

logger = logging.getLogger(__name__)


class Outcome(StrEnum):
    """What one attempt to announce came to."""

    POSTED = "posted"
    FAILED = "failed"
    ALREADY = "already"  # claimed before: by another process, an earlier run, or a retry
    SKIPPED = "skipped"  # too old to post


@dataclass
class Outbox:
    """What posting needs: the database, the poster, the channel and how to retry."""

    sessions: sessionmaker[Session]
    poster: Poster
    channel: str
    zone: ZoneInfo
    policy: AnnouncementPolicy = field(default_factory=AnnouncementPolicy)
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    sleep: Callable[[float], None] = time.sleep

    @property
    def to(self) -> Destination:
        """The poster's platform and this channel: whose ledger rows this outbox owns."""
        return Destination(self.poster.platform, self.channel)

    def post(self, message: Message, since: datetime, channel: str | None = None) -> Delivery:
        """Deliver ``message`` with retries (never raises)."""
        return deliver(self.poster, channel or self.channel, message, self.retry, self.sleep, since)


def send_session_start(
    box: Outbox, due: Due, now: datetime, late_ok: bool = True
) -> tuple[Outcome, Delivery | None]:
    """Post the start announcement of ``due``'s sessions unless the ledger has them.

    Only the sessions this call claims are listed: one added to an announced slot goes out
    alone. ``late_ok=False`` drops the "posted late" note (a re-plan, not a catch-up).
    """
    timing = classify(due, now, box.policy)
    with box.sessions() as db:
        if timing is Timing.TOO_OLD:
            fresh = ledger.record_skipped(
                db,
                due.keys,
                box.to,
                now,
                f"too old: due {due.due_at:%H:%M}Z, seen at {now:%H:%M}Z",
                due_at=due.due_at,
            )
            if fresh:
                logger.warning("skipped %s (due %s): past the grace window", fresh, due.due_at)
                metrics.ANNOUNCEMENTS.labels("skipped").inc()
            return Outcome.SKIPPED, None
        late = timing is Timing.LATE and late_ok
        won = ledger.claim_all(db, due.keys, box.to, now, due_at=due.due_at, late=late)
        if not won:
            return Outcome.ALREADY, None
        sessions = tuple(s for s in due.sessions if session_key(s) in won)
        message = SessionStart(due.start, box.zone, sessions, now, late)
        return _settle(box, db, won, box.post(message, since=now), now, late)


def send_changes(box: Outbox, changes: Sequence[Change], now: datetime) -> tuple[Outcome, Delivery | None]:
    """Post one notice for the changes the ledger has not seen yet."""
    with box.sessions() as db:
        won = set(ledger.claim_all(db, [c.key for c in changes], box.to, now, kind=ledger.CHANGE, due_at=now))
        if not won:
            return Outcome.ALREADY, None
        message = ScheduleChange(tuple(c for c in changes if c.key in won), box.zone, now)
        return _settle(box, db, sorted(won), box.post(message, since=now), now)


def _settle(
    box: Outbox, db: Session, keys: Sequence[str], delivery: Delivery, now: datetime, late: bool = False
) -> tuple[Outcome, Delivery]:
    if delivery.ok:
        assert delivery.ts is not None
        ledger.mark_sent(db, keys, box.to, delivery.ts, now, delivery.attempts)
        logger.info("announced %s as %s", list(keys), delivery.ts)
        count_delivery(delivery, late)
        return Outcome.POSTED, delivery
    ledger.mark_failed(db, keys, box.to, delivery.description, delivery.attempts)
    count_delivery(delivery, late)
    return Outcome.FAILED, delivery


def count_delivery(delivery: Delivery, late: bool) -> None:
    """Count an announcement posted (and late, when it was) or failed, for /metrics."""
    if not delivery.ok:
        metrics.ANNOUNCEMENTS.labels("failed").inc()
        return
    metrics.ANNOUNCEMENTS.labels("posted").inc()
    if late:
        metrics.ANNOUNCEMENTS.labels("late").inc()


def send_organizer(box: Outbox, announcement_id: int, now: datetime) -> tuple[Outcome, Delivery | None]:
    """Post a scheduled organizer announcement, once, unless cancelled or too old."""
    with box.sessions() as db:
        row = organizer.get(db, announcement_id)
        if row is None or row.status != OrganizerStatus.PENDING:
            return Outcome.ALREADY, None
        timing = classify(row.due_at, now, box.policy)
        if timing is Timing.TOO_OLD:
            if organizer.mark_skipped(db, row.id, f"missed: the bot was down at {row.due_at}"):
                logger.warning("skipped organizer announcement #%s due %s", row.id, row.due_at)
                metrics.ANNOUNCEMENTS.labels("skipped").inc()
            return Outcome.SKIPPED, None
        late = timing is Timing.LATE
        if not organizer.claim(db, row.id, now, late=late):
            return Outcome.ALREADY, None
        message = OrganizerPost(row.id, row.text, row.author_id, row.author_name, row.due_at, box.zone, late)
        return Outcome.POSTED, post_claimed_organizer(box, db, message, row.channel, now)


def post_claimed_organizer(
    box: Outbox, db: Session, message: OrganizerPost, channel: str, now: datetime
) -> Delivery:
    """Post an organizer announcement already claimed (``sending``) and record the result."""
    delivery = box.post(message, since=now, channel=channel)
    if delivery.ok:
        assert delivery.ts is not None
        organizer.mark_sent(db, message.announcement_id, delivery.ts, now, delivery.attempts)
    else:
        organizer.mark_failed(db, message.announcement_id, delivery.description, delivery.attempts)
    count_delivery(delivery, message.late)
    return delivery


def recover(box: Outbox, now: datetime, stale_after: timedelta) -> list[str]:
    """Settle claims left open by a process that died mid-post; returns the ledger keys
    released for posting again.

    When the poster can search its channel: found, recorded as sent; searched and not
    there, released (session starts) or put back to pending (organizer posts) so they go
    out now, late. Without a search: marked unknown (ledger) or failed (organizer) and
    logged, never reposted blind: see ``ledger``.
    """
    finder = box.poster if isinstance(box.poster, FindingPoster) else None
    released: list[str] = []
    with box.sessions() as db:
        for entry in ledger.stale_claims(db, box.to, now, stale_after):
            found, ts = _look(finder, entry.channel, entry.key, entry.claimed_at)
            if not found:
                continue
            if ts:
                ledger.mark_sent(db, [entry.key], box.to, ts, now, entry.attempts or 1)
            elif finder is not None:
                logger.warning(
                    "%s to %s: claimed by %s, never posted; posting it again",
                    entry.key,
                    entry.channel,
                    entry.owner,
                )
                ledger.release(db, [entry.key], box.to)
                released.append(entry.key)
            else:
                logger.warning(
                    "%s to %s: claimed at %s by %s, never confirmed; not reposting",
                    entry.key,
                    entry.channel,
                    entry.claimed_at,
                    entry.owner,
                )
                ledger.mark_unknown(
                    db, [entry.key], box.to, "the bot stopped while posting: check the channel"
                )
        for row in organizer.stuck(db, box.to.platform, box.channel, now - stale_after):
            since = row.claimed_at or row.created_at
            found, ts = _look(finder, row.channel, f"organizer:{row.id}", since)
            if not found:
                continue
            if ts:
                organizer.mark_sent(db, row.id, ts, now, row.attempts or 1)
            elif finder is not None:
                logger.warning("organizer announcement #%s was never posted; posting it again", row.id)
                organizer.reopen(db, row.id)
            else:
                logger.warning("organizer announcement #%s never confirmed; not reposting", row.id)
                organizer.mark_failed(
                    db,
                    row.id,
                    "the bot stopped while posting it: check the channel and post it again if it is missing",
                )
    return released


def _look(finder: FindingPoster | None, channel: str, key: str, since: datetime) -> tuple[bool, str | None]:
    """(looked, ts): looked is False when the search failed, so the claim stays open and
    the next sweep tries again, rather than settling it on no information."""
    if finder is None:
        return True, None
    try:
        return True, finder.find(channel, key, since)
    except Exception:  # a failed search must not stop the sweep
        logger.exception("could not search %s for %s", channel, key)
        return False, None
