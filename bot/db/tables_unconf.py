"""Unconference tables: proposals, votes, and the planned (draft or published) sessions.

The database, not Python, keeps the counts right under concurrency:

* ``UNIQUE(proposal_id, user_id)``: one vote per user per proposal.
* ``UNIQUE(user_id, slot)`` with ``slot >= 1``: each vote occupies one of the user's numbered
  vote slots, and the voting code only hands out slots ``1..budget``. Two concurrent votes
  by one user can never take the same slot, so the budget holds without a read-then-insert
  race and without SERIALIZABLE transactions (which SQLite and PostgreSQL implement too
  differently to rely on the same retry logic).
* A partial unique index on the normalised title of *open* proposals: two people proposing
  the same topic at once end up with one proposal.
* Partial unique indexes allow at most one draft and one published plan.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base
from bot.db.types import UtcDateTime


class ProposalStatus(StrEnum):
    """Where a proposal stands; only open proposals take votes and get planned."""

    OPEN = "open"
    WITHDRAWN = "withdrawn"
    MERGED = "merged"
    REMOVED = "removed"  # by an organizer (moderation), with a reason for the author


class PlanStatus(StrEnum):
    """A plan is drafted, then published; publishing another one supersedes it."""

    DRAFT = "draft"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"


class Proposal(Base):
    """A topic someone proposed; its id is the number people see (#7)."""

    __tablename__ = "unconf_proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(Text)  # exactly as typed (outer spaces trimmed)
    title_key: Mapped[str] = mapped_column(Text)  # see bot.unconference.titles.title_key
    description: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[str] = mapped_column(String(64), index=True)  # "slack:U123"
    author_name: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    status: Mapped[str] = mapped_column(String(16), default=ProposalStatus.OPEN.value)
    merged_into: Mapped[int | None] = mapped_column(ForeignKey("unconf_proposals.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())  # withdrawn, merged or removed
    removed_reason: Mapped[str | None] = mapped_column(Text)  # an organizer's, when removed

    __table_args__ = (
        CheckConstraint("status IN ('open', 'withdrawn', 'merged', 'removed')", name="status"),
        CheckConstraint(
            "(status = 'merged' AND merged_into IS NOT NULL) OR (status <> 'merged' AND merged_into IS NULL)",
            name="merged_into",
        ),
        Index(
            "ix_unconf_proposals_open_title_key",
            "title_key",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )


class ProposalPost(Base):
    """Where a proposal was posted on one platform, so its message can be updated in place."""

    __tablename__ = "unconf_proposal_posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("unconf_proposals.id"))
    platform: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(64))
    message_id: Mapped[str] = mapped_column(String(64))  # Slack's ts, Discord's message id
    posted_at: Mapped[datetime] = mapped_column(UtcDateTime())

    __table_args__ = (
        UniqueConstraint("proposal_id", "platform", name="uq_unconf_proposal_posts_proposal_platform"),
    )


class Vote(Base):
    """One user's vote for one proposal, occupying one of the user's vote slots."""

    __tablename__ = "unconf_votes"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("unconf_proposals.id"), index=True)
    user_id: Mapped[str] = mapped_column(String(64))
    slot: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())

    __table_args__ = (
        UniqueConstraint("proposal_id", "user_id", name="uq_unconf_votes_proposal_user"),
        UniqueConstraint("user_id", "slot", name="uq_unconf_votes_user_slot"),
        CheckConstraint("slot >= 1", name="slot_positive"),
    )


class PlanRecord(Base):
    """A stored plan of the unconference block: at most one draft and one published."""

    __tablename__ = "unconf_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(16), default=PlanStatus.DRAFT.value)
    block_session_id: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    created_by: Mapped[str | None] = mapped_column(String(64))
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    published_by: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        CheckConstraint("status IN ('draft', 'published', 'superseded')", name="status"),
        Index(
            "ix_unconf_plans_one_draft",
            "status",
            unique=True,
            sqlite_where=text("status = 'draft'"),
            postgresql_where=text("status = 'draft'"),
        ),
        Index(
            "ix_unconf_plans_one_published",
            "status",
            unique=True,
            sqlite_where=text("status = 'published'"),
            postgresql_where=text("status = 'published'"),
        ),
    )


class PlanItemRecord(Base):
    """One planned session; title and speaker are copied so a published plan stays put."""

    __tablename__ = "unconf_plan_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("unconf_plans.id"), index=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("unconf_proposals.id"))
    session_id: Mapped[str] = mapped_column(String(128))
    room: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime())
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime())
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    speaker_id: Mapped[str] = mapped_column(String(64))
    speaker_name: Mapped[str] = mapped_column(Text)

    __table_args__ = (
        UniqueConstraint("plan_id", "session_id", name="uq_unconf_plan_items_session"),
        UniqueConstraint("plan_id", "proposal_id", name="uq_unconf_plan_items_proposal"),
        UniqueConstraint("plan_id", "room", "starts_at", name="uq_unconf_plan_items_room_start"),
        CheckConstraint("ends_at > starts_at", name="times"),
    )
