"""Only requests signed by Slack, recently, run anything: the rest get 401."""

from __future__ import annotations

import time

import pytest

from tests.support.signing import slash_command_body


@pytest.fixture
def body(slack) -> str:
    return slash_command_body("/next", "", response_url=slack.fake.response_url("cmd"))


def test_a_good_signature_answers(slack, body):
    assert slack.raw(body, slack.signed_headers(body)).status == 200


def test_forged_signature_gets_401(slack, body):
    reply = slack.raw(body, slack.signed_headers(body, secret="f" * 32))
    assert reply.status == 401
    assert "blocks" not in reply.body


def test_tampered_body_gets_401(slack, body):
    headers = slack.signed_headers(body)
    reply = slack.raw(body.replace("%2Fnext", "%2Freadings"), headers)
    assert reply.status == 401


def test_stale_timestamp_gets_401(slack, body):
    six_minutes_ago = int(time.time()) - 6 * 60
    assert slack.raw(body, slack.signed_headers(body, timestamp=six_minutes_ago)).status == 401


def test_unsigned_gets_401(slack, body):
    assert slack.raw(body, {"content-type": "application/x-www-form-urlencoded"}).status == 401


def test_signature_uses_real_time_even_when_the_bot_clock_is_in_2023(slack, body):
    # The bot's clock says August 2023; the signature check must still use real time.
    assert slack.clock.now().year == 2023
    assert slack.raw(body, slack.signed_headers(body)).status == 200
    reply = slack.raw(body, slack.signed_headers(body, timestamp=int(slack.clock.now().timestamp())))
    assert reply.status == 401


def test_nothing_reaches_slack_on_a_forged_click(slack):
    from tests.support.signing import block_action_body

    body = block_action_body(
        "share_answer", '{"c": "next", "a": ""}', response_url=slack.fake.response_url("action")
    )
    assert slack.raw(body, slack.signed_headers(body, secret="0" * 32)).status == 401
    assert slack.fake.responses == []
