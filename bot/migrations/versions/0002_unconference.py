"""Unconference: proposals, votes (with per-user vote slots) and plans.

Revision ID: 0002_unconference
Revises: 0001_announcements
Create Date: 2024-06-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002_unconference"
down_revision: str | None = "0001_announcements"
branch_labels: str | None = None
depends_on: str | None = None

# Written out rather than imported from the models: a migration must keep meaning what it
# meant when it was written, whatever the models later become.
PROPOSAL_STATUSES = "status IN ('open', 'withdrawn', 'merged')"
MERGED_INTO = (
    "(status = 'merged' AND merged_into IS NOT NULL) OR (status <> 'merged' AND merged_into IS NULL)"
)
PLAN_STATUSES = "status IN ('draft', 'published', 'superseded')"


def _when(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _partial(condition: str) -> dict[str, sa.TextClause]:
    # Partial indexes exist on both databases; each dialect reads its own keyword.
    return {"sqlite_where": sa.text(condition), "postgresql_where": sa.text(condition)}


def upgrade() -> None:
    op.create_table(
        "unconf_proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("title_key", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("author_id", sa.String(64), nullable=False),
        sa.Column("author_name", sa.Text(), nullable=False),
        _when("created_at", nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("merged_into", sa.Integer(), nullable=True),
        _when("closed_at"),
        sa.Column("channel", sa.String(64), nullable=True),
        sa.Column("message_ts", sa.String(32), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_unconf_proposals"),
        sa.CheckConstraint(PROPOSAL_STATUSES, name="ck_unconf_proposals_status"),
        sa.CheckConstraint(MERGED_INTO, name="ck_unconf_proposals_merged_into"),
        sa.ForeignKeyConstraint(
            ["merged_into"],
            ["unconf_proposals.id"],
            name="fk_unconf_proposals_merged_into_unconf_proposals",
        ),
    )
    op.create_index("ix_unconf_proposals_author_id", "unconf_proposals", ["author_id"])
    # Two people proposing the same topic at once end up with one open proposal.
    op.create_index(
        "ix_unconf_proposals_open_title_key",
        "unconf_proposals",
        ["title_key"],
        unique=True,
        **_partial("status = 'open'"),
    )

    op.create_table(
        "unconf_votes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=False),
        _when("created_at", nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_unconf_votes"),
        sa.UniqueConstraint("proposal_id", "user_id", name="uq_unconf_votes_proposal_user"),
        # Each vote holds one of the user's numbered slots: the vote budget, in the database.
        sa.UniqueConstraint("user_id", "slot", name="uq_unconf_votes_user_slot"),
        sa.CheckConstraint("slot >= 1", name="ck_unconf_votes_slot_positive"),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["unconf_proposals.id"],
            name="fk_unconf_votes_proposal_id_unconf_proposals",
        ),
    )
    op.create_index("ix_unconf_votes_proposal_id", "unconf_votes", ["proposal_id"])

    op.create_table(
        "unconf_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("block_session_id", sa.String(128), nullable=False),
        _when("created_at", nullable=False),
        sa.Column("created_by", sa.String(64), nullable=True),
        _when("published_at"),
        sa.Column("published_by", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_unconf_plans"),
        sa.CheckConstraint(PLAN_STATUSES, name="ck_unconf_plans_status"),
    )
    op.create_index(
        "ix_unconf_plans_one_draft",
        "unconf_plans",
        ["status"],
        unique=True,
        **_partial("status = 'draft'"),
    )
    op.create_index(
        "ix_unconf_plans_one_published",
        "unconf_plans",
        ["status"],
        unique=True,
        **_partial("status = 'published'"),
    )

    op.create_table(
        "unconf_plan_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.String(128), nullable=False),
        sa.Column("room", sa.String(200), nullable=False),
        _when("starts_at", nullable=False),
        _when("ends_at", nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("speaker_id", sa.String(64), nullable=False),
        sa.Column("speaker_name", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_unconf_plan_items"),
        sa.UniqueConstraint("plan_id", "session_id", name="uq_unconf_plan_items_session"),
        sa.UniqueConstraint("plan_id", "proposal_id", name="uq_unconf_plan_items_proposal"),
        sa.UniqueConstraint("plan_id", "room", "starts_at", name="uq_unconf_plan_items_room_start"),
        sa.CheckConstraint("ends_at > starts_at", name="ck_unconf_plan_items_times"),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["unconf_plans.id"], name="fk_unconf_plan_items_plan_id_unconf_plans"
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["unconf_proposals.id"],
            name="fk_unconf_plan_items_proposal_id_unconf_proposals",
        ),
    )
    op.create_index("ix_unconf_plan_items_plan_id", "unconf_plan_items", ["plan_id"])


def downgrade() -> None:
    op.drop_index("ix_unconf_plan_items_plan_id", table_name="unconf_plan_items")
    op.drop_table("unconf_plan_items")
    op.drop_index("ix_unconf_plans_one_published", table_name="unconf_plans")
    op.drop_index("ix_unconf_plans_one_draft", table_name="unconf_plans")
    op.drop_table("unconf_plans")
    op.drop_index("ix_unconf_votes_proposal_id", table_name="unconf_votes")
    op.drop_table("unconf_votes")
    op.drop_index("ix_unconf_proposals_open_title_key", table_name="unconf_proposals")
    op.drop_index("ix_unconf_proposals_author_id", table_name="unconf_proposals")
    op.drop_table("unconf_proposals")
