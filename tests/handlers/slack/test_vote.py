"""The Vote button through Bolt with signed block_actions payloads, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.unconference import get_proposal
from tests.handlers.slack.unconf_helpers import (
    assert_all_safe,
    buttons,
    context_text,
    counts,
    last_update,
    make_slack,
    message_ts,
)
from tests.support.harness import SIGNING_SECRET
from tests.support.signing import block_action_body, bolt_request


@pytest.fixture
def slack(fake_slack, db_url):
    slack = make_slack(fake_slack, db_url)
    for i, title in enumerate(("Debate", "Interpretability", "Evals", "Forecasting", "Governance")):
        slack.command("/propose", f"{title} hands-on", user=f"UAUTHOR{i}")
    return slack


def answer(slack, n: int = -1) -> dict:
    """The n-th private answer sent through the click's response_url."""
    return slack.fake.responses_to("action")[n].body


def stored_votes(slack, number: int) -> int:
    """The proposal's vote count in the database."""
    with slack.services.db() as db:
        return get_proposal(db, number).votes


def count_on_post(slack, number: int) -> str:
    """The vote count the proposal's channel message shows now."""
    update = last_update(slack.fake, message_ts(slack, number))
    return context_text(update.args["blocks"])


def test_a_click_votes_answers_privately_and_updates_the_count_in_place(slack):
    reply = slack.click("unconf_vote", "2", user="UVOTER")

    assert reply.status == 200
    body = answer(slack)
    assert body["response_type"] == "ephemeral" and body["replace_original"] is False
    assert body["text"] == "Your vote for #2 is in. You have 2 of 3 votes left."
    assert "#2  \u2068Interpretability hands-on\u2069" in context_text(body["blocks"])
    assert "🗳 *1 vote*" in count_on_post(slack, 2)
    assert counts(slack) == (5, 1)


def test_a_second_click_takes_the_vote_back(slack):
    slack.click("unconf_vote", "2", user="UVOTER")
    slack.click("unconf_vote", "2", user="UVOTER")
    assert answer(slack)["text"] == "Your vote for #2 is taken back. You have 3 of 3 votes left."
    assert "🗳 *0 votes*" in count_on_post(slack, 2)
    assert counts(slack) == (5, 0)


def test_the_budget_is_kept_and_the_voter_told_how_to_free_a_vote(slack):
    for n in ("1", "2", "3"):
        slack.click("unconf_vote", n, user="UVOTER")
    assert answer(slack)["text"].endswith("You have 0 of 3 votes left.")
    updates = len(slack.fake.calls_to("chat.update"))

    slack.click("unconf_vote", "4", user="UVOTER")

    body = answer(slack)
    assert body["text"] == (
        "You have used all 3 of your votes. Take one back from another proposal to vote for #4."
    )
    # Their votes come with buttons to take one back right there.
    assert [(b["value"], b["text"]["text"]) for b in buttons(body["blocks"])] == [
        ("1", "✓ Voted"),
        ("2", "✓ Voted"),
        ("3", "✓ Voted"),
    ]
    assert len(slack.fake.calls_to("chat.update")) == updates
    assert counts(slack) == (5, 3)


def test_the_budget_is_settable(fake_slack, db_url):
    slack = make_slack(fake_slack, db_url, vote_budget=1)
    slack.command("/propose", "One", user="UA")
    slack.command("/propose", "Two", user="UA")
    slack.click("unconf_vote", "1", user="UVOTER")
    assert answer(slack)["text"].endswith("You have 0 of 1 votes left.")
    slack.click("unconf_vote", "2", user="UVOTER")
    assert answer(slack)["text"].startswith("You have used all 1 of your votes.")


@pytest.mark.parametrize(
    "value",
    ["abc", "", "0", "-1", "1e3", "1.0", " 1", "9999999999", "1 OR 1=1", '{"p": 1}', "٣", "<!channel>"],
)
def test_tampered_values_get_a_friendly_answer_and_change_nothing(slack, value):
    updates = len(slack.fake.calls_to("chat.update"))
    reply = slack.click("unconf_vote", value, user="UVOTER")

    assert reply.status == 200
    assert answer(slack)["text"].startswith("Sorry, that button didn't work.")
    assert counts(slack) == (5, 0)
    assert len(slack.fake.calls_to("chat.update")) == updates
    assert_all_safe(slack.fake)


def test_an_unknown_proposal_changes_nothing(slack):
    slack.click("unconf_vote", "999", user="UVOTER")
    assert answer(slack)["text"] == "There is no proposal #999."
    assert counts(slack) == (5, 0)


def test_a_withdrawn_proposal_takes_no_votes(slack):
    slack.command("/propose", "withdraw 3", user="UAUTHOR2")
    updates = len(slack.fake.calls_to("chat.update"))
    slack.click("unconf_vote", "3", user="UVOTER")
    assert answer(slack)["text"] == "#3 was withdrawn, so it takes no votes."
    assert len(slack.fake.calls_to("chat.update")) == updates


def _signed_click(slack, value: str, user: str):
    body = block_action_body(
        "unconf_vote", value, user_id=user, response_url=slack.fake.response_url("action")
    )
    return bolt_request(body, SIGNING_SECRET)


def _all_at_once(slack, requests) -> list[int]:
    """Dispatch the signed requests from one thread each, released together."""
    barrier = threading.Barrier(len(requests))

    def go(request):
        barrier.wait()
        return slack.app.dispatch(request).status

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        return list(pool.map(go, requests))


def test_fifty_people_voting_at_once_are_all_counted_and_the_post_converges(slack):
    # A slow chat.update makes the clicks pile up behind the one in flight.
    slack.fake.delay_next("chat.update", 0.05, times=5)
    requests = [_signed_click(slack, "1", f"UVOTER{i:02d}") for i in range(50)]

    assert _all_at_once(slack, requests) == [200] * 50

    assert counts(slack) == (5, 50)
    texts = [r.body["text"] for r in slack.fake.responses_to("action")]
    assert len(texts) == 50 and all(t.startswith("Your vote for #1 is in.") for t in texts)
    assert "🗳 *50 votes*" in count_on_post(slack, 1)
    # Updates of one message never overlap, and they were coalesced, not one per click.
    assert len(slack.fake.calls_to("chat.update")) < 50


def test_one_person_clicking_many_buttons_at_once_stays_within_the_budget(slack):
    requests = [_signed_click(slack, str(n), "UGREEDY") for n in (1, 2, 3, 4, 5) for _ in range(2)]

    assert _all_at_once(slack, requests) == [200] * 10

    texts = [r.body["text"] for r in slack.fake.responses_to("action")]
    voted = sum(t.startswith("Your vote") and "is in" in t for t in texts)
    taken_back = sum("is taken back" in t for t in texts)
    _, votes = counts(slack)
    assert votes == voted - taken_back and votes <= 3
    for n in (1, 2, 3, 4, 5):
        ts = message_ts(slack, n)
        if any(c.args["ts"] == ts for c in slack.fake.calls_to("chat.update")):
            assert f"🗳 *{stored_votes(slack, n)} vote" in count_on_post(slack, n)


def test_many_people_toggling_at_once_end_with_the_exact_count(slack):
    # 30 vote once; 20 vote and take it back, all at the same moment.
    requests = [_signed_click(slack, "4", f"UONCE{i:02d}") for i in range(30)]
    requests += [_signed_click(slack, "4", f"UTWICE{i:02d}") for i in range(20) for _ in range(2)]

    assert _all_at_once(slack, requests) == [200] * 70

    assert counts(slack) == (5, 30)
    assert "🗳 *30 votes*" in count_on_post(slack, 4)
