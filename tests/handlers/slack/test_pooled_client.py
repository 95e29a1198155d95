"""Web API calls over pooled keep-alive connections, with slack_sdk's errors unchanged."""

from __future__ import annotations

import pytest
from slack_sdk.errors import SlackApiError

from handlers.slack.client import PooledWebClient
from tests.support.fake_slack import FakeSlack
from tests.support.harness import BOT_TOKEN


def test_calls_reuse_one_connection_and_answer_as_webclient_does():
    with FakeSlack(rate_limits=False) as fake:
        client = PooledWebClient(token=BOT_TOKEN, base_url=fake.url, retry_handlers=[])
        answers = [client.chat_postMessage(channel="C1", text=f"hi {i}") for i in range(5)]
        assert [a["message"]["text"] for a in answers] == [f"hi {i}" for i in range(5)]
        assert [c.token for c in fake.calls] == [BOT_TOKEN] * 5
        pool = client._pool.connection_from_url(fake.url)
        assert pool.num_connections == 1 and pool.num_requests == 5


def test_a_slack_error_and_a_429_are_slack_api_errors_with_their_headers():
    with FakeSlack(rate_limits=False) as fake:
        client = PooledWebClient(token=BOT_TOKEN, base_url=fake.url, retry_handlers=[])
        fake.fail_next("chat.update", body={"ok": False, "error": "message_not_found"})
        with pytest.raises(SlackApiError) as failed:
            client.chat_update(channel="C1", ts="1.2", text="x")
        assert failed.value.response["error"] == "message_not_found"
        fake.fail_next("chat.update")
        with pytest.raises(SlackApiError) as limited:
            client.chat_update(channel="C1", ts="1.2", text="x")
        assert limited.value.response.status_code == 429
        assert limited.value.response.headers["Retry-After"] == "1"


def test_a_read_time_out_is_a_timeout_error_as_with_urllib():
    with FakeSlack(rate_limits=False) as fake:
        client = PooledWebClient(token=BOT_TOKEN, base_url=fake.url, retry_handlers=[], timeout=0.2)
        fake.delay_next("chat.postMessage", 2)
        with pytest.raises(TimeoutError):
            client.chat_postMessage(channel="C1", text="slow")
