"""The latest organizer announcement that went out, for screens that show it (the board)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.tables_announce import OrganizerStatus, ScheduledAnnouncement


def latest_sent(db: Session, now: datetime) -> ScheduledAnnouncement | None:
    """The organizer announcement posted most recently at or before ``now``, if any."""
    query = (
        select(ScheduledAnnouncement)
        .where(
            ScheduledAnnouncement.status == OrganizerStatus.SENT.value,
            ScheduledAnnouncement.sent_at <= now,
        )
        .order_by(ScheduledAnnouncement.sent_at.desc(), ScheduledAnnouncement.id.desc())
        .limit(1)
    )
    return db.scalars(query).first()
