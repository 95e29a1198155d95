"""Platform-neutral data: people namespaced by platform, posts per platform, organizer text
as typed.

* Every stored person id becomes ``platform:id`` (``slack:U123``): authors, voters, plan
  makers and speakers, organizers' announcements. Two platforms on one database never take
  one person for another, and the vote budget stays per person.
* A proposal's posted message moves from ``unconf_proposals.channel/message_ts`` to a row
  per platform in ``unconf_proposal_posts``.
* The ledger and organizer announcements say which platform's channel a row is for, so
  each platform's sweeps take only their own rows; the ledger's uniqueness is per platform.
* Organizer announcements were stored as Slack mrkdwn; now as typed (Slack's ``&amp;``,
  ``&lt;``, ``&gt;`` undone), and rendered per platform when posted.

Every existing row was Slack's: that is the only platform the release before this had.

Revision ID: 0003_platforms
Revises: 0002_unconference
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003_platforms"
down_revision: str | None = "0002_unconference"
branch_labels: str | None = None
depends_on: str | None = None

# Written out, not imported: a migration keeps meaning what it meant when it was written.
PEOPLE = (
    ("unconf_proposals", "author_id"),
    ("unconf_votes", "user_id"),
    ("unconf_plans", "created_by"),
    ("unconf_plans", "published_by"),
    ("unconf_plan_items", "speaker_id"),
    ("scheduled_announcements", "author_id"),
)


def _prefix(table: str, column: str) -> None:
    op.execute(
        f"UPDATE {table} SET {column} = 'slack:' || {column} "
        f"WHERE {column} IS NOT NULL AND {column} NOT LIKE '%:%'"
    )


def _unprefix(table: str, column: str) -> None:
    op.execute(f"UPDATE {table} SET {column} = SUBSTR({column}, 7) WHERE {column} LIKE 'slack:%'")


def upgrade() -> None:
    with op.batch_alter_table("scheduled_announcements") as batch:
        batch.alter_column("author_id", type_=sa.String(64), existing_nullable=False)
        batch.add_column(sa.Column("platform", sa.String(16), nullable=False, server_default="slack"))
        batch.add_column(sa.Column("group_id", sa.Integer(), nullable=True))
    for table, column in PEOPLE:
        _prefix(table, column)
    # The mrkdwn escaping undone (the inverse of escaping & first): the text as typed.
    op.execute(
        "UPDATE scheduled_announcements SET "
        "text = REPLACE(REPLACE(REPLACE(text, '&lt;', '<'), '&gt;', '>'), '&amp;', '&')"
    )
    op.execute("UPDATE scheduled_announcements SET group_id = id")

    with op.batch_alter_table("announcement_ledger") as batch:
        batch.add_column(sa.Column("platform", sa.String(16), nullable=False, server_default="slack"))
        batch.drop_constraint("uq_announcement_ledger_key", type_="unique")
        batch.create_unique_constraint(
            "uq_announcement_ledger_key_platform_channel", ["key", "platform", "channel"]
        )

    op.create_table(
        "unconf_proposal_posts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("channel", sa.String(64), nullable=False),
        sa.Column("message_id", sa.String(64), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_unconf_proposal_posts"),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["unconf_proposals.id"],
            name="fk_unconf_proposal_posts_proposal_id_unconf_proposals",
        ),
        sa.UniqueConstraint("proposal_id", "platform", name="uq_unconf_proposal_posts_proposal_platform"),
    )
    op.execute(
        "INSERT INTO unconf_proposal_posts (proposal_id, platform, channel, message_id, posted_at) "
        "SELECT id, 'slack', channel, message_ts, created_at FROM unconf_proposals "
        "WHERE channel IS NOT NULL AND message_ts IS NOT NULL"
    )
    with op.batch_alter_table("unconf_proposals") as batch:
        batch.drop_column("channel")
        batch.drop_column("message_ts")

    # The defaults only served the rows that existed; new rows always say their platform.
    with op.batch_alter_table("scheduled_announcements") as batch:
        batch.alter_column("platform", server_default=None, existing_type=sa.String(16))
    with op.batch_alter_table("announcement_ledger") as batch:
        batch.alter_column("platform", server_default=None, existing_type=sa.String(16))


def downgrade() -> None:
    with op.batch_alter_table("unconf_proposals") as batch:
        batch.add_column(sa.Column("channel", sa.String(64), nullable=True))
        batch.add_column(sa.Column("message_ts", sa.String(32), nullable=True))
    op.execute(
        "UPDATE unconf_proposals SET "
        "channel = (SELECT p.channel FROM unconf_proposal_posts p "
        "WHERE p.proposal_id = unconf_proposals.id AND p.platform = 'slack'), "
        "message_ts = (SELECT p.message_id FROM unconf_proposal_posts p "
        "WHERE p.proposal_id = unconf_proposals.id AND p.platform = 'slack')"
    )
    op.drop_table("unconf_proposal_posts")
    op.execute("DELETE FROM announcement_ledger WHERE platform <> 'slack'")
    with op.batch_alter_table("announcement_ledger") as batch:
        batch.drop_constraint("uq_announcement_ledger_key_platform_channel", type_="unique")
        batch.create_unique_constraint("uq_announcement_ledger_key", ["key", "channel"])
        batch.drop_column("platform")
    op.execute("DELETE FROM scheduled_announcements WHERE platform <> 'slack'")
    # The text stays as typed: the older release escapes nothing again before posting, so
    # re-escaping here would break the mentions it keeps; a typed & or < shows as typed.
    for table, column in PEOPLE:
        _unprefix(table, column)
    with op.batch_alter_table("scheduled_announcements") as batch:
        batch.drop_column("group_id")
        batch.drop_column("platform")
        batch.alter_column("author_id", type_=sa.String(32), existing_nullable=False)
