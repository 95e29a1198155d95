"""The Events tab: each session's event on a platform (Discord's Guild Scheduled Events),
so each is created, moved and cancelled once, across restarts and processes.

Revision ID: 0005_events_tab
Revises: 0004_moderation
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005_events_tab"
down_revision: str | None = "0004_moderation"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "platform_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("session_id", sa.String(200), nullable=False),
        sa.Column("event_id", sa.String(64), nullable=True),
        sa.Column("shown", sa.String(64), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_platform_events"),
        sa.UniqueConstraint("platform", "session_id", name="uq_platform_events_platform_session"),
    )


def downgrade() -> None:
    op.drop_table("platform_events")
