"""Migrations: from empty to head, what the bot says when the database is behind."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from bot.db import migrate
from bot.db.engine import make_engine
from bot.db.tables import Base


def test_upgrade_from_empty(db_url):
    assert migrate.current_revision(db_url) is None
    assert not migrate.is_up_to_date(db_url)
    migrate.upgrade(db_url)
    assert migrate.current_revision(db_url) == migrate.head_revision()
    assert migrate.is_up_to_date(db_url)
    migrate.ensure_up_to_date(db_url)  # no error
    migrate.upgrade(db_url)  # a second upgrade is a no-op


def test_a_database_behind_is_refused_with_the_command_that_fixes_it(db_url):
    try:
        migrate.ensure_up_to_date(db_url)
    except migrate.DatabaseBehind as exc:
        assert "has no tables yet" in str(exc)
        assert "`awair-bot db upgrade`" in str(exc)
    else:
        raise AssertionError("an empty database passed")


def test_first_revision_alone(db_url):
    migrate.upgrade(db_url, "0001_announcements")
    assert migrate.current_revision(db_url) == "0001_announcements"
    if migrate.head_revision() != "0001_announcements":
        assert not migrate.is_up_to_date(db_url)


def test_the_migrations_make_exactly_the_models_tables(db_url):
    migrate.upgrade(db_url)
    engine = make_engine(db_url)
    with engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert diffs == []


def test_works_from_any_directory(db_url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no alembic.ini here or anywhere: the config is in code
    migrate.upgrade(db_url)
    assert migrate.is_up_to_date(db_url)
    assert (migrate.MIGRATIONS / "env.py").exists()


def test_heroku_style_url_is_accepted(tmp_path):
    # Only the prefix is rewritten; SQLite URLs pass through untouched.
    url = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    migrate.upgrade(url)
    assert migrate.is_up_to_date(url)
