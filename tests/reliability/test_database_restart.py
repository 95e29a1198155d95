"""PostgreSQL restarted under the bot: commands in that moment get a friendly "try again",
the bot recovers by itself within seconds, and nothing acknowledged is lost."""

from __future__ import annotations

import json
import os
import time
from urllib.parse import urlsplit, urlunsplit

import pytest
from sqlalchemy import select

from bot.db.engine import make_engine
from bot.db.tables import Proposal
from tests.support.databases import migrated
from tests.support.process import bot_env, bot_process
from tests.support.signing import slash_command_body
from tests.support.slack_spec import spec_checked_slack
from tests.support.tcp_proxy import TcpProxy

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def through(proxy: TcpProxy, url: str) -> str:
    """``url`` with its host and port replaced by the proxy's."""
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)
    auth = netloc[0] + "@" if len(netloc) == 2 else ""
    return urlunsplit(parts._replace(netloc=f"{auth}127.0.0.1:{proxy.port}"))


def propose(bot, title: str) -> str:
    status, body = bot.post(slash_command_body("/propose", title, user_id="UDBTEST1"), timeout=15)
    assert status == 200
    return json.loads(body)["text"]


def test_database_restart(tmp_path, db_url):
    if not db_url.startswith("postgresql"):
        pytest.skip("the restart is PostgreSQL's (SQLite is a file in the bot's own process)")
    migrated(db_url)
    parts = urlsplit(os.environ["TEST_DATABASE_URL"])
    proxy = TcpProxy((parts.hostname or "127.0.0.1", parts.port or 5432))
    try:
        with spec_checked_slack() as fake:
            env = bot_env(
                fake.url,
                through(proxy, db_url),
                AWAIR_NOW="2023-08-05T10:45:00-07:00",
                WATCH_SCHEDULE="false",
            )
            with bot_process(env, tmp_path) as bot:
                assert "#1" in propose(bot, "Before the restart")

                proxy.cut()
                during = propose(bot, "During the restart")
                assert "briefly unavailable" in during and "try again" in during
                assert bot.post(slash_command_body("/next", ""))[0] == 200  # the schedule needs no database

                proxy.restore()
                deadline, after = time.monotonic() + 60, ""  # generous: a loaded CI machine
                while time.monotonic() < deadline:  # the bot must recover by itself
                    after = propose(bot, "After the restart")
                    if "briefly unavailable" not in after:
                        break
                    time.sleep(0.2)
                assert "#" in after and "briefly unavailable" not in after
    finally:
        proxy.close()
    engine = make_engine(db_url)
    with engine.connect() as conn:
        titles = list(conn.scalars(select(Proposal.title).order_by(Proposal.id)))
    engine.dispose()
    assert titles == ["Before the restart", "After the restart"]  # acknowledged: kept; refused: not stored
