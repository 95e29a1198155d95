"""Two bot processes on one database race for the same announcements: each goes out once."""

from __future__ import annotations

import time
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path

import pytest

from tests.support.databases import migrated
from tests.support.fake_slack import FakeSlack
from tests.support.process import bot_env, bot_process
from tests.support.slack_spec import spec_checked_slack

pytestmark = pytest.mark.slow


def write_schedule(folder: Path) -> None:
    """Twelve talks a minute apart; at 10:11:50 ten are due within grace, one in 10 s."""
    folder.mkdir()
    (folder / "workshop.yaml").write_text("name: Race\ntimezone: America/Los_Angeles\n")
    sessions = "".join(
        f"  - {{id: r{m:02d}, title: Talk {m:02d}, start: '10:{m:02d}', end: '10:{m + 1:02d}', kind: talk}}\n"
        for m in range(2, 14)
    )
    (folder / "2023-08-05.yaml").write_text(f"date: 2023-08-05\nsessions:\n{sessions}")


def test_two_processes_post_each_announcement_once(tmp_path, db_url):
    migrated(db_url)
    write_schedule(tmp_path / "schedule")
    now = datetime.fromisoformat("2023-08-05T10:11:50-07:00")
    with spec_checked_slack() as fake:
        env = bot_env(
            fake.url, db_url, SCHEDULE_PATH=str(tmp_path / "schedule"), AWAIR_NOW=now.isoformat(),
            ANNOUNCE_CHANNEL="C0RACE", ANNOUNCE_LEAD_MINUTES="0", ANNOUNCE_GRACE_MINUTES="10", WATCH_SCHEDULE="false",
        )  # fmt: skip
        with ExitStack() as both:
            for _ in range(2):
                both.enter_context(bot_process(env, tmp_path))
            # Catch-up (10:02-10:11) at once, then 10:12 ten seconds later, in both processes.
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and len(_keys(fake)) < 11:
                time.sleep(0.1)
            time.sleep(1.0)  # a second copy, if any, would arrive right behind the first
        keys = _keys(fake)
    assert sorted(keys) == sorted(set(keys)), "posted twice"
    assert {k.split("@")[0] for k in keys} == {f"start:r{m:02d}" for m in range(2, 13)}


def _keys(fake: FakeSlack) -> list[str]:
    return [
        k
        for c in fake.calls_to("chat.postMessage")
        if c.response and c.response.get("ok") and "metadata" in c.args
        for k in c.args["metadata"]["event_payload"]["keys"]
    ]
