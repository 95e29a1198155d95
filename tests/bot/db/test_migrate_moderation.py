"""Migration 0004 on a database filled by 0003: every proposal survives, keys become
confusables skeletons (a look-alike that got in before stays open for the organizers), and a
proposal can be removed; and back down."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import text

from bot.db import migrate
from bot.db.engine import make_engine, make_sessionmaker
from bot.unconference import get_proposal, propose
from bot.unconference.titles import title_key

WHEN = datetime(2023, 8, 5, 17, 0, tzinfo=UTC)
LATIN, CYRILLIC = "Interpretability tools", "Іntеrрrеtаbіlіtу tооls"  # the second in look-alikes

# What release 0003 wrote: its keys were NFKC and casefold only, so the look-alike got in.
RELEASE_0003_ROWS = [
    "INSERT INTO unconf_proposals (id, title, title_key, description, author_id, author_name, created_at, "
    f"status) VALUES (1, '{LATIN}', 'interpretabilitytools', '', 'slack:U0ADA', 'Ada', :when, 'open')",
    "INSERT INTO unconf_proposals (id, title, title_key, description, author_id, author_name, created_at, "
    f"status) VALUES (2, '{CYRILLIC}', 'іntеrрrеtаbіlіtуtооls', '', 'slack:U0BOB', 'Bob', :when, 'open')",
    "INSERT INTO unconf_proposals (id, title, title_key, description, author_id, author_name, created_at, "
    "status, closed_at) VALUES (3, 'Gone', 'gone', '', 'slack:U0BOB', 'Bob', :when, 'withdrawn', :when)",
    "INSERT INTO unconf_votes (proposal_id, user_id, slot, created_at) VALUES (2, 'slack:U0ADA', 1, :when)",
]


def test_a_filled_database_upgrades_and_sees_through_look_alikes(db_url):
    migrate.upgrade(db_url, "0003_platforms")
    engine = make_engine(db_url)
    with engine.begin() as connection:
        for statement in RELEASE_0003_ROWS:
            connection.execute(text(statement), {"when": WHEN})
    migrate.upgrade(db_url)
    assert migrate.is_up_to_date(db_url)
    with engine.begin() as connection:
        keys = dict(connection.execute(text("SELECT id, title_key FROM unconf_proposals")).all())
    assert keys[1] == title_key(LATIN) == title_key(CYRILLIC)
    assert keys[2] == "іntеrрrеtаbіlіtуtооls"  # kept: both stay open for an organizer to merge
    assert keys[3] == title_key("Gone")
    sessions = make_sessionmaker(engine)
    with sessions() as db:
        assert get_proposal(db, 2).votes == 1 and get_proposal(db, 3).status.value == "withdrawn"
        # A new look-alike of #1 is a duplicate of it now.
        again = propose(db, "slack:U0CAT", "Cat", "Ιnterpretabilitу tοols", "", WHEN, None)
        assert again.outcome.value == "duplicate" and again.proposal.number == 1
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE unconf_proposals SET status = 'removed', removed_reason = 'spam' WHERE id = 2")
        )
    engine.dispose()

    command.downgrade(migrate.alembic_config(db_url), "0003_platforms")
    engine = make_engine(db_url)
    with engine.begin() as connection:
        rows = dict(connection.execute(text("SELECT id, status FROM unconf_proposals")).all())
        keys = dict(connection.execute(text("SELECT id, title_key FROM unconf_proposals")).all())
    engine.dispose()
    assert rows == {1: "open", 2: "withdrawn", 3: "withdrawn"}
    assert keys[1] == "interpretabilitytools"  # the release before's own key again
