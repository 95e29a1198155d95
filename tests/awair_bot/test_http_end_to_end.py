"""``awair-bot run --http`` as a real process: a signed /next answers, a forged one gets 401."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tests.support.fake_slack import FakeSlack
from tests.support.harness import BOT_TOKEN, REPO, SIGNING_SECRET
from tests.support.signing import signed_headers, slash_command_body


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_healthy(url: str, process: subprocess.Popen, within: float = 30.0) -> dict:
    """Poll /healthz until the server answers (a readiness wait, not a timed assertion)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the bot exited early: {process.stderr.read()}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                return json.loads(response.read())
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.05)
    raise AssertionError("the bot did not become healthy")


def post(url: str, body: str, headers: dict[str, str]) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body.encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture
def http_bot(tmp_path):
    """The bot in HTTP mode on a free loopback port, talking to a fake Slack."""
    with FakeSlack() as fake:
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "AWAIR_"))}
        env.update(
            SLACK_BOT_TOKEN=BOT_TOKEN,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_API_URL=fake.url,
            AWAIR_NOW="2023-08-05T10:45:00-07:00",
            SCHEDULE_PATH=str(REPO / "schedule_data"),
            DATABASE_URL=f"sqlite:///{tmp_path}/bot.sqlite3",
        )
        process = subprocess.Popen(
            [sys.executable, "-m", "awair_bot", "run", "--http", "--host", "127.0.0.1", "--port", str(port)],
            env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            health = wait_until_healthy(f"http://127.0.0.1:{port}/healthz", process)
            yield f"http://127.0.0.1:{port}", health, fake
        finally:
            process.terminate()
            _, stderr = process.communicate(timeout=10)
            assert SIGNING_SECRET not in stderr and BOT_TOKEN not in stderr


@pytest.mark.slow
def test_signed_next_answers_and_forged_gets_401(http_bot):
    base, health, fake = http_bot
    assert health == {
        "ok": True,
        "schedule": "Alignment Workshop for AI Researchers (AWAIR), August 2023",
        "sessions": 26,
    }
    body = slash_command_body("/next", "", response_url=fake.response_url("cmd"))

    status, answer = post(f"{base}/slack/events", body, signed_headers(body, SIGNING_SECRET))
    assert status == 200
    reply = json.loads(answer)
    assert reply["response_type"] == "ephemeral"
    assert reply["text"].startswith("Break: nothing on until 11:00 PT")

    status, _ = post(f"{base}/slack/events", body, signed_headers(body, "0" * 32))
    assert status == 401
    assert fake.methods == ["auth.test"]


@pytest.mark.slow
def test_unknown_paths_are_404(http_bot):
    base, _, _ = http_bot
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(f"{base}/admin", timeout=5)
    assert caught.value.code == 404
