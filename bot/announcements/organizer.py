"""Organizers' announcements in the database: scheduled, claimed, posted, or cancelled.

The row is the claim: a post moves it from ``pending`` to ``sending`` with a conditional
UPDATE, which exactly one process wins; ``cancel`` is the same move to ``cancelled``, so a
cancel and a post can never both happen.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.db.tables_announce import OrganizerStatus, ScheduledAnnouncement

OPEN = (OrganizerStatus.PENDING, OrganizerStatus.SENDING)


def schedule(
    db: Session,
    text: str,
    author_id: str,
    author_name: str,
    platform: str,
    channel: str,
    due_at: datetime,
    now: datetime,
    status: OrganizerStatus = OrganizerStatus.PENDING,
    group_id: int | None = None,
) -> ScheduledAnnouncement:
    """Store an announcement to post to ``platform``'s ``channel`` at ``due_at``; returns it
    with its id. ``group_id`` joins it to the rows of the same ``/announce`` on the other
    platforms (None: it starts a group of its own)."""
    row = ScheduledAnnouncement(
        text=text,
        author_id=author_id,
        author_name=author_name,
        platform=platform,
        channel=channel,
        due_at=due_at,
        created_at=now,
        status=status.value,
        claimed_at=now if status is OrganizerStatus.SENDING else None,
        late=False,
        attempts=0,
    )
    db.add(row)
    db.flush()  # for its id
    row.group_id = row.id if group_id is None else group_id
    db.commit()
    return row


def in_group(db: Session, group_id: int) -> list[ScheduledAnnouncement]:
    """Every platform's row of one ``/announce``."""
    query = select(ScheduledAnnouncement).where(ScheduledAnnouncement.group_id == group_id)
    return list(db.scalars(query.order_by(ScheduledAnnouncement.id)))


def sign(db: Session, group_id: int, author_name: str) -> int:
    """Put the organizer's looked-up name on the rows of a group not yet posted; how many."""
    result = db.execute(
        update(ScheduledAnnouncement)
        .where(
            ScheduledAnnouncement.group_id == group_id,
            ScheduledAnnouncement.status == OrganizerStatus.PENDING.value,
        )
        .values(author_name=author_name)
    )
    db.commit()
    return result.rowcount


def get(db: Session, announcement_id: int) -> ScheduledAnnouncement | None:
    """The announcement with this id, if any."""
    return db.get(ScheduledAnnouncement, announcement_id)


def _move(db: Session, announcement_id: int, source: Iterable[OrganizerStatus], **values: object) -> bool:
    result = db.execute(
        update(ScheduledAnnouncement)
        .where(
            ScheduledAnnouncement.id == announcement_id,
            ScheduledAnnouncement.status.in_([s.value for s in source]),
        )
        .values(**values)
    )
    db.commit()
    return result.rowcount == 1


def cancel(db: Session, announcement_id: int) -> bool:
    """Cancel a pending announcement; False if it is unknown, already posted or cancelled."""
    return _move(db, announcement_id, [OrganizerStatus.PENDING], status=OrganizerStatus.CANCELLED.value)


def claim(db: Session, announcement_id: int, now: datetime, late: bool = False) -> bool:
    """Take a pending announcement for posting; True for exactly one caller."""
    return _move(
        db,
        announcement_id,
        [OrganizerStatus.PENDING],
        status=OrganizerStatus.SENDING.value,
        claimed_at=now,
        late=late,
    )


def reopen(db: Session, announcement_id: int) -> bool:
    """Put a stuck ``sending`` announcement, known not to have been posted, back to pending."""
    return _move(
        db, announcement_id, [OrganizerStatus.SENDING], status=OrganizerStatus.PENDING.value, claimed_at=None
    )


def mark_sent(db: Session, announcement_id: int, ts: str, now: datetime, attempts: int) -> None:
    """Record the post's ts."""
    _move(
        db,
        announcement_id,
        OPEN,
        status=OrganizerStatus.SENT.value,
        ts=ts,
        sent_at=now,
        attempts=attempts,
        error=None,
    )


def mark_failed(db: Session, announcement_id: int, error: str, attempts: int = 0) -> None:
    """Record that posting failed for good, and why."""
    _move(db, announcement_id, OPEN, status=OrganizerStatus.FAILED.value, error=error, attempts=attempts)


def mark_skipped(db: Session, announcement_id: int, reason: str) -> bool:
    """Record that its time passed beyond the grace window while the bot was down."""
    return _move(
        db, announcement_id, [OrganizerStatus.PENDING], status=OrganizerStatus.SKIPPED.value, error=reason
    )


def _for(platform: str, channel: str) -> tuple:
    return (ScheduledAnnouncement.platform == platform, ScheduledAnnouncement.channel == channel)


def pending(
    db: Session, platform: str, channel: str, until: datetime | None = None
) -> list[ScheduledAnnouncement]:
    """Announcements waiting to be posted to ``platform``'s ``channel``, by due time; only
    those due by ``until`` if given."""
    query = select(ScheduledAnnouncement).where(
        ScheduledAnnouncement.status == OrganizerStatus.PENDING.value, *_for(platform, channel)
    )
    if until is not None:
        query = query.where(ScheduledAnnouncement.due_at <= until)
    return list(db.scalars(query.order_by(ScheduledAnnouncement.due_at, ScheduledAnnouncement.id)))


def pending_once(db: Session) -> list[ScheduledAnnouncement]:
    """Every pending announcement once, whichever platforms it goes to (a group's first
    row), by due time: what a rehearsal shows."""
    rows = db.scalars(
        select(ScheduledAnnouncement)
        .where(ScheduledAnnouncement.status == OrganizerStatus.PENDING.value)
        .order_by(ScheduledAnnouncement.due_at, ScheduledAnnouncement.id)
    )
    seen: set[int] = set()
    once = []
    for row in rows:
        group = row.group_id or row.id
        if group not in seen:
            seen.add(group)
            once.append(row)
    return once


def stuck(db: Session, platform: str, channel: str, before: datetime) -> list[ScheduledAnnouncement]:
    """Announcements to ``platform``'s ``channel`` claimed before ``before`` and never settled."""
    query = select(ScheduledAnnouncement).where(
        ScheduledAnnouncement.status == OrganizerStatus.SENDING.value,
        ScheduledAnnouncement.claimed_at < before,
        *_for(platform, channel),
    )
    return list(db.scalars(query))


def listing(
    db: Session, platform: str, include_done: bool = False, limit: int = 50
) -> list[ScheduledAnnouncement]:
    """For ``/announce list`` on ``platform``: pending ones by due time, or also the latest
    finished ones."""
    query = select(ScheduledAnnouncement).where(ScheduledAnnouncement.platform == platform)
    if not include_done:
        query = query.where(ScheduledAnnouncement.status.in_([s.value for s in OPEN]))
    order = (ScheduledAnnouncement.due_at, ScheduledAnnouncement.id)
    return list(db.scalars(query.order_by(*order).limit(limit)))
