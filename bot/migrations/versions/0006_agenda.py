"""Personal agendas: picked sessions, reminder leads, calendar feed tokens (hashed).

Revision ID: 0006_agenda
Revises: 0005_events_tab
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0006_agenda"
down_revision: str | None = "0005_events_tab"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "agenda_picks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person", sa.String(64), nullable=False),
        sa.Column("session_id", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_agenda_picks"),
        sa.UniqueConstraint("person", "session_id", name="uq_agenda_picks_person_session_id"),
    )
    op.create_index("ix_agenda_picks_session_id", "agenda_picks", ["session_id"])
    op.create_table(
        "agenda_people",
        sa.Column("person", sa.String(64), nullable=False),
        sa.Column("remind_minutes", sa.Integer(), nullable=True),
        sa.Column("feed_token_hash", sa.String(64), nullable=True),
        sa.Column("dm_refused", sa.Text(), nullable=True),
        sa.Column("dm_refused_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("person", name="pk_agenda_people"),
        sa.UniqueConstraint("feed_token_hash", name="uq_agenda_people_feed_token_hash"),
    )


def downgrade() -> None:
    op.drop_table("agenda_people")
    op.drop_index("ix_agenda_picks_session_id", table_name="agenda_picks")
    op.drop_table("agenda_picks")
