"""Migration 0003 on a database filled by the release before it: every row survives, Slack's
ids are namespaced, a proposal's message moves to its own table, organizer text is as typed."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text

from bot.announcements import organizer
from bot.announcements.ledger import Destination, known_keys
from bot.db import migrate
from bot.db.engine import make_engine, make_sessionmaker
from bot.unconference import get_proposal, mine, posts_of

WHEN = datetime(2023, 8, 5, 17, 0, tzinfo=UTC)

# What release 0002 wrote, as it wrote it: bare Slack ids, one channel/ts per proposal,
# organizer text as Slack mrkdwn.
RELEASE_0002_ROWS = [
    "INSERT INTO unconf_proposals (id, title, title_key, description, author_id, author_name, created_at, "
    "status, channel, message_ts) VALUES (1, 'Evals & RLHF', 'evals rlhf', '', 'U0ADA', 'Ada', :when, 'open', "
    "'CUNCONF', '1691254800.000100')",
    "INSERT INTO unconf_proposals (id, title, title_key, description, author_id, author_name, created_at, "
    "status) VALUES (2, 'Never posted', 'never posted', '', 'U0BOB', 'Bob', :when, 'open')",
    "INSERT INTO unconf_votes (proposal_id, user_id, slot, created_at) VALUES (1, 'U0BOB', 1, :when)",
    "INSERT INTO unconf_votes (proposal_id, user_id, slot, created_at) VALUES (2, 'U0BOB', 2, :when)",
    "INSERT INTO announcement_ledger (key, channel, kind, status, claimed_at, late, attempts) "
    "VALUES ('start:talk@2023-08-05T17:00:00Z', 'C0ANN', 'start', 'sent', :when, false, 1)",
    "INSERT INTO scheduled_announcements (text, author_id, author_name, channel, due_at, created_at, status, "
    "late, attempts) VALUES ('<!here> Lunch &amp; a talk &lt;3', 'U0ORG', 'Olive', 'C0ANN', :when, :when, "
    "'pending', false, 0)",
]


def test_a_filled_database_upgrades_with_its_data_intact(db_url):
    migrate.upgrade(db_url, "0002_unconference")
    engine = make_engine(db_url)
    with engine.begin() as connection:
        for statement in RELEASE_0002_ROWS:
            connection.execute(text(statement), {"when": WHEN})
    migrate.upgrade(db_url)
    sessions = make_sessionmaker(engine)
    with sessions() as db:
        assert get_proposal(db, 1).author_id == "slack:U0ADA"
        assert get_proposal(db, 1).votes == 1
        assert posts_of(db, 1) == {"slack": ("CUNCONF", "1691254800.000100")}
        assert posts_of(db, 2) == {}
        bobs = mine(db, "slack:U0BOB")
        assert [p.number for p in bobs.proposed] == [2] and bobs.votes_used == 2
        assert known_keys(db, Destination("slack", "C0ANN")) == {"start:talk@2023-08-05T17:00:00Z"}
        (row,) = organizer.pending(db, "slack", "C0ANN")
        assert row.text == "<!here> Lunch & a talk <3"  # as typed; Slack's renderer escapes again
        assert (row.author_id, row.group_id) == ("slack:U0ORG", row.id)
    engine.dispose()
    assert migrate.is_up_to_date(db_url)


def test_the_upgrade_goes_back_down(db_url):
    migrate.upgrade(db_url)
    from alembic import command

    command.downgrade(migrate.alembic_config(db_url), "0002_unconference")
    assert migrate.current_revision(db_url) == "0002_unconference"
