"""The real process on Discord: alone over HTTP, both platforms from two processes on one
database, and SIGKILL while announcements fall due. Each announcement reaches each platform
once."""

from __future__ import annotations

import json
import random
import time
import urllib.error
import urllib.request
from collections import Counter
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path

import pytest

from tests.reliability.test_two_processes import _keys, write_schedule
from tests.support.databases import migrated
from tests.support.discord_harness import ANNOUNCE, GUILD, PUBLIC_KEY, member, sign
from tests.support.discord_spec import spec_checked_discord
from tests.support.fake_discord import APPLICATION_ID, FakeDiscord
from tests.support.process import bot_env, bot_process, free_port
from tests.support.slack_spec import spec_checked_slack

pytestmark = pytest.mark.slow

NOW = datetime.fromisoformat("2023-08-05T10:11:50-07:00")


def discord_env(fake: FakeDiscord, db_url: str, schedule: Path, slack_url: str | None = None, **more: str):
    """A bot process's environment with Discord (and Slack, given its fake's URL)."""
    env = bot_env(slack_url or "http://127.0.0.1:9/", db_url, SCHEDULE_PATH=str(schedule))
    if slack_url is None:
        for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"):
            env.pop(name)
    else:
        env["ANNOUNCE_CHANNEL"] = "C0RACE"
    env.update(
        DISCORD_BOT_TOKEN="MTAwMDAwMDAwMDAwMDAwMDAx.GAbcde.abcdefghijklmnopqrstuvwxyz0123456789AB",
        DISCORD_GUILD_ID=GUILD,
        DISCORD_APPLICATION_ID=APPLICATION_ID,
        DISCORD_PUBLIC_KEY=PUBLIC_KEY,
        DISCORD_API_URL=fake.url,
        DISCORD_ANNOUNCE_CHANNEL=ANNOUNCE,
        AWAIR_NOW=NOW.isoformat(),
        ANNOUNCE_LEAD_MINUTES="0",
        ANNOUNCE_GRACE_MINUTES="10",
        WATCH_SCHEDULE="false",
        **more,
    )
    fake.token = env["DISCORD_BOT_TOKEN"]
    return env


def interact(bot, interaction: dict) -> tuple[int, dict]:
    """A signed interaction over HTTP, as Discord sends it."""
    body = json.dumps(interaction).encode()
    request = urllib.request.Request(
        bot.base_url + "/discord/interactions",
        body,
        {**sign(body), "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, {}


def discord_keys(fake: FakeDiscord) -> list[str]:
    """The sessions announced on Discord, one entry per post the bot sent."""
    return [
        f["name"].split(" ", 1)[1]
        for r in fake.calls("POST", rf"/channels/{ANNOUNCE}/messages$")
        for e in r.body.get("embeds", [])
        for f in e.get("fields", [])
    ]


def wait_for(predicate, within: float = 30) -> None:
    """Wait until ``predicate()`` holds (a readiness wait, never a timed assertion)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline and not predicate():
        time.sleep(0.1)


def test_discord_alone_over_http(tmp_path):
    write_schedule(tmp_path / "schedule")
    with spec_checked_discord() as fake:
        env = discord_env(fake, f"sqlite:///{tmp_path}/bot.sqlite3", tmp_path / "schedule")
        with bot_process(env, tmp_path) as bot:
            assert len(fake.calls("PUT", r"/commands$")) == 1
            assert interact(bot, {"type": 1, "id": "1", "token": "t", "version": 1}) == (200, {"type": 1})
            status, answer = interact(
                bot,
                {"type": 2, "id": "2", "token": "t", "application_id": APPLICATION_ID, "version": 1,
                 "guild_id": GUILD, "member": member(), "data": {"name": "next", "type": 1}},
            )  # fmt: skip
            assert status == 200 and "Talk 12" in json.dumps(answer)
            forged = urllib.request.Request(bot.base_url + "/discord/interactions", b"{}", method="POST")
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(forged, timeout=10)
            assert refused.value.code == 401
            wait_for(lambda: len(discord_keys(fake)) >= 11)
    assert sorted(discord_keys(fake)) == [f"Talk {m:02d}" for m in range(2, 13)]


def test_two_processes_with_both_platforms_announce_each_once_on_each(tmp_path, db_url):
    migrated(db_url)
    write_schedule(tmp_path / "schedule")
    with spec_checked_slack() as slack, spec_checked_discord() as fake:
        env = discord_env(fake, db_url, tmp_path / "schedule", slack_url=slack.url)
        with ExitStack() as both:
            for _ in range(2):
                both.enter_context(bot_process(env, tmp_path))
            wait_for(lambda: len(discord_keys(fake)) >= 11 and len(_keys(slack)) >= 11)
            time.sleep(1.0)  # a second copy, if any, would arrive right behind the first
    on_discord, on_slack = discord_keys(fake), _keys(slack)
    assert sorted(on_discord) == [f"Talk {m:02d}" for m in range(2, 13)], "Discord: each once"
    assert sorted(on_slack) == sorted(set(on_slack)) and len(on_slack) == 11, "Slack: each once"


def test_sigkill_while_announcements_fall_due_posts_none_twice(tmp_path):
    rng = random.Random(20261202)
    write_schedule(tmp_path / "schedule")
    db_url = f"sqlite:///{tmp_path}/kill.sqlite3"
    port = free_port()
    with spec_checked_discord() as fake:
        env = discord_env(fake, db_url, tmp_path / "schedule")
        for _ in range(4):
            with bot_process(env, tmp_path, port=port) as bot:
                time.sleep(rng.uniform(0.0, 1.5))
                bot.kill()
        with bot_process(env, tmp_path, port=port):
            wait_for(lambda: len(set(discord_keys(fake))) >= 11)
    posts = Counter(
        json.dumps(r.body.get("nonce")) for r in fake.calls("POST", rf"/channels/{ANNOUNCE}/messages$")
    )
    assert all(n == 1 for n in posts.values()), "a post was sent twice"
    shown = Counter(discord_keys(fake))
    assert all(n == 1 for n in shown.values())
    # A claim cut off by a kill is never reposted blind (Discord offers no search by key):
    # at most the kills' worth of sessions are missing, marked unknown in the ledger.
    assert len(shown) >= 11 - 4


def test_a_token_discord_refuses_stops_the_start_saying_what_to_do(tmp_path):
    import subprocess
    import sys

    write_schedule(tmp_path / "schedule")
    with spec_checked_discord() as fake:
        env = discord_env(fake, f"sqlite:///{tmp_path}/bot.sqlite3", tmp_path / "schedule")
        fake.fail_next("PUT /applications", 401, {"message": "401: Unauthorized", "code": 0})
        done = subprocess.run(
            [sys.executable, "-m", "awair_bot", "run", "--http", "--host", "127.0.0.1", "--port", str(free_port())],
            env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    assert done.returncode == 1
    assert "DISCORD_BOT_TOKEN is wrong" in done.stderr and "Traceback" not in done.stderr
    assert env["DISCORD_BOT_TOKEN"] not in done.stderr
