"""The 0002 migration builds exactly the tables the models describe, and undoes cleanly."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

import bot.db.tables  # noqa: F401 - every other table, so the comparison sees the full schema
import bot.db.tables_unconf  # noqa: F401 - until bot.db.tables imports it
from bot.db.base import Base
from bot.db.engine import make_engine
from bot.db.migrate import alembic_config, current_revision, upgrade

UNCONF_TABLES = {"unconf_proposals", "unconf_votes", "unconf_plans", "unconf_plan_items"}


def test_the_migrated_unconference_tables_match_the_models(db_url):
    upgrade(db_url)
    engine = make_engine(db_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            # Only our tables: other tables' drift is their migrations' business.
            diffs = [d for d in compare_metadata(context, Base.metadata) if "unconf_" in str(d)]
            assert diffs == []
            assert set(inspect(connection).get_table_names()) >= UNCONF_TABLES
            indexes = {ix["name"]: ix for ix in inspect(connection).get_indexes("unconf_proposals")}
            assert indexes["ix_unconf_proposals_open_title_key"]["unique"]
    finally:
        engine.dispose()


def test_downgrade_to_0001_removes_only_the_unconference_tables(db_url):
    upgrade(db_url, "0002_unconference")
    assert current_revision(db_url) == "0002_unconference"
    command.downgrade(alembic_config(db_url), "0001_announcements")
    engine = make_engine(db_url)
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert not tables & UNCONF_TABLES
    assert "announcement_ledger" in tables
    upgrade(db_url, "0002_unconference")  # and up again
    assert current_revision(db_url) == "0002_unconference"
