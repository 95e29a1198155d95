"""Tables for announcements: the exactly-once ledger and organizers' scheduled posts."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, CheckConstraint, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base
from bot.db.types import UtcDateTime


class LedgerStatus(StrEnum):
    """Where one announcement stands in the ledger."""

    CLAIMED = "claimed"  # a process owns it and is posting (or died while posting)
    SENT = "sent"  # Slack accepted it; ``ts`` says which message
    FAILED = "failed"  # Slack refused or kept failing; ``error`` says why
    SKIPPED = "skipped"  # too old when the bot first saw it; never posted as news
    UNKNOWN = "unknown"  # claimed by a process that vanished; not reposted (see ledger.py)


class OrganizerStatus(StrEnum):
    """Where one organizer announcement stands."""

    PENDING = "pending"
    SENDING = "sending"  # claimed by a process that is posting it
    SENT = "sent"
    CANCELLED = "cancelled"
    FAILED = "failed"
    SKIPPED = "skipped"  # its time passed beyond the grace window while the bot was down


def _in(values: type[StrEnum]) -> str:
    return "status IN (" + ", ".join(f"'{v.value}'" for v in values) + ")"


class LedgerEntry(Base):
    """One announcement to one channel of one platform. The unique (key, platform, channel)
    triple is what makes a second claim fail, whichever process or restart attempts it."""

    __tablename__ = "announcement_ledger"
    __table_args__ = (
        UniqueConstraint("key", "platform", "channel", name="uq_announcement_ledger_key_platform_channel"),
        CheckConstraint(_in(LedgerStatus), name="status"),
        Index(None, "status", "claimed_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # e.g. "start:sat-misalignment@2023-08-05T18:00:00Z" or "change:moved:...": see plan.py.
    key: Mapped[str] = mapped_column(String(200))
    platform: Mapped[str] = mapped_column(String(16))  # "slack", "discord": whose channel it is
    channel: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))  # "start" or "change"
    status: Mapped[str] = mapped_column(String(16))
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    claimed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    ts: Mapped[str | None] = mapped_column(String(32))
    error: Mapped[str | None] = mapped_column(Text)
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    owner: Mapped[str | None] = mapped_column(String(100))  # "host:pid" of the claimer

    def __repr__(self) -> str:
        return f"<LedgerEntry {self.key} -> {self.channel}: {self.status}>"


class ScheduledAnnouncement(Base):
    """An organizer's announcement to one platform's channel, posted now or at ``due_at``;
    survives restarts. One ``/announce`` makes a row per platform, sharing a ``group_id``.

    ``text`` is what the organizer typed (the platform's transport escaping undone, its own
    mention syntax kept); each platform renders it when it posts.
    """

    __tablename__ = "scheduled_announcements"
    __table_args__ = (
        CheckConstraint(_in(OrganizerStatus), name="status"),
        Index(None, "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int | None] = mapped_column(Integer)  # the first row of one /announce
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[str] = mapped_column(String(64))  # "slack:U123"
    author_name: Mapped[str] = mapped_column(String(200))
    platform: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(64))
    due_at: Mapped[datetime] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    status: Mapped[str] = mapped_column(String(16), default=OrganizerStatus.PENDING.value)
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    ts: Mapped[str | None] = mapped_column(String(32))
    error: Mapped[str | None] = mapped_column(Text)
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    attempts: Mapped[int] = mapped_column(Integer, default=0)

    def __repr__(self) -> str:
        return f"<ScheduledAnnouncement #{self.id} at {self.due_at:%Y-%m-%d %H:%M}Z: {self.status}>"
