"""Moderation: organizers remove a proposal (a status of its own, with their reason), and the
duplicate check sees through look-alike letters.

* ``unconf_proposals.status`` may be ``removed``; ``removed_reason`` keeps the organizer's
  reason, told to the author.
* ``title_key`` becomes the title's confusables skeleton (UTS #39): every stored key is made
  again. Two open proposals whose new keys collide (a look-alike duplicate that got in
  before) keep the older one's new key; the newer keeps its old key, so both stay open for
  an organizer to merge or remove.

Revision ID: 0004_moderation
Revises: 0003_platforms
Create Date: 2026-12-02
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

revision: str = "0004_moderation"
down_revision: str | None = "0003_platforms"
branch_labels: str | None = None
depends_on: str | None = None

OLD_STATUSES = "status IN ('open', 'withdrawn', 'merged')"
NEW_STATUSES = "status IN ('open', 'withdrawn', 'merged', 'removed')"


def _rekey(key_of: Callable[[str], str], collided: Callable[[str, str, int], str]) -> None:
    """Every title_key made again with ``key_of``; an open proposal whose new key an older
    open one already has gets ``collided(new, old, id)`` instead (open keys are unique)."""
    connection = op.get_bind()
    rows = connection.execute(
        sa.text("SELECT id, title, title_key, status FROM unconf_proposals ORDER BY id")
    ).all()
    # Open keys out of the way first, so no row meets another's old key midway.
    connection.execute(
        sa.text(
            "UPDATE unconf_proposals SET title_key = '#' || CAST(id AS VARCHAR(12)) WHERE status = 'open'"
        )
    )
    taken: set[str] = set()
    for row in rows:
        key = key_of(row.title)
        if row.status == "open":
            key = collided(key, row.title_key, row.id) if key in taken else key
            taken.add(key)
        connection.execute(
            sa.text("UPDATE unconf_proposals SET title_key = :key WHERE id = :id"), {"key": key, "id": row.id}
        )


def upgrade() -> None:
    with op.batch_alter_table("unconf_proposals") as batch:
        batch.add_column(sa.Column("removed_reason", sa.Text(), nullable=True))
        batch.drop_constraint("ck_unconf_proposals_status", type_="check")
        batch.create_check_constraint("ck_unconf_proposals_status", NEW_STATUSES)
    # The key is the code's own (the skeleton needs Unicode's data file): a later change of
    # title_key comes with a migration of its own, as this one does. A look-alike of an
    # older open proposal keeps its old key: both stay open, for an organizer to merge.
    from bot.unconference.titles import title_key

    _rekey(title_key, lambda _new, old, _id: old)


def _old_key(title: str) -> str:
    """The key of the release before, written out: NFKC, casefold, letters, marks, digits."""
    folded = unicodedata.normalize("NFKC", title).casefold()
    key = "".join(ch for ch in folded if unicodedata.category(ch)[0] in "LMN")
    return key or "".join(ch for ch in folded if not ch.isspace())


def downgrade() -> None:
    # The release before knows no removal: a removed proposal reads as withdrawn there.
    op.execute("UPDATE unconf_proposals SET status = 'withdrawn' WHERE status = 'removed'")
    with op.batch_alter_table("unconf_proposals") as batch:
        batch.drop_constraint("ck_unconf_proposals_status", type_="check")
        batch.create_check_constraint("ck_unconf_proposals_status", OLD_STATUSES)
        batch.drop_column("removed_reason")
    _rekey(_old_key, lambda new, _old, number: f"{new}#{number}")
