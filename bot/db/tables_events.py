"""The map from sessions to a platform's own calendar events (Discord's Events tab)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base
from bot.db.types import UtcDateTime


class PlatformEvent(Base):
    """One session's event on one platform. The unique (platform, session) pair makes a
    second creation fail, whichever process or restart attempts it; ``shown`` is what the
    event says now, so an edit is made once, by whoever changes it from that."""

    __tablename__ = "platform_events"
    __table_args__ = (UniqueConstraint("platform", "session_id", name="uq_platform_events_platform_session"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    session_id: Mapped[str] = mapped_column(String(200))
    # None while its creator is creating it (or died doing so).
    event_id: Mapped[str | None] = mapped_column(String(64))
    # A fingerprint of title, times and place as last sent; "cancelled" once cancelled.
    shown: Mapped[str] = mapped_column(String(64))
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime())
    claimed_at: Mapped[datetime] = mapped_column(UtcDateTime())
