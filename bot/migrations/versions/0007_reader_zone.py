"""A person's own time zone, as their platform last told it: their reminders show times in it.

Revision ID: 0007_reader_zone
Revises: 0006_agenda
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0007_reader_zone"
down_revision: str | None = "0006_agenda"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("agenda_people") as batch:
        batch.add_column(sa.Column("zone", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("agenda_people") as batch:
        batch.drop_column("zone")
