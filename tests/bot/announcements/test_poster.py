"""Delivery against Slack's failure modes: 429, 5xx, time-outs, not_in_channel, hard errors."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.announcements.messages import OrganizerPost
from bot.announcements.poster import PostError, RetryPolicy, deliver
from tests.bot.announcements.fakes import CANNOT_JOIN, PT, FakePoster, FindingFakePoster, Sleeps

NOW = datetime(2023, 8, 5, 11, 0, tzinfo=PT)
MESSAGE = OrganizerPost(1, "Lunch is on the roof", "U1", "Ada", NOW, PT)


@pytest.fixture
def sleeps() -> Sleeps:
    """An injected sleep that records its waits."""
    return Sleeps()


def test_posts_first_time(sleeps):
    poster = FakePoster()
    delivery = deliver(poster, "C1", MESSAGE, sleep=sleeps)
    assert (delivery.ok, delivery.ts, delivery.attempts, sleeps) == (True, poster.posts[0].ts, 1, [])


def test_rate_limit_waits_for_retry_after(sleeps):
    poster = FakePoster()
    poster.fail_next(
        PostError("ratelimited", retryable=True, retry_after=3),
        PostError("ratelimited", retryable=True, retry_after=1),
    )
    delivery = deliver(poster, "C1", MESSAGE, sleep=sleeps)
    assert delivery.ok and delivery.attempts == 3
    assert sleeps == [3, 1]
    assert len(poster.posts) == 1


def test_server_errors_back_off_then_give_up(sleeps):
    poster = FakePoster()
    poster.fail_next(*[PostError("internal_error", retryable=True)] * 10)
    delivery = deliver(poster, "C1", MESSAGE, sleep=sleeps)
    assert not delivery.ok and delivery.attempts == 4
    assert sleeps == [1, 2, 4]
    assert delivery.error == "internal_error" and "still failing after 4 tries" in delivery.hint
    assert poster.posts == []


def test_a_500_then_success(sleeps):
    poster = FakePoster()
    poster.fail_next(PostError("server_error", retryable=True))
    assert deliver(poster, "C1", MESSAGE, sleep=sleeps).ok
    assert sleeps == [1]


def test_time_out_retries(sleeps):
    poster = FakePoster()
    poster.fail_next(PostError("timeout", retryable=True, maybe_posted=True))
    assert deliver(poster, "C1", MESSAGE, sleep=sleeps, since=NOW).ok
    assert len(poster.posts) == 1


def test_time_out_after_the_post_went_through_is_found_not_reposted(sleeps):
    poster = FindingFakePoster()
    poster.fail_next(PostError("timeout", retryable=True, maybe_posted=True), after_posting=True)
    delivery = deliver(poster, "C1", MESSAGE, sleep=sleeps, since=NOW)
    assert delivery.ok and delivery.ts == poster.posts[0].ts
    assert len(poster.posts) == 1 and poster.calls == 1 and sleeps == []


def test_not_in_channel_joins_and_retries_once(sleeps):
    poster = FakePoster(members=set())
    delivery = deliver(poster, "C1", MESSAGE, sleep=sleeps)
    assert delivery.ok and poster.joins == ["C1"] and delivery.attempts == 2


def test_a_channel_that_cannot_be_joined_says_what_the_platform_said(sleeps):
    poster = FakePoster(members=set(), joinable=False)
    delivery = deliver(poster, "G1", MESSAGE, sleep=sleeps)
    assert not delivery.ok and delivery.hint == CANNOT_JOIN
    assert poster.joins == ["G1"]


@pytest.mark.parametrize(
    ("error", "hint"),
    [
        (PostError("channel_not_found", hint="set the channel's id"), "set the channel's id"),
        (PostError("something_new"), "see the platform's error list; retrying won't help"),
    ],
)
def test_hard_errors_fail_at_once_saying_what_to_fix(sleeps, error, hint):
    poster = FakePoster()
    poster.fail_next(error)
    delivery = deliver(poster, "C1", MESSAGE, sleep=sleeps)
    assert not delivery.ok and delivery.error == error.reason and delivery.hint == hint
    assert delivery.attempts == 1 and sleeps == []
    assert delivery.description == f"{error.reason}: {hint}"


def test_waits_stay_within_the_budget(sleeps):
    poster = FakePoster()
    poster.fail_next(*[PostError("ratelimited", retryable=True, retry_after=50)] * 5)
    delivery = deliver(poster, "C1", MESSAGE, RetryPolicy(budget=120), sleep=sleeps)
    assert not delivery.ok and sum(sleeps) <= 120 and "gave up" in delivery.hint


def test_a_broken_adapter_does_not_raise(sleeps):
    class Broken(FakePoster):
        def post(self, channel, message):
            raise KeyError("blocks")

    delivery = deliver(Broken(), "C1", MESSAGE, sleep=sleeps)
    assert not delivery.ok and delivery.error == "unexpected KeyError"
