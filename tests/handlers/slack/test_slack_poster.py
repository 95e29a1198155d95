"""SlackPoster and deliver against the fake Slack: Block Kit out, and every way Slack fails
(429 with Retry-After, 5xx, time-outs, not_in_channel, hard errors) handled without waiting."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.announcements import ledger
from bot.announcements.messages import OrganizerPost, SessionStart
from bot.announcements.plan import AnnouncementPolicy, due_announcements
from bot.announcements.poster import Delivery, RetryPolicy, deliver
from bot.announcements.send import Outbox, Outcome, send_session_start
from bot.db.engine import make_engine, make_sessionmaker
from bot.schedule.model import Kind
from handlers.slack.pacing import unpaced
from handlers.slack.poster import METADATA_EVENT, SlackPoster, posting_client
from tests.bot.announcements.fakes import PT, READING, SPEAKER, Sleeps, session, workshop
from tests.support.databases import migrated
from tests.support.fake_slack import FakeSlack
from tests.support.harness import BOT_TOKEN

CHANNEL = "C0ANNOUNCE"
START = datetime(2023, 8, 5, 11, 0, tzinfo=PT)
NOW = START - timedelta(minutes=5)
TALK = session("talk", START, title="Red teaming <!channel> & friends", speakers=(SPEAKER,), room="Library")


def start_message(*sessions) -> SessionStart:
    return SessionStart(START, PT, sessions or (TALK,), NOW)


@pytest.fixture
def poster(fake_slack) -> SlackPoster:
    """A poster on a client with no retries of its own, as the bot builds it."""
    return SlackPoster(posting_client(BOT_TOKEN, fake_slack.url), unpaced())


def post(poster: SlackPoster, message=None, sleeps: Sleeps | None = None, **retry) -> Delivery:
    return deliver(
        poster,
        CHANNEL,
        message or start_message(),
        RetryPolicy(**retry),
        Sleeps() if sleeps is None else sleeps,
        NOW,
    )


def test_a_session_start_goes_out_as_block_kit_with_escaped_text_and_its_keys(poster, fake_slack):
    delivery = post(poster)
    assert delivery.ok and delivery.attempts == 1
    [call] = fake_slack.calls_to("chat.postMessage")
    assert delivery.ts == call.response["ts"]
    args = call.args
    assert args["channel"] == CHANNEL and args["unfurl_links"] is False
    assert args["text"].startswith(
        "⏰ Starting at 11:00 PT (in 5 min):\n🗣️ Red teaming &lt;!channel&gt; &amp; friends"
    )
    assert args["blocks"][0]["text"]["text"] == "⏰ Starting at 11:00 PT (in 5 min)"
    assert args["blocks"][1]["text"]["text"] == (
        "🗣️ *Red teaming &lt;!channel&gt; &amp; friends*\n"
        "11:00-11:30 PT · talk + Q&amp;A · Evan Hubinger (Anthropic) · Library"
    )
    assert args["metadata"] == {
        "event_type": METADATA_EVENT,
        "event_payload": {"keys": ["start:talk@2023-08-05T18:00:00Z"]},
    }


def test_a_reading_session_links_its_readings(poster, fake_slack):
    reading = session("reading", START, kind=Kind.READING, readings=(READING,))
    post(poster, start_message(reading))
    [call] = fake_slack.calls_to("chat.postMessage")
    assert "<https://arxiv.org/abs/1606.06565|Concrete Problems>" in call.args["blocks"][2]["text"]["text"]


def test_an_organizer_post_keeps_its_mentions(poster, fake_slack):
    message = OrganizerPost(7, "@here Lunch & walk <@U0BOB>", "slack:U1", "Ada <3", NOW, PT)  # as typed
    post(poster, message)
    [call] = fake_slack.calls_to("chat.postMessage")
    assert call.args["text"] == "📢 <!here> Lunch &amp; walk <@U0BOB>\n— Ada &lt;3"
    assert call.args["blocks"][0]["text"]["text"] == "📢 <!here> Lunch &amp; walk <@U0BOB>"
    assert call.args["blocks"][1]["elements"][0]["text"] == "— Ada &lt;3"


def test_a_rate_limit_waits_for_retry_after(poster, fake_slack):
    fake_slack.fail_next("chat.postMessage", status=429, headers={"Retry-After": "7"})
    sleeps = Sleeps()
    delivery = post(poster, sleeps=sleeps)
    assert delivery.ok and delivery.attempts == 2 and sleeps == [7.0]
    assert [c.status for c in fake_slack.calls_to("chat.postMessage")] == [429, 200]


def test_a_rate_limit_that_never_lifts_gives_up_within_bounds(poster, fake_slack):
    fake_slack.fail_next("chat.postMessage", status=429, headers={"Retry-After": "90"}, times=10)
    sleeps = Sleeps()
    delivery = post(poster, sleeps=sleeps)
    assert not delivery.ok and delivery.error == "ratelimited"
    assert sleeps == [60.0, 60.0]  # capped per wait, and all waits within the budget
    assert "gave up after waiting 120 s" in delivery.description


def test_server_errors_back_off_and_retry(poster, fake_slack):
    fake_slack.fail_next("chat.postMessage", status=500, times=2)
    sleeps = Sleeps()
    delivery = post(poster, sleeps=sleeps)
    assert delivery.ok and delivery.attempts == 3 and sleeps == [1.0, 2.0]


def test_server_errors_give_up_after_a_bounded_number_of_tries(poster, fake_slack):
    fake_slack.fail_next("chat.postMessage", status=503, times=10)
    sleeps = Sleeps()
    delivery = post(poster, sleeps=sleeps)
    assert not delivery.ok and delivery.error == "server_error" and delivery.attempts == 4
    assert sleeps == [1.0, 2.0, 4.0] and "still failing after 4 tries" in delivery.description


def quick_poster(fake: FakeSlack) -> SlackPoster:
    """A client that gives up after 0.2 s, so the fake's delayed answer is a time-out."""
    return SlackPoster(posting_client(BOT_TOKEN, fake.url, timeout=0.2), unpaced())  # type: ignore[arg-type]


