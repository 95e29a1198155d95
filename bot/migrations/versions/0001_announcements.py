"""Announcements: the exactly-once ledger and organizers' scheduled announcements.

Revision ID: 0001_announcements
Revises:
Create Date: 2024-06-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001_announcements"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

# Written out rather than imported from the models: a migration must keep meaning what it
# meant when it was written, whatever the models later become.
LEDGER_STATUSES = "status IN ('claimed', 'sent', 'failed', 'skipped', 'unknown')"
ORGANIZER_STATUSES = "status IN ('pending', 'sending', 'sent', 'cancelled', 'failed', 'skipped')"


def _when(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "announcement_ledger",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("channel", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        _when("due_at"),
        _when("claimed_at", nullable=False),
        _when("sent_at"),
        sa.Column("ts", sa.String(32), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("owner", sa.String(100), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_announcement_ledger"),
        sa.UniqueConstraint("key", "channel", name="uq_announcement_ledger_key"),
        sa.CheckConstraint(LEDGER_STATUSES, name="ck_announcement_ledger_status"),
    )
    op.create_index("ix_announcement_ledger_status", "announcement_ledger", ["status", "claimed_at"])
    op.create_table(
        "scheduled_announcements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author_id", sa.String(32), nullable=False),
        sa.Column("author_name", sa.String(200), nullable=False),
        sa.Column("channel", sa.String(64), nullable=False),
        _when("due_at", nullable=False),
        _when("created_at", nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        _when("claimed_at"),
        _when("sent_at"),
        sa.Column("ts", sa.String(32), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_scheduled_announcements"),
        sa.CheckConstraint(ORGANIZER_STATUSES, name="ck_scheduled_announcements_status"),
    )
    op.create_index("ix_scheduled_announcements_status", "scheduled_announcements", ["status", "due_at"])


def downgrade() -> None:
    op.drop_index("ix_scheduled_announcements_status", table_name="scheduled_announcements")
    op.drop_table("scheduled_announcements")
    op.drop_index("ix_announcement_ledger_status", table_name="announcement_ledger")
    op.drop_table("announcement_ledger")
