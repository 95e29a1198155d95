"""Personal agendas: the sessions each person picked, and their reminder and calendar settings.

Who picked what is private to each person: only counts ever leave these tables for anyone
else (``/awair interest``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base
from bot.db.types import UtcDateTime


class Pick(Base):
    """One session in one person's agenda. ``UNIQUE(person, session_id)``: a second click
    (or a second process) adds nothing."""

    __tablename__ = "agenda_picks"
    __table_args__ = (UniqueConstraint("person", "session_id", name="uq_agenda_picks_person_session_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person: Mapped[str] = mapped_column(String(64))  # "slack:U123"
    session_id: Mapped[str] = mapped_column(String(200), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class AgendaPerson(Base):
    """A person's own settings: their reminder lead (None: the default; off: ``reminders``
    false), their calendar feed's token (its SHA-256 only), a DM the platform refused, and
    their time zone."""

    __tablename__ = "agenda_people"

    person: Mapped[str] = mapped_column(String(64), primary_key=True)
    remind_minutes: Mapped[int | None] = mapped_column(Integer)  # None: the default lead; -1: off
    feed_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Set when the platform refused a DM for good (blocked, left): no more reminders until
    # the person asks for them again.
    dm_refused: Mapped[str | None] = mapped_column(Text)
    dm_refused_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # The IANA zone the person's platform last gave for them (Slack's profile), so a reminder,
    # sent with nobody asking, can show its times in the reader's zone too.
    zone: Mapped[str | None] = mapped_column(String(64))
