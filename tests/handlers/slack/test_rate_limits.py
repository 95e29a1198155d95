"""Slack's rate limits (issue 13): the fake enforces them as Slack does, and the bot stays
within them: a hot proposal's updates spaced within Tier 3 and ending on the final count,
posts queued per channel, names looked up off the request."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from handlers.slack.pacing import Pacer, SlackLimits
from tests.handlers.slack.unconf_helpers import (
    CHANNEL,
    SATURDAY,
    context_text,
    counts,
    last_update,
    message_ts,
    posted,
)
from tests.support.fake_slack import FakeSlack
from tests.support.harness import BOT_TOKEN, SIGNING_SECRET, SlackHarness
from tests.support.signing import block_action_body, bolt_request
from tests.support.slack_limits import POST_BURST, TIER_3, SlackRateLimits
from tests.support.slack_spec import spec_checked_slack


class Ticks:
    """A clock a test moves by hand; sleeping moves it too."""

    def __init__(self):
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_the_fake_answers_429_with_retry_after_past_a_methods_tier():
    ticks = Ticks()
    limits = SlackRateLimits(ticks)
    assert [limits.check("chat.update", "C1") for _ in range(TIER_3)] == [None] * TIER_3
    assert limits.check("chat.update", "C1") == 2  # 1.2 s until a slot: Retry-After is whole seconds
    ticks.now += 1.2
    assert limits.check("chat.update", "C1") is None
    assert limits.check("users.info", None) is None  # another method, another bucket


def test_the_fake_limits_chat_post_message_per_channel():
    ticks = Ticks()
    limits = SlackRateLimits(ticks)
    assert [limits.check("chat.postMessage", "C1") for _ in range(POST_BURST)] == [None] * POST_BURST
    assert limits.check("chat.postMessage", "C1") == 1
    assert limits.check("chat.postMessage", "C2") is None
    ticks.now += 1
    assert limits.check("chat.postMessage", "C1") is None


def test_the_fake_server_says_ratelimited_as_slack_does_and_can_be_switched_off():
    with FakeSlack() as fake:
        client = WebClient(token=BOT_TOKEN, base_url=fake.url, retry_handlers=[])
        for _ in range(POST_BURST):
            client.chat_postMessage(channel="C1", text="hi")
        with pytest.raises(SlackApiError) as refused:
            client.chat_postMessage(channel="C1", text="one too many")
        assert refused.value.response.status_code == 429
        assert refused.value.response["error"] == "ratelimited"
        assert int(refused.value.response.headers["Retry-After"]) >= 1
    with FakeSlack(rate_limits=False) as fake:
        client = WebClient(token=BOT_TOKEN, base_url=fake.url, retry_handlers=[])
        for _ in range(POST_BURST * 3):
            client.chat_postMessage(channel="C1", text="hi")


def test_a_pacer_lets_a_burst_through_then_spaces_calls_under_the_limit():
    ticks = Ticks()
    pacer = Pacer(per_minute=45, burst=5, monotonic=ticks, sleep=ticks.sleep)
    for _ in range(5 + 45):
        pacer.wait()
    # 50 calls (Tier 3's minute) took the burst plus 45 spaced 60/45 s apart: a minute.
    assert ticks.now == pytest.approx(60.0)
    assert ticks.slept[0] == pytest.approx(60 / 45)


@pytest.fixture
def hot(db_url):
    """The bot paced as in production against a fake Slack that limits as Slack does, with
    its follow-up work on real background threads."""
    with spec_checked_slack(rate_limits=True) as fake:
        slack = SlackHarness(
            fake, SATURDAY, db_url=db_url, limits=SlackLimits(), unconference_channel=CHANNEL
        )
        slack.services.background = ThreadPoolExecutor(max_workers=4)
        slack.command("/propose", "Debate hands-on", user="UAUTHOR")
        yield slack
        slack.services.background.shutdown(wait=True)


def _settled(slack, votes: int, within: float = 30.0) -> str:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        ts = message_ts(slack, 1)
        update = last_update(slack.fake, ts) if ts and slack.fake.calls_to("chat.update") else None
        if update is not None and f"*{votes} votes*" in context_text(update.args["blocks"]):
            return context_text(update.args["blocks"])
        time.sleep(0.05)  # a readiness wait: the background workers finish on their own
    raise AssertionError("the proposal's message never showed the final count")


def test_a_hot_proposal_ends_on_the_exact_count_with_no_429(hot):
    requests = [
        bolt_request(block_action_body("unconf_vote", "1", user_id=f"UV{i:03d}", response_url=hot.fake.response_url("a")), SIGNING_SECRET)
        for i in range(120)
    ]  # fmt: skip
    barrier = threading.Barrier(12)

    def go(chunk):
        barrier.wait()
        return [hot.app.dispatch(r).status for r in chunk]

    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = [s for part in pool.map(go, [requests[i::12] for i in range(12)]) for s in part]
    assert statuses == [200] * 120 and counts(hot) == (1, 120)
    assert "🗳 *120 votes*" in _settled(hot, 120)
    updates = hot.fake.calls_to("chat.update")
    assert [c.status for c in hot.fake.calls if c.status == 429] == []
    # 120 clicks, a handful of updates: the burst, then one a 60/45 s.
    assert len(updates) <= 5 + 1 + int((updates[-1].timestamp - updates[0].timestamp) * 45 / 60)


def test_a_burst_of_proposals_is_posted_one_by_one_without_a_429(hot):
    for i in range(8):
        hot.command("/propose", f"Topic number {i} hands-on", user=f"UAUTHOR{i}")
    deadline = time.monotonic() + 30
    while len(posted(hot.fake)) < 9 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(posted(hot.fake)) == 9
    assert [c for c in hot.fake.calls if c.status == 429] == []


def test_the_name_is_looked_up_off_the_request_and_signs_the_post(fake_slack, db_url):
    from tests.handlers.slack.unconf_helpers import make_slack

    slack = make_slack(fake_slack, db_url)
    reply = slack.command("/propose", "Debate hands-on", user="UNEW", user_name="newcomer")
    assert reply.status == 200
    (post,) = posted(fake_slack)
    assert "User UNEW" in str(post.args["blocks"])  # the fake's display name, looked up after
    (lookup,) = fake_slack.calls_to("users.info")
    assert lookup.timestamp <= post.timestamp
