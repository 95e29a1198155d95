"""``awair-bot run --http`` as a real process: a signed /next answers, a forged one gets 401."""

from __future__ import annotations

import json
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
