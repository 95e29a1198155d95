"""/propose through Bolt with signed requests, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from bot.db.engine import make_engine, make_sessionmaker
from tests.bot.conftest import pt
from tests.handlers.slack.unconf_helpers import (
    ADVERSARIAL_TITLES,
    CHANNEL,
    SATURDAY,
    assert_all_safe,
    buttons,
    context_text,
    counts,
    last_update,
    make_slack,
    message_ts,
    posted,
    proposal_row,
)
from tests.support.harness import ORGANIZER, SlackHarness, as_slack_sends


@pytest.fixture
def slack(fake_slack, db_url):
    return make_slack(fake_slack, db_url)


def test_propose_stores_answers_privately_and_posts_with_a_vote_button(slack):
    reply = slack.command("/propose", "Debate on a toy task -- Let's try it in pairs.", user="UALICE")

    assert reply.status == 200 and reply.body["response_type"] == "ephemeral"
    assert reply.body["blocks"][0]["text"]["text"].startswith("✅ Your proposal is in as #1.")
    assert f"<#{CHANNEL}>" in reply.body["blocks"][0]["text"]["text"]
    row = proposal_row(slack, 1)
    assert (row.title, row.description, row.author_id) == (
        "Debate on a toy task",
        "Let's try it in pairs.",
        "slack:UALICE",
    )
    assert row.author_name == "User UALICE"  # users.info's real name, not the command's user_name
    assert row.created_at == pt("2023-08-05 10:45")

    (post,) = posted(slack.fake)
    blocks = post.args["blocks"]
    assert blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Debate on a toy task", "emoji": True},
    }
    assert blocks[1]["text"] == {"type": "plain_text", "text": "Let's try it in pairs.", "emoji": True}
    assert "*#1*" in context_text(blocks) and "🗳 *0 votes*" in context_text(blocks)
    assert [(b["action_id"], b["value"]) for b in buttons(blocks)] == [("unconf_vote", "1")]
    assert post.args["text"] == "Unconference proposal #1: Debate on a toy task (0 votes)"
    # Where it went is stored, so votes can update it in place.
    assert message_ts(slack, 1) == post.response["ts"]


def test_the_answer_is_stored_before_anything_is_posted(slack):
    slack.command("/propose", "Ordering matters")
    methods = slack.fake.methods
    assert methods.index("users.info") < methods.index("chat.postMessage")
    assert message_ts(slack, 1) is not None


def test_posts_to_the_announcement_channel_when_no_unconference_channel_is_set(fake_slack, db_url):
    slack = make_slack(fake_slack, db_url, unconference_channel=None, announce_channel="CANNOUNCE")
    slack.command("/propose", "Falls back to announcements")
    assert [c.args["channel"] for c in fake_slack.calls_to("chat.postMessage")] == ["CANNOUNCE"]


def test_without_any_channel_it_says_so_and_still_stores(fake_slack, db_url):
    slack = make_slack(fake_slack, db_url, unconference_channel=None, announce_channel=None)
    reply = slack.command("/propose", "Nowhere to post")
    assert "isn't posted anywhere" in reply.body["blocks"][0]["text"]["text"]
    assert counts(slack) == (1, 0)
    assert fake_slack.calls_to("chat.postMessage") == []


def test_a_duplicate_points_to_the_existing_proposal_with_its_vote_button(slack):
    slack.command("/propose", "Scalable oversight: what works?", user="UALICE")
    reply = slack.command("/propose", "  scalable   OVERSIGHT, what works!! -- my take", user="UBOB")

    assert "already proposed as #1" in reply.body["text"]
    assert [b["value"] for b in buttons(reply.body["blocks"])] == ["1"]
    assert counts(slack) == (1, 0)
    assert len(posted(slack.fake)) == 1


def test_proposals_close_when_the_block_starts(slack):
    slack.clock.set(pt("2023-08-06 16:00"))
    reply = slack.command("/propose", "Too late")
    assert "Proposals are closed" in reply.body["text"]
    assert counts(slack) == (0, 0) and slack.fake.calls_to("users.info") == []


def test_the_closing_time_is_settable(fake_slack, db_url):
    slack = make_slack(fake_slack, db_url, proposals_close_at=pt("2023-08-05 10:00"))
    assert "Proposals are closed" in slack.command("/propose", "Closed early").body["text"]
    assert counts(slack) == (0, 0)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", None),
        ("help", None),
        ("ab", "at least 3 characters"),
        ("x" * 151, "at most 150 characters; yours has 151"),
        ("A title -- " + "d" * 2001, "at most 2,000 characters; yours has 2,001"),
        ("-- only a description", "needs a title"),
        ("withdraw", "Which proposal?"),
    ],
)
def test_empty_or_overlong_gets_the_usage_and_stores_nothing(slack, text, problem):
    reply = slack.command("/propose", text)
    assert (
        "Usage: `/propose &lt;title&gt; [-- &lt;description&gt;]`" in reply.body["blocks"][0]["text"]["text"]
    )
    if problem:
        assert problem in reply.body["text"]
    assert counts(slack) == (0, 0)
    assert slack.fake.calls_to("chat.postMessage") == []


@pytest.mark.parametrize("title", ADVERSARIAL_TITLES, ids=range(len(ADVERSARIAL_TITLES)))
def test_adversarial_titles_are_stored_as_typed_and_never_ping_or_break(slack, title):
    description = "Ping <!everyone> <@U999> & *all* of <#C1|general>\n```unclosed"
    reply = slack.command("/propose", as_slack_sends(f"{title} -- {description}"))

    assert reply.body["text"].startswith("Your proposal is in as #1.")
    row = proposal_row(slack, 1)
    assert (row.title, row.description) == (title.strip(), description)
    (post,) = posted(slack.fake)
    header = post.args["blocks"][0]["text"]
    assert header == {"type": "plain_text", "text": title.strip(), "emoji": True}  # shown as typed
    assert post.args["blocks"][1]["text"]["type"] == "plain_text"
    assert_all_safe(slack.fake, [reply.body])


@pytest.mark.parametrize(
    "text",
    [
        "🙂" * 10_000,
        "<!channel> " * 1_000,
        "ok title -- " + "<@U123> " * 1_250,
    ],
    ids=["10k emoji title", "10k mentions title", "10k mentions description"],
)
def test_ten_thousand_characters_are_refused_without_echoing_them(slack, text):
    reply = slack.command("/propose", text)
    assert "Usage" in reply.body["text"] and len(reply.body["text"]) < 1000
    assert counts(slack) == (0, 0)
    assert_all_safe(slack.fake, [reply.body])


@pytest.mark.parametrize("text", ["Nul\x00byte", "ok title -- nul\x00inside"])
def test_nul_is_refused_with_a_reason(slack, text):
    reply = slack.command("/propose", text)
    assert "control characters such as NUL" in reply.body["text"]
    assert counts(slack) == (0, 0)
    assert_all_safe(slack.fake, [reply.body])


def test_withdraw_returns_votes_and_marks_the_post(slack):
    slack.command("/propose", "Please withdraw me", user="UALICE")
    slack.click("unconf_vote", "1", user="UBOB")
    ts = message_ts(slack, 1)

    reply = slack.command("/propose", "withdraw #1", user="UALICE")

    assert reply.body["text"] == "#1 is withdrawn; its 1 vote goes back to the voters."
    assert counts(slack) == (1, 0) and proposal_row(slack, 1).status == "withdrawn"
    update = last_update(slack.fake, ts)
    assert "🚫 *Withdrawn* by its author" in context_text(update.args["blocks"])
    assert buttons(update.args["blocks"]) == []
    assert "(withdrawn)" in update.args["text"]


def test_only_the_author_can_withdraw_and_nothing_changes_otherwise(slack):
    slack.command("/propose", "Mine, not yours", user="UALICE")
    updates = len(slack.fake.calls_to("chat.update"))

    assert slack.command("/propose", "withdraw 1", user="UBOB").body["text"] == (
        "Only the author of #1 can withdraw it."
    )
    assert slack.command("/propose", "withdraw 42", user="UALICE").body["text"] == "There is no proposal #42."
    assert proposal_row(slack, 1).status == "open"
    assert len(slack.fake.calls_to("chat.update")) == updates


def test_a_title_that_starts_with_withdraw_is_a_title(slack):
    slack.command("/propose", "withdraw from the race?")
    assert proposal_row(slack, 1).title == "withdraw from the race?"


def test_a_failed_post_keeps_the_proposal_and_tells_the_author(slack):
    slack.fake.fail_next("chat.postMessage", body={"ok": False, "error": "channel_not_found"})
    reply = slack.command("/propose", "Posted nowhere")

    assert reply.body["text"].startswith("Your proposal is in as #1.")
    assert counts(slack) == (1, 0) and message_ts(slack, 1) is None
    (note,) = slack.fake.wait_for_responses("cmd")
    assert note.body["response_type"] == "ephemeral"
    assert "couldn't post it in the channel (Slack said `channel_not_found`)" in note.body["text"]


def test_a_slow_or_failing_users_info_falls_back_to_the_user_name(slack):
    slack.fake.fail_next("users.info", body={"ok": False, "error": "user_not_found"})
    slack.command("/propose", "Who am I", user="UCAROL", user_name="carol")
    assert proposal_row(slack, 1).author_name == "carol"
    slack.command("/propose", "Who am I now", user="UCAROL", user_name="carol")
    assert proposal_row(slack, 2).author_name == "User UCAROL"  # a failure isn't remembered


def test_names_are_looked_up_once_per_person(slack):
    for i in range(3):
        slack.command("/propose", f"Topic number {i}", user="UALICE")
    assert len(slack.fake.calls_to("users.info")) == 1


def test_without_a_database_every_unconference_command_says_so(fake_slack):
    slack = SlackHarness(fake_slack, SATURDAY, unconference_channel=CHANNEL)  # no db_url
    for command, text in (("/propose", "A topic"), ("/proposals", ""), ("/unconf", "plan")):
        user = ORGANIZER if command == "/unconf" else "U123"
        assert "the bot runs without a database" in slack.command(command, text, user=user).body["text"]
    slack.click("unconf_vote", "1")
    assert "the bot runs without a database" in fake_slack.responses_to("action")[0].body["text"]
    assert fake_slack.calls_to("chat.postMessage") == []


def test_a_database_outage_asks_to_try_again_and_posts_nothing(slack, tmp_path):
    slack.services.db = make_sessionmaker(make_engine(f"sqlite:///{tmp_path}/missing/dir/bot.sqlite3"))
    assert "briefly unavailable" in slack.command("/propose", "During the outage").body["text"]
    slack.click("unconf_vote", "1")
    assert "briefly unavailable" in slack.fake.responses_to("action")[0].body["text"]
    assert slack.fake.calls_to("chat.postMessage") == []
