"""Personal reminders from real processes on one database: two processes racing send each
reminder once; a process SIGKILLed mid-round and started again never sends one twice."""

from __future__ import annotations

import time
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from bot.db.engine import make_engine, make_sessionmaker
from bot.db.tables_agenda import AgendaPerson, Pick
from bot.db.tables_announce import LedgerEntry
from tests.reliability.test_two_processes import write_schedule
from tests.support.databases import migrated
from tests.support.fake_slack import FakeSlack
from tests.support.process import bot_env, bot_process
from tests.support.slack_spec import spec_checked_slack

pytestmark = pytest.mark.slow

NOW = datetime.fromisoformat("2023-08-05T10:11:50-07:00")
PEOPLE = 30


def fill(db_url: str, platform: str = "slack") -> set[tuple[str, str]]:
    """30 members who picked the 10:12 and 10:13 talks with a one-minute lead: at 10:11:50 the
    first is due, the second ten seconds later. Returns (member, session) expected."""
    migrated(db_url)
    engine = make_engine(db_url)
    db = make_sessionmaker(engine)
    with db() as session:
        users = [
            f"UR{i:04d}" if platform == "slack" else str(210_000_000_000_000_000 + i) for i in range(PEOPLE)
        ]
        session.execute(
            insert(Pick),
            [
                {"person": f"{platform}:{u}", "session_id": s, "created_at": NOW}
                for u in users
                for s in ("r12", "r13")
            ],
        )
        session.execute(
            insert(AgendaPerson), [{"person": f"{platform}:{u}", "remind_minutes": 1} for u in users]
        )
        session.commit()
    engine.dispose()
    return {(u, s) for u in users for s in ("r12", "r13")}


def env(fake: FakeSlack, db_url: str, schedule: Path, **extra: str) -> dict[str, str]:
    return bot_env(
        fake.url,
        db_url,
        SCHEDULE_PATH=str(schedule),
        AWAIR_NOW=NOW.isoformat(),
        WATCH_SCHEDULE="false",
        **extra,
    )


def reminders(fake: FakeSlack) -> list[tuple[str, str]]:
    """(member, session) of every reminder Slack accepted."""
    return [
        (c.args["channel"], key.split(":", 1)[1].split("@")[0])
        for c in fake.calls_to("chat.postMessage")
        if c.response and c.response.get("ok") and "metadata" in c.args
        for key in c.args["metadata"]["event_payload"]["keys"]
        if key.startswith("remind:")
    ]


def wait_for(fake: FakeSlack, count: int, within: float = 40) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline and len(reminders(fake)) < count:
        time.sleep(0.1)
    time.sleep(1.0)  # a second copy, if any, would arrive right behind the first


def test_two_processes_send_each_reminder_once(tmp_path, db_url):
    expected = fill(db_url)
    write_schedule(tmp_path / "schedule")
    with spec_checked_slack() as fake:
        with ExitStack() as both:
            for _ in range(2):
                both.enter_context(bot_process(env(fake, db_url, tmp_path / "schedule"), tmp_path))
            wait_for(fake, len(expected))
        sent = reminders(fake)
    assert len(sent) == len(set(sent)), "a reminder went twice"
    assert set(sent) == expected


def test_a_process_killed_mid_round_never_sends_a_reminder_twice(tmp_path):
    db_url = f"sqlite:///{tmp_path}/kill.sqlite3"
    expected = fill(db_url)
    write_schedule(tmp_path / "schedule")
    with spec_checked_slack() as fake:
        # Slow answers, so the kill lands while reminders are in flight.
        fake.delay_next("chat.postMessage", 0.2, times=20)
        settings = {"ANNOUNCE_CLAIM_TIMEOUT_SECONDS": "2"}
        with bot_process(env(fake, db_url, tmp_path / "schedule", **settings), tmp_path) as bot:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and not fake.calls_to("chat.postMessage"):
                time.sleep(0.02)
            bot.kill()
        with bot_process(env(fake, db_url, tmp_path / "schedule", **settings), tmp_path):
            wait_for(fake, len(expected) - 10, within=40)
            time.sleep(3)  # past the claim timeout: the dead process's claims are settled
        sent = reminders(fake)
    assert len(sent) == len(set(sent)), "a reminder went twice"
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db:
        rows = db.execute(select(LedgerEntry.channel, LedgerEntry.key, LedgerEntry.status)).all()
    engine.dispose()
    # Every reminder was sent once, or (claimed by the killed process, its fate unknown)
    # recorded as such: never sent again blind.
    statuses = {(c, k.split(":", 1)[1].split("@")[0]): s for c, k, s in rows}
    assert set(statuses) == expected
    assert {s for s in statuses.values()} <= {"sent", "unknown"}
    assert {pair for pair, s in statuses.items() if s == "sent"} <= set(sent)


def discord_reminders(fake) -> list[tuple[str, str]]:
    """(member, session) of every reminder DM Discord made (a retried nonce makes none)."""
    member_of = {channel: user for user, channel in fake.dm_channels.items()}
    return [
        (member_of[m["channel_id"]], "r" + m["embeds"][0]["title"].split(" starts")[0].split()[-1])
        for m in fake.messages.values()
        if m["channel_id"] in member_of
    ]


def test_two_processes_on_both_platforms_send_each_reminder_once_on_each(tmp_path, db_url):
    from tests.reliability.test_discord_processes import discord_env
    from tests.support.discord_spec import spec_checked_discord

    on_slack, on_discord = fill(db_url), fill(db_url, "discord")
    write_schedule(tmp_path / "schedule")
    with spec_checked_slack() as slack, spec_checked_discord() as fake:
        environment = discord_env(fake, db_url, tmp_path / "schedule", slack_url=slack.url)
        # Reminders only: the channel's announcements are tested elsewhere.
        environment.pop("DISCORD_ANNOUNCE_CHANNEL")
        with ExitStack() as both:
            for _ in range(2):
                both.enter_context(bot_process(environment, tmp_path))
            deadline = time.monotonic() + 40
            while time.monotonic() < deadline and (
                len(reminders(slack)) < len(on_slack) or len(discord_reminders(fake)) < len(on_discord)
            ):
                time.sleep(0.1)
            time.sleep(1.0)  # a second copy, if any, would arrive right behind the first
        sent_slack, sent_discord = reminders(slack), discord_reminders(fake)
    assert sorted(sent_slack) == sorted(on_slack), "Slack: each reminder once"
    assert sorted(sent_discord) == sorted(on_discord), "Discord: each reminder once"
