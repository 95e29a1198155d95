"""The real ``awair-bot run --http`` process announcing to the fake Slack: a session announced
once, the process killed outright, restarted on the same database within the grace window,
and nothing posted twice while the next session is announced on time."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.announcements import ledger
from bot.announcements.ledger import Destination
from bot.db.engine import make_engine, make_sessionmaker
from tests.support.fake_slack import FakeSlack
from tests.support.harness import BOT_TOKEN, SIGNING_SECRET
from tests.support.process import bot_env, bot_process
from tests.support.slack_spec import spec_checked_slack

CHANNEL = "C0ANNOUNCE"
OPENING = "start:opening@2023-08-05T17:00:00Z"
SECOND = "start:second@2023-08-05T17:01:00Z"


def write_schedule(folder: Path) -> None:
    folder.mkdir()
    (folder / "workshop.yaml").write_text("name: Process camp\ntimezone: America/Los_Angeles\n")
    (folder / "2023-08-05.yaml").write_text(
        "date: 2023-08-05\nsessions:\n"
        "  - {id: opening, title: Opening, start: '10:00', end: '10:30', kind: talk}\n"
        "  - {id: second, title: Second talk, start: '10:01', end: '10:30', kind: talk}\n"
    )


def posted_keys(fake: FakeSlack) -> list[str]:
    return [k for c in fake.calls_to("chat.postMessage") for k in c.args["metadata"]["event_payload"]["keys"]]


@pytest.mark.slow
def test_announced_once_across_a_kill_and_a_restart(tmp_path):
    write_schedule(tmp_path / "camp")
    database = f"sqlite:///{tmp_path}/bot.sqlite3"
    with spec_checked_slack() as fake:

        def env(now: str) -> dict[str, str]:
            return bot_env(
                fake.url,
                database,
                SCHEDULE_PATH=str(tmp_path / "camp"),
                ANNOUNCE_CHANNEL=CHANNEL,
                ANNOUNCE_LEAD_MINUTES="0",
                # Short, so the restarted bot settles a claim the killed one left open at once.
                ANNOUNCE_CLAIM_TIMEOUT_SECONDS="2",
                WATCH_SCHEDULE="false",
                AWAIR_NOW=now,
            )

        # Three seconds before the opening talk.
        with bot_process(env("2023-08-05T09:59:57-07:00"), tmp_path) as first:
            fake.wait_for_calls("chat.postMessage", 1, timeout=15)
            first.kill()  # SIGKILL: no clean-up, as a crash
        assert posted_keys(fake) == [OPENING]

        # Back 58 s after the opening's due time (within the 10-minute grace window, so the
        # opening would go out now, late, had it been lost), two seconds before the second talk.
        with bot_process(env("2023-08-05T10:00:58-07:00"), tmp_path) as second:
            [_, post] = fake.wait_for_calls("chat.postMessage", 2, timeout=15)
            second.process.terminate()
            second.process.wait(10)
        assert posted_keys(fake) == [OPENING, SECOND]
        assert post.args["channel"] == CHANNEL and post.args["text"].startswith("⏰ Start")

        for log in (first.log(), second.log()):
            assert "Traceback" not in log and BOT_TOKEN not in log and SIGNING_SECRET not in log

    engine = make_engine(database)
    with make_sessionmaker(engine)() as db:
        rows = {r.key: r.status for r in ledger.entries(db, Destination("slack", CHANNEL))}
    engine.dispose()
    # The opening was settled by the restarted bot if the kill came between post and record;
    # the second talk may still be open, as SIGTERM ended the process the moment Slack had it.
    assert rows[OPENING] == "sent" and rows[SECOND] in ("sent", "claimed") and len(rows) == 2
