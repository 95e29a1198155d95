"""Alembic environment: runs the bot's migrations against the URL given by bot.db.migrate.

The config is built in code (no alembic.ini), so this works from an installed package.
"""

from __future__ import annotations

from alembic import context

from bot.db.engine import make_engine, normalise_url
from bot.db.tables import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_offline() -> None:
    """Emit SQL to stdout (``--sql``) instead of touching a database."""
    context.configure(
        url=normalise_url(config.attributes["url"]),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Migrate over a connection handed in by the caller, or one made from the URL."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(config.attributes["url"])
    try:
        with engine.connect() as connection:
            _run(connection)
    finally:
        engine.dispose()


def _run(connection) -> None:  # noqa: ANN001
    # SQLite cannot ALTER most things in place; batch mode rebuilds tables there and is a
    # plain ALTER on PostgreSQL, so one migration serves both. A rebuild drops and recreates
    # a table that others reference, which SQLite's foreign keys (on in the bot's engine)
    # refuse: they are off while migrating, as SQLite's own ALTER TABLE guide says.
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
