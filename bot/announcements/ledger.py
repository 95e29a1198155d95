"""The announcement ledger: claim before posting, so nothing is ever posted twice.

A claim is an INSERT of (key, platform, channel), which the table's unique constraint lets succeed
once, whichever process, thread or restart tries it; the loser sees IntegrityError and
posts nothing. Every function here commits: a claim must be durable before the post.

A claim whose process died between claim and post stays ``claimed`` with no ts and no
error, and nobody can know from the database whether Slack got the post. We choose
exactly-once over at-least-once: after ``stale_after`` (far longer than a delivery's retry
budget, so its owner has given up or died) the scheduler settles it by looking for the
post when the poster can search its channel: found, it is ``sent`` with its ts; searched
and not there, the claim is released and the announcement posted (late, within the grace
window). With no way to search it is marked ``unknown`` and logged. It is never reposted
blind: a missed announcement is a nuisance; a second copy of announcements after every
crash is what makes people mute a bot.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from bot.db.tables_announce import LedgerEntry, LedgerStatus

logger = logging.getLogger(__name__)

START, CHANGE = "start", "change"  # the ledger's ``kind`` column


@dataclass(frozen=True)
class Destination:
    """A channel of one platform: where a post goes, and whose ledger rows those are."""

    platform: str
    channel: str

    def __str__(self) -> str:
        return f"{self.platform}:{self.channel}"


def _at(to: Destination) -> tuple:
    return (LedgerEntry.platform == to.platform, LedgerEntry.channel == to.channel)


def owner_id() -> str:
    """Who is claiming: 'host:pid', so a stuck claim can be traced to its process."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _entry(key: str, to: Destination, now: datetime, **fields: object) -> LedgerEntry:
    fields.setdefault("kind", START)
    fields.setdefault("status", LedgerStatus.CLAIMED.value)
    fields.setdefault("owner", owner_id())
    fields.setdefault("late", False)
    fields.setdefault("attempts", 0)
    return LedgerEntry(key=key, platform=to.platform, channel=to.channel, claimed_at=now, **fields)


def claim(db: Session, key: str, to: Destination, now: datetime, **fields: object) -> bool:
    """Claim one announcement; True if this caller won it and must now post it.

    ``fields`` sets other columns (``kind``, ``due_at``, ``late``, ``status``).
    """
    db.add(_entry(key, to, now, **fields))
    try:
        db.commit()
    except IntegrityError:
        db.rollback()
        logger.debug("%s to %s was already claimed", key, to)
        return False
    return True


def claim_all(
    db: Session, keys: Sequence[str], to: Destination, now: datetime, **fields: object
) -> list[str]:
    """Claim several announcements posted as one message; returns the keys this caller won.

    All at once in one transaction, so two processes with the same plan never split a
    group between them; if any key is taken, falls back to one claim per key, which keeps
    a session added to an already announced slot announceable on its own.
    """
    ordered = sorted(set(keys))  # one order for everyone, so PostgreSQL cannot deadlock
    if not ordered:
        return []
    db.add_all([_entry(k, to, now, **fields) for k in ordered])
    try:
        db.commit()
        return ordered
    except (IntegrityError, OperationalError) as exc:
        db.rollback()
        if isinstance(exc, OperationalError) and "deadlock" not in str(exc).lower():
            raise
    return [k for k in ordered if claim(db, k, to, now, **fields)]


def _set(db: Session, keys: Iterable[str], to: Destination, **values: object) -> None:
    db.execute(update(LedgerEntry).where(LedgerEntry.key.in_(list(keys)), *_at(to)).values(**values))
    db.commit()


def mark_sent(
    db: Session, keys: Iterable[str], to: Destination, ts: str, now: datetime, attempts: int = 1
) -> None:
    """Record that the post fulfilling ``keys`` went out as message ``ts``."""
    _set(db, keys, to, status=LedgerStatus.SENT.value, ts=ts, sent_at=now, attempts=attempts, error=None)


def mark_failed(db: Session, keys: Iterable[str], to: Destination, error: str, attempts: int = 1) -> None:
    """Record that the post failed for good, and why (with what to fix)."""
    _set(db, keys, to, status=LedgerStatus.FAILED.value, error=error, attempts=attempts)


def mark_unknown(db: Session, keys: Iterable[str], to: Destination, reason: str) -> None:
    """Record that a claim's fate cannot be known; it will not be posted again."""
    _set(db, keys, to, status=LedgerStatus.UNKNOWN.value, error=reason)


def release(db: Session, keys: Iterable[str], to: Destination) -> None:
    """Withdraw open claims that are known not to have been posted, so they can be claimed
    (and posted) again. Only ``claimed`` rows: a settled row is never reopened."""
    db.execute(
        delete(LedgerEntry).where(
            LedgerEntry.key.in_(list(keys)),
            *_at(to),
            LedgerEntry.status == LedgerStatus.CLAIMED.value,
        )
    )
    db.commit()


def record_skipped(
    db: Session, keys: Sequence[str], to: Destination, now: datetime, reason: str, **fields: object
) -> list[str]:
    """Record announcements too old to post; returns the keys not already in the ledger,
    so each skip is logged once, not at every restart."""
    return claim_all(db, keys, to, now, status=LedgerStatus.SKIPPED.value, error=reason, **fields)


def known_keys(db: Session, to: Destination) -> set[str]:
    """Every key the ledger holds for ``to``, whatever its status."""
    return set(db.scalars(select(LedgerEntry.key).where(*_at(to))))


def entries(
    db: Session,
    to: Destination | None = None,
    since: datetime | None = None,
    statuses: Iterable[LedgerStatus] | None = None,
) -> list[LedgerEntry]:
    """Ledger rows in claim order, optionally for one destination, since an instant, by status."""
    query = select(LedgerEntry).order_by(LedgerEntry.claimed_at, LedgerEntry.id)
    if to is not None:
        query = query.where(*_at(to))
    if since is not None:
        query = query.where(LedgerEntry.claimed_at >= since)
    if statuses is not None:
        query = query.where(LedgerEntry.status.in_([s.value for s in statuses]))
    return list(db.scalars(query))


def stale_claims(db: Session, to: Destination, now: datetime, older_than: timedelta) -> list[LedgerEntry]:
    """Claims to ``to`` still open ``older_than`` after they were made: their process
    probably died. Only ``to``'s: another platform's sweep settles its own."""
    return list(
        db.scalars(
            select(LedgerEntry)
            .where(
                LedgerEntry.status == LedgerStatus.CLAIMED.value,
                LedgerEntry.claimed_at < now - older_than,
                *_at(to),
            )
            .order_by(LedgerEntry.claimed_at)
        )
    )