def test_a_time_out_looks_for_the_post_and_retries_when_it_is_not_there(fake_slack):
    # The request died on its way: Slack's history does not have the post.
    fake_slack.set_response("conversations.history", {"ok": True, "messages": [], "has_more": False})
    fake_slack.delay_next("chat.postMessage", 2.0)
    sleeps = Sleeps()
    delivery = post(quick_poster(fake_slack), sleeps=sleeps)
    assert delivery.ok and delivery.attempts == 2 and sleeps == [1.0]
    assert fake_slack.methods == ["chat.postMessage", "conversations.history", "chat.postMessage"]
    [history] = fake_slack.calls_to("conversations.history")
    assert history.args["channel"] == CHANNEL


def test_a_time_out_after_slack_posted_is_found_and_not_posted_again(fake_slack):
    fake_slack.delay_next("chat.postMessage", 2.0)  # posted, but the answer comes too late
    delivery = post(quick_poster(fake_slack))
    [only] = fake_slack.calls_to("chat.postMessage")
    assert delivery.ok and delivery.ts == only.response["ts"] and delivery.attempts == 1
    assert fake_slack.methods == ["chat.postMessage", "conversations.history"]


def test_not_in_channel_joins_and_retries(poster, fake_slack):
    fake_slack.fail_next("chat.postMessage", body={"ok": False, "error": "not_in_channel"})
    delivery = post(poster)
    assert delivery.ok and delivery.attempts == 2
    assert fake_slack.methods == ["chat.postMessage", "conversations.join", "chat.postMessage"]
    assert fake_slack.calls_to("conversations.join")[0].args["channel"] == CHANNEL


def test_not_in_a_private_channel_says_to_invite_the_bot(poster, fake_slack):
    fake_slack.fail_next("chat.postMessage", body={"ok": False, "error": "not_in_channel"})
    fake_slack.fail_next(
        "conversations.join", body={"ok": False, "error": "method_not_supported_for_channel_type"}
    )
    delivery = post(poster)
    assert not delivery.ok and "/invite" in delivery.description
    assert fake_slack.methods == ["chat.postMessage", "conversations.join"]


@pytest.mark.parametrize(
    ("error", "hint"),
    [
        ("channel_not_found", "ANNOUNCE_CHANNEL"),
        ("invalid_auth", "SLACK_BOT_TOKEN"),
        ("is_archived", "archived"),
    ],
)
def test_a_hard_error_is_not_retried_and_says_what_to_fix(poster, fake_slack, error, hint):
    fake_slack.fail_next("chat.postMessage", body={"ok": False, "error": error})
    sleeps = Sleeps()
    delivery = post(poster, sleeps=sleeps)
    assert not delivery.ok and delivery.error == error and hint in delivery.description
    assert sleeps == [] and len(fake_slack.calls_to("chat.postMessage")) == 1


@pytest.fixture
def sessions(db_url) -> Iterator[sessionmaker[Session]]:
    migrated(db_url)
    engine = make_engine(db_url)
    yield make_sessionmaker(engine)
    engine.dispose()


def test_channel_not_found_is_recorded_in_the_ledger_and_never_reposted(poster, fake_slack, sessions):
    fake_slack.fail_next("chat.postMessage", body={"ok": False, "error": "channel_not_found"})
    [due] = due_announcements(workshop(TALK), AnnouncementPolicy())
    box = Outbox(sessions, poster, CHANNEL, PT, sleep=Sleeps())
    outcome, delivery = send_session_start(box, due, NOW)
    assert outcome is Outcome.FAILED and delivery is not None
    with sessions() as db:
        [entry] = ledger.entries(db)
    assert (entry.status, entry.key, entry.attempts) == ("failed", "start:talk@2023-08-05T18:00:00Z", 1)
    assert entry.error.startswith("channel_not_found: no such channel") and "ANNOUNCE_CHANNEL" in entry.error
    assert send_session_start(box, due, NOW) == (Outcome.ALREADY, None)  # a retry or restart
    assert len(fake_slack.calls_to("chat.postMessage")) == 1
