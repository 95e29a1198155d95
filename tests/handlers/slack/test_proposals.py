"""/proposals and /proposals mine through Bolt with signed requests, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.handlers.slack.unconf_helpers import ADVERSARIAL_TITLES, assert_all_safe, buttons, make_slack


@pytest.fixture
def slack(fake_slack, db_url):
    return make_slack(fake_slack, db_url)


def propose(slack, title: str, user: str) -> None:
    slack.clock.advance(timedelta(minutes=1))  # distinct ages, so ties read by age
    slack.command("/propose", title, user=user)


def vote(slack, number: int, *users: str) -> None:
    for user in users:
        slack.click("unconf_vote", str(number), user=user)


def listed(reply) -> list[str]:
    """The plain-text proposal items of a list, in order."""
    return [
        b["text"]["text"]
        for b in reply.body["blocks"]
        if b["type"] == "section" and b["text"]["type"] == "plain_text"
    ]


def test_open_proposals_by_votes_then_age_with_number_title_author_votes(slack):
    propose(slack, "Oldest, no votes", "UANN")
    propose(slack, "Two votes, older", "UBEN")
    propose(slack, "Three votes", "UCAT")
    propose(slack, "Two votes, newer", "UDAN")
    propose(slack, "Withdrawn later", "UEVE")
    vote(slack, 2, "UV1", "UV2")
    vote(slack, 3, "UV1", "UV2", "UV3")
    vote(slack, 4, "UV3", "UV4")
    slack.command("/propose", "withdraw 5", user="UEVE")

    reply = slack.command("/proposals", user="UV1")

    assert reply.body["response_type"] == "ephemeral"
    assert reply.body["blocks"][0]["text"]["text"] == "🗳 Unconference proposals: 4 open"
    assert listed(reply) == [
        "#3  \u2068Three votes\u2069\nby \u2068User UCAT\u2069 · 3 votes · ✓ your vote",
        "#2  \u2068Two votes, older\u2069\nby \u2068User UBEN\u2069 · 2 votes · ✓ your vote",
        "#4  \u2068Two votes, newer\u2069\nby \u2068User UDAN\u2069 · 2 votes",
        "#1  \u2068Oldest, no votes\u2069\nby \u2068User UANN\u2069 · 0 votes",
    ]
    assert [(b["value"], b["text"]["text"]) for b in buttons(reply.body["blocks"])] == [
        ("3", "✓ Voted"),
        ("2", "✓ Voted"),
        ("4", "👍 Vote"),
        ("1", "👍 Vote"),
    ]
    assert "You have 1 of 3 votes left." in reply.text
    assert reply.body["text"].startswith("Open proposals: 4. You have 1 of 3 votes left.")


def test_voting_from_the_list_works_like_the_post(slack):
    propose(slack, "From the list", "UANN")
    (button,) = buttons(slack.command("/proposals", user="UV1").body["blocks"])
    slack.click(button["action_id"], button["value"], user="UV1")
    assert slack.fake.responses_to("action")[-1].body["text"].startswith("Your vote for #1 is in.")


def test_no_proposals_yet(slack):
    reply = slack.command("/proposals")
    assert reply.body["blocks"][0]["text"]["text"] == "No proposals yet."
    assert "/propose &lt;title&gt;" in reply.text


def test_mine_shows_my_proposals_in_any_status_and_my_votes(slack):
    propose(slack, "My open one", "UME")
    propose(slack, "My withdrawn one", "UME")
    propose(slack, "Someone else's", "UOTHER")
    vote(slack, 1, "UOTHER")
    vote(slack, 3, "UME")
    slack.command("/propose", "withdraw 2", user="UME")

    reply = slack.command("/proposals", "mine", user="UME")

    assert listed(reply) == [
        "#1  \u2068My open one\u2069\n1 vote",
        "#2  \u2068My withdrawn one\u2069\nwithdrawn",
        "#3  \u2068Someone else's\u2069\nby \u2068User UOTHER\u2069 · 1 vote · ✓ your vote",
    ]
    assert "*Your votes* · You have 2 of 3 votes left." in reply.text
    # A withdrawn proposal has no button; a vote can be taken back from here.
    assert [(b["value"], b["text"]["text"]) for b in buttons(reply.body["blocks"])] == [
        ("1", "👍 Vote"),
        ("3", "✓ Voted"),
    ]


def test_mine_when_there_is_nothing_yet(slack):
    reply = slack.command("/proposals", "mine", user="UNEW")
    assert "None yet" in reply.text and "You haven't voted yet" in reply.text


def test_an_unknown_argument_gets_the_usage(slack):
    reply = slack.command("/proposals", "everything please")
    assert "I only know `/proposals [mine]`." in reply.body["text"]
    assert "Usage: `/proposals`" in reply.body["blocks"][0]["text"]["text"]


def test_adversarial_titles_stay_inert_in_the_lists(slack):
    for i, title in enumerate(ADVERSARIAL_TITLES):
        propose(slack, title, f"UAUTHOR{i}")
        vote(slack, i + 1, "UFAN")
    replies = [
        slack.command("/proposals", user="UFAN").body,
        slack.command("/proposals", "mine", user="UFAN").body,
    ]
    assert_all_safe(slack.fake, replies)
    assert "Hey <!channel> and <!here>" in replies[0]["blocks"][2]["text"]["text"]  # as typed, in plain text


def test_a_weekend_of_proposals_fits_one_message(slack):
    for i in range(100):
        slack.command("/propose", f"Topic {i:03d} " + "x" * 140, user=f"UAUTHOR{i:03d}")
    reply = slack.command("/proposals")
    assert len(buttons(reply.body["blocks"])) == 40
    assert "…and 60 more:" in reply.text
    assert "more don't fit here: their posts in the channel have Vote buttons." in reply.text
    assert_all_safe(slack.fake, [reply.body])
