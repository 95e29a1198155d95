"""``awair-bot run --http`` as a real process: a signed /next answers, a forged one gets 401."""

from __future__ import annotations

import contextlib
import json
import re
import socket
import urllib.error
import urllib.request

import pytest

from tests.support.harness import BOT_TOKEN, SIGNING_SECRET
from tests.support.process import bot_env, bot_process
from tests.support.signing import signed_headers, slash_command_body
from tests.support.slack_spec import spec_checked_slack


@pytest.fixture
def http_bot(tmp_path):
    """The bot in HTTP mode on a free loopback port, talking to a fake Slack."""
    with spec_checked_slack() as fake:
        env = bot_env(
            fake.url,
            f"sqlite:///{tmp_path}/bot.sqlite3",
            AWAIR_NOW="2023-08-05T10:45:00-07:00",
            LOG_LEVEL="DEBUG",
        )
        with bot_process(env, tmp_path) as bot:
            yield bot, fake
        log = bot.log()
        assert SIGNING_SECRET not in log and BOT_TOKEN not in log


@pytest.mark.slow
def test_signed_next_answers_and_forged_gets_401(http_bot):
    bot, fake = http_bot
    with urllib.request.urlopen(bot.base_url + "/healthz") as response:
        assert json.loads(response.read()) == {
            "ok": True,
            "schedule": "Alignment Workshop for AI Researchers (AWAIR), August 2023",
            "sessions": 26,
            "database": "up",
            "scheduler": "none",  # no ANNOUNCE_CHANNEL: no announcements to schedule
        }
    body = slash_command_body("/next", "", response_url=fake.response_url("cmd"))

    status, answer = bot.post(body)
    assert status == 200
    reply = json.loads(answer)
    assert reply["response_type"] == "ephemeral"
    assert reply["text"].startswith("Break: nothing on until 11:00 PT")

    status, _ = bot.post(body, signed_headers(body, "0" * 32))
    assert status == 401
    assert fake.methods == ["auth.test"]


@pytest.mark.slow
def test_unknown_paths_are_404(http_bot):
    bot, _ = http_bot
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(f"{bot.base_url}/admin", timeout=5)
    assert caught.value.code == 404


def raw_exchange(base_url: str, request: bytes, then: bytes = b"", timeout: float = 20) -> bytes:
    """Send raw bytes, then more, and read the answer's first bytes."""
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as sock:
        sock.sendall(request)
        with contextlib.suppress(OSError):  # the server may close as soon as it has answered
            sock.sendall(then)
        return sock.recv(200)


@pytest.mark.slow
def test_an_unsigned_100_mb_post_gets_413_and_the_log_stays_small(http_bot):
    bot, _ = http_bot
    before = len(bot.log())
    head = (
        b"POST /slack/events HTTP/1.1\r\nHost: bot\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: 104857600\r\n\r\n"
    )
    answer = raw_exchange(bot.base_url, head, b"payload=" + b"A" * 1_000_000)
    assert answer.startswith(b"HTTP/1.1 413")
    assert len(bot.log()) - before < 2_000
    assert (
        "rejected POST /slack/events: 413 body over 65536 bytes (Content-Length 104857600, from 127.0.0.1)"
        in (bot.log())
    )
    with urllib.request.urlopen(bot.base_url + "/metrics", timeout=5) as response:
        assert (
            'awair_rejected_requests_total{route="/slack/events",status="413"} 1.0'
            in response.read().decode()
        )


@pytest.mark.slow
def test_the_start_up_line_names_the_routes_served(http_bot):
    bot, _ = http_bot
    assert (
        f"HTTP mode: listening on {bot.base_url}: POST /slack/events; GET /healthz, /metrics, /schedule.ics, "
        "/board, /board/live, /day, /day/*, /board/static/*, /cal/*"
    ) in bot.log()


@pytest.mark.slow
def test_a_newline_in_a_rejected_request_forges_no_log_line(http_bot):
    bot, _ = http_bot
    status, _ = bot.post("x\nCRITICAL root: forged", {"X-Slack-Request-Timestamp": "1"})
    assert status == 401
    path = b"/slack%0ACRITICAL%20root:%20forged"
    answer = raw_exchange(
        bot.base_url, b"POST " + path + b" HTTP/1.1\r\nHost: bot\r\nContent-Length: 1\r\n\r\nx"
    )
    assert answer.startswith(b"HTTP/1.1 404")
    assert not re.search(r"^(\S+ \S+ )?CRITICAL", bot.log(), re.M)
    assert "rejected POST /slack/events: 401" in bot.log()


@pytest.mark.slow
def test_idle_connections_do_not_starve_a_signed_next(http_bot):
    bot, fake = http_bot
    host, port = bot.base_url.removeprefix("http://").split(":")
    idle = [socket.create_connection((host, int(port)), timeout=5) for _ in range(150)]
    slow = [socket.create_connection((host, int(port)), timeout=5) for _ in range(20)]
    try:
        for sock in slow:  # a slow client: half a request's headers, then nothing
            sock.sendall(b"POST /slack/events HTTP/1.1\r\nHost: bot\r\nContent-Le")
        body = slash_command_body("/next", "", response_url=fake.response_url("cmd"))
        status, answer = bot.post(body, timeout=10)
        assert status == 200 and json.loads(answer)["response_type"] == "ephemeral"
    finally:
        for sock in idle + slow:
            sock.close()
