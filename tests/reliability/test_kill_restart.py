"""SIGKILL at random moments, 20 times, while announcements fall due and proposals and votes
come in; restarted each time on the same database. Afterwards: no announcement posted twice,
none lost within the grace window, and every acknowledged proposal and vote stored."""

from __future__ import annotations

import http.client
import random
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.db.engine import make_engine
from bot.db.tables import LedgerEntry, Proposal, Vote
from tests.support.process import bot_env, bot_process
from tests.support.signing import block_action_body, slash_command_body
from tests.support.slack_spec import spec_checked_slack

pytestmark = pytest.mark.slow

KILLS = 20
START = datetime.fromisoformat("2023-08-05T10:00:00-07:00")
GRACE_MINUTES = 10


def write_schedule(folder: Path) -> None:
    """A talk every minute from 10:00 to 10:39, announced when it starts (lead 0)."""
    folder.mkdir()
    (folder / "workshop.yaml").write_text("name: Kill test\ntimezone: America/Los_Angeles\n")
    sessions = "".join(
        f"  - {{id: t{m:02d}, title: Talk {m:02d}, start: '10:{m:02d}', end: '10:{m + 1:02d}', kind: talk}}\n"
        for m in range(40)
    )
    (folder / "2023-08-05.yaml").write_text(f"date: 2023-08-05\nsessions:\n{sessions}")


def traffic(
    bot, cycle: int, acked: dict[str, list], stop: threading.Event, progress: threading.Semaphore
) -> None:
    """Proposals and votes from a few people at once until the process dies."""

    def one(kind: str, i: int) -> None:
        if kind == "propose":
            title = f"Kill {cycle:02d}-{i:02d} topic"
            body = slash_command_body("/propose", title, user_id=f"UK{cycle:02d}{i:04d}")
        else:
            title = f"UV{cycle:02d}{i:04d}"  # the voter
            body = block_action_body("unconf_vote", str(1 + i % 3), user_id=title)
        try:
            status, answer = bot.post(body, timeout=5)
        except (OSError, http.client.HTTPException):
            return  # killed mid-request (or mid-answer): not acknowledged
        if status == 200:
            acked[kind].append(title)
            progress.release()

    i = 0
    while not stop.is_set() and i < 200:
        threads = [
            threading.Thread(target=one, args=(k, i + n)) for n, k in enumerate(["propose", "vote", "vote"])
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        i += 3


def test_sigkill_twenty_times(tmp_path):
    rng = random.Random(20231105)
    schedule = tmp_path / "schedule"
    write_schedule(schedule)
    db_url = f"sqlite:///{tmp_path}/kill.sqlite3"
    acked: dict[str, list] = {"propose": [], "vote": []}
    with spec_checked_slack() as fake:

        def env_at(minute: int) -> dict[str, str]:
            now = START + timedelta(minutes=minute, seconds=30)
            return bot_env(
                fake.url,
                db_url,
                SCHEDULE_PATH=str(schedule),
                AWAIR_NOW=now.isoformat(),
                ANNOUNCE_CHANNEL="C0KILL",
                ANNOUNCE_LEAD_MINUTES="0",
                ANNOUNCE_GRACE_MINUTES=str(GRACE_MINUTES),
                ANNOUNCE_CLAIM_TIMEOUT_SECONDS="2",
                WATCH_SCHEDULE="false",
            )

        # Three proposals to vote on, from a process that is not killed.
        with bot_process(env_at(0), tmp_path) as bot:
            for n in range(3):
                assert (
                    bot.post(slash_command_body("/propose", f"Seed topic {n}", user_id=f"USEED{n}"))[0] == 200
                )

        for cycle in range(1, KILLS + 1):
            with bot_process(env_at(cycle), tmp_path) as bot:
                stop, progress = threading.Event(), threading.Semaphore(0)
                load = threading.Thread(target=traffic, args=(bot, cycle, acked, stop, progress))
                load.start()
                # Die at a random moment, counted in acknowledged requests rather than
                # seconds: 0 kills it while the start-up catch-up is posting.
                for _ in range(rng.randint(0, 12)):
                    progress.acquire(timeout=10)
                bot.kill()
                stop.set()
                load.join()

        # Last, a clean run long enough to settle stale claims (timeout 2 s, sweep every 1 s).
        with bot_process(env_at(KILLS + 1), tmp_path) as bot:
            wait_until(lambda: not _open_claims(db_url), within=90)  # generous: a loaded CI machine
            assert bot.process.poll() is None

    posts = [
        c
        for c in fake.calls_to("chat.postMessage")
        if c.response and c.response.get("ok") and "metadata" in c.args
    ]
    keys = [k for c in posts for k in c.args["metadata"]["event_payload"]["keys"]]
    assert len(keys) == len(set(keys)), "an announcement was posted twice"

    # Every talk due while some process was alive within grace must be out: with the last
    # clock at 10:21:30 and ten minutes' grace, that is every talk from 10:01 to 10:21.
    announced = {k.split("@")[0].removeprefix("start:") for k in keys}
    expected = {f"t{m:02d}" for m in range(1, KILLS + 2)}
    assert expected <= announced, f"lost: {sorted(expected - announced)}"
    assert not _open_claims(db_url)

    engine = make_engine(db_url)
    with engine.connect() as conn:
        titles = set(conn.scalars(select(Proposal.title)))
        voters = {v.removeprefix("slack:") for v in conn.scalars(select(Vote.user_id))}
    engine.dispose()
    assert set(acked["propose"]) <= titles, f"lost proposals: {set(acked['propose']) - titles}"
    assert set(acked["vote"]) <= voters, f"lost votes: {set(acked['vote']) - voters}"
    assert len(acked["propose"]) > 20 and len(acked["vote"]) > 40  # the kills really hit traffic


def wait_until(predicate, within: float) -> None:
    """Poll ``predicate`` until true (a wait for the bot's own sweep, not a timed assertion)."""
    deadline = time.monotonic() + within
    while not predicate():
        if time.monotonic() > deadline:
            return
        time.sleep(0.1)


def _open_claims(db_url: str) -> list[str]:
    engine = make_engine(db_url)
    with engine.connect() as conn:
        rows = list(conn.scalars(select(LedgerEntry.key).where(LedgerEntry.status == "claimed")))
    engine.dispose()
    return rows
