"""Slack's Web API failing for a while: every due announcement goes out once when it
recovers, or is recorded as failed with the reason; commands are answered meanwhile."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.db.engine import make_engine
from bot.db.tables import LedgerEntry
from tests.support.fake_slack import FakeSlack
from tests.support.process import bot_env, bot_process
from tests.support.signing import slash_command_body
from tests.support.slack_spec import spec_checked_slack

pytestmark = pytest.mark.slow


def schedule(folder: Path) -> Path:
    """Two talks starting together at 10:10 (one announcement) and one at 10:12."""
    folder.mkdir()
    (folder / "workshop.yaml").write_text("name: Outage\ntimezone: America/Los_Angeles\n")
    (folder / "2023-08-05.yaml").write_text(
        "date: 2023-08-05\nsessions:\n"
        "  - {id: a, title: Talk A, start: '10:10', end: '10:40', kind: talk, room: Hall}\n"
        "  - {id: b, title: Talk B, start: '10:10', end: '10:40', kind: talk, room: Lab}\n"
        "  - {id: c, title: Talk C, start: '10:12', end: '10:40', kind: talk, room: Garden}\n"
    )
    return folder


def run_bot(tmp_path: Path, fake: FakeSlack):
    env = bot_env(
        fake.url, f"sqlite:///{tmp_path}/outage.sqlite3", SCHEDULE_PATH=str(schedule(tmp_path / "s")),
        AWAIR_NOW="2023-08-05T10:10:20-07:00", ANNOUNCE_CHANNEL="C0OUT", ANNOUNCE_LEAD_MINUTES="2", WATCH_SCHEDULE="false",
    )  # fmt: skip
    return bot_process(env, tmp_path)


def ledger(tmp_path: Path) -> dict[str, tuple[str, str | None]]:
    engine = make_engine(f"sqlite:///{tmp_path}/outage.sqlite3")
    with engine.connect() as conn:
        rows = {r.key.split("@")[0]: (r.status, r.error) for r in conn.execute(select(LedgerEntry))}
    engine.dispose()
    return rows


def wait_for(predicate, within: float = 30) -> None:
    deadline = time.monotonic() + within
    while not predicate() and time.monotonic() < deadline:
        time.sleep(0.1)


def test_rate_limits_and_server_errors_then_recovery(tmp_path):
    with spec_checked_slack() as fake:
        fake.fail_next("chat.postMessage", status=429, headers={"Retry-After": "1"}, times=2)
        fake.fail_next("chat.postMessage", status=500, times=2)
        with run_bot(tmp_path, fake) as bot:
            # While the announcements wait out the outage, commands are answered at once.
            t0 = time.monotonic()
            status, body = bot.post(slash_command_body("/next", ""))
            assert status == 200 and json.loads(body)["text"] and time.monotonic() - t0 < 2
            wait_for(
                lambda: len(ledger(tmp_path)) == 3 and all(s == "sent" for s, _ in ledger(tmp_path).values())
            )
        attempts = [c for c in fake.calls_to("chat.postMessage") if "metadata" in c.args]
    sent = [c for c in attempts if c.status == 200]
    keys = [k for c in sent for k in c.args["metadata"]["event_payload"]["keys"]]
    assert sorted(k.split("@")[0] for k in keys) == ["start:a", "start:b", "start:c"]  # each once
    assert len(attempts) == 6  # 2 rate-limited, 2 server errors, then the two posts
    assert {s for s, _ in ledger(tmp_path).values()} == {"sent"}


def test_a_hard_error_is_recorded_with_what_to_fix(tmp_path):
    with spec_checked_slack() as fake:
        fake.set_response("chat.postMessage", {"ok": False, "error": "channel_not_found"})
        with run_bot(tmp_path, fake) as bot:
            wait_for(
                lambda: (
                    len(ledger(tmp_path)) == 3 and all(s == "failed" for s, _ in ledger(tmp_path).values())
                )
            )
            assert bot.post(slash_command_body("/next", ""))[0] == 200  # still answering
            assert "channel_not_found" in bot.log() and "ANNOUNCE_CHANNEL" in bot.log()
    status, error = ledger(tmp_path)["start:a"]
    assert status == "failed"
    assert error.startswith("channel_not_found: no such channel") and "ANNOUNCE_CHANNEL" in error
    assert len(fake.calls_to("chat.postMessage")) == 2  # one try per announcement: retrying won't help
