"""Proposing: validation, text stored exactly, duplicates, closing time, listing."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from threading import Barrier

import pytest
from sqlalchemy import func, select

from bot.db.tables_unconf import Proposal, ProposalStatus
from bot.unconference import (
    ProposeOutcome,
    get_proposal,
    list_open,
    merge,
    mine,
    posts_of,
    propose,
    record_post,
    toggle_vote,
    withdraw,
)
from tests.bot.unconference.conftest import NOW

CLOSES = NOW + timedelta(days=1)


def new(db, title, author="U1", description="", now=NOW):
    return propose(db, author, f"name of {author}", title, description, now, CLOSES)


def count(db) -> int:
    return db.scalar(select(func.count(Proposal.id)))


ADVERSARIAL = [
    "<!channel> everyone come",
    "<!here> <!everyone> <!subteam^S0123>",
    "<@U123> and <#C123|general> & friends",
    "a < b > c && d &amp; &lt;",
    "*bold* _italic_ ~strike~ `code` ```block``` > quote",
    "<https://evil.example|click me>",
    "Rockets 🚀 and a family 👩‍👩‍👧 🏳️‍🌈",
    "مرحبا بالعالم: alignment",
    "שלום עולם and English mixed",
    "abc\u202edef\u202c with a right-to-left override",
    "x" * 150,
    "   padded on both sides   ",
    "%s %(name)s {0} {title} \\n '; DROP TABLE unconf_proposals; --",
]


@pytest.mark.parametrize("title", ADVERSARIAL)
def test_adversarial_titles_are_stored_exactly_as_typed(db, title):
    result = new(db, title, description=f"About {title}\nsecond line\ttab")
    assert result.outcome is ProposeOutcome.CREATED, result.message
    stored = db.scalar(select(Proposal).where(Proposal.id == result.proposal.number))
    assert stored.title == title.strip()
    assert stored.description == f"About {title}\nsecond line\ttab".strip()
    # The message never quotes user text, so it is safe to post without escaping.
    assert title.strip() not in result.message
    assert "<" not in result.message and "&" not in result.message


@pytest.mark.parametrize(
    ("title", "says"),
    [
        ("x" * 10_000, "at most 150"),
        ("y" * 151, "at most 150"),
        ("ab", "at least 3"),
        ("  ab  ", "at least 3"),
        ("", "needs a title"),
        ("   \t  ", "needs a title"),
        ("NUL\x00inside", "control characters"),
        ("bell\x07", "control characters"),
        ("two\nlines", "control characters"),
        ("escape \x1b[31m red", "control characters"),
        ("C1 \x85 next line", "control characters"),
        ("lone \ud800 surrogate", "control characters"),
    ],
)
def test_bad_titles_are_refused_and_nothing_is_stored(db, title, says):
    result = new(db, title)
    assert result.outcome is ProposeOutcome.INVALID
    assert says in result.message
    assert result.proposal is None
    assert count(db) == 0


def test_the_refusal_of_a_long_title_says_how_long_it_is(db):
    assert "yours has 10,000" in new(db, "x" * 10_000).message


@pytest.mark.parametrize(
    ("description", "says"),
    [("d" * 2001, "at most 2,000"), ("NUL\x00", "control characters")],
)
def test_bad_descriptions_are_refused(db, description, says):
    result = new(db, "A fine title", description=description)
    assert result.outcome is ProposeOutcome.INVALID
    assert says in result.message
    assert count(db) == 0


def test_length_limits_are_inclusive(db):
    assert new(db, "abc").ok
    assert new(db, "z" * 150).ok
    assert new(db, "A title", description="d" * 2000).ok


def test_a_new_proposal_has_its_author_time_and_number(db):
    result = new(db, "Scalable oversight", author="U42", description="Debate and more")
    p = result.proposal
    assert result.ok and result.message == f"Your proposal is in as #{p.number}."
    assert (p.title, p.description, p.author_id, p.author_name) == (
        "Scalable oversight",
        "Debate and more",
        "U42",
        "name of U42",
    )
    assert p.created_at == NOW and p.status is ProposalStatus.OPEN and p.votes == 0


@pytest.mark.parametrize(
    "variant",
    [
        "interpretability of LLMs",
        "INTERPRETABILITY OF LLMS",
        "Interpretability   of LLMs!!",
        "  interpretability-of-llms?  ",
        "Interpretability, of: LLMs.",
        "Ｉｎｔｅｒｐｒｅｔａｂｉｌｉｔｙ ｏｆ ＬＬＭｓ",
    ],
)
def test_a_duplicate_title_points_to_the_existing_proposal(db, variant):
    first = new(db, "Interpretability of LLMs", author="U1")
    again = new(db, variant, author="U2")
    assert again.outcome is ProposeOutcome.DUPLICATE
    assert again.proposal.number == first.proposal.number
    assert again.proposal.author_id == "U1"
    assert f"#{first.proposal.number}" in again.message
    assert count(db) == 1


def test_titles_that_differ_in_letters_or_digits_are_not_duplicates(db):
    assert new(db, "GPT-4 evals").ok
    assert new(db, "GPT-5 evals").ok
    assert new(db, "Naïve evals").ok
    assert new(db, "Naive evals").ok  # accents are letters, not punctuation


def test_emoji_only_titles_compare_by_their_emoji(db):
    assert new(db, "🚀🚀🚀").ok
    assert new(db, "🚀 🚀 🚀").outcome is ProposeOutcome.DUPLICATE
    assert new(db, "🎉🎉🎉").ok


def test_a_withdrawn_title_can_be_proposed_again(db):
    first = new(db, "Model organisms", author="U1")
    withdraw(db, "U1", first.proposal.number, NOW)
    again = new(db, "model organisms", author="U2")
    assert again.ok and again.proposal.number != first.proposal.number


def test_a_merged_title_points_to_the_proposal_it_was_merged_into(db):
    a = new(db, "Evals for deception", author="U1").proposal.number
    b = new(db, "Deception evals", author="U2").proposal.number
    merge(db, b, a, NOW)
    again = new(db, "deception evals!", author="U3")
    assert again.outcome is ProposeOutcome.DUPLICATE
    assert again.proposal.number == a


def test_proposals_close_when_the_block_starts(db):
    assert new(db, "Early bird", now=CLOSES - timedelta(seconds=1)).ok
    closed = new(db, "Just in time", now=CLOSES)
    assert closed.outcome is ProposeOutcome.CLOSED
    assert "closed" in closed.message
    # Closed wins over validation: no point correcting a proposal that can't be made.
    assert new(db, "x", now=CLOSES + timedelta(hours=1)).outcome is ProposeOutcome.CLOSED
    assert count(db) == 1


def test_without_a_closing_time_proposals_stay_open(db):
    result = propose(db, "U1", "Ann", "Any time", "", NOW + timedelta(days=400), None)
    assert result.ok


def test_control_characters_are_removed_from_author_names(db):
    result = propose(db, "U1", "Ann\x00\x07 Lee", "A title", "", NOW, None)
    assert result.proposal.author_name == "Ann Lee"


def test_open_proposals_are_listed_by_votes_then_age(db):
    numbers = [new(db, f"Topic {i}", now=NOW + timedelta(minutes=i)).proposal.number for i in range(4)]
    gone = new(db, "Withdrawn one").proposal.number
    withdraw(db, "U1", gone, NOW)
    toggle_vote(db, "V1", numbers[2], 3, NOW)
    toggle_vote(db, "V2", numbers[2], 3, NOW)
    toggle_vote(db, "V1", numbers[3], 3, NOW)
    listed = list_open(db)
    assert [p.number for p in listed] == [numbers[2], numbers[3], numbers[0], numbers[1]]
    assert [p.votes for p in listed] == [2, 1, 0, 0]


def test_mine_shows_my_proposals_of_every_status_and_my_votes(db):
    kept = new(db, "Mine, kept", author="ME").proposal.number
    gone = new(db, "Mine, withdrawn", author="ME").proposal.number
    other = new(db, "Someone else's", author="U9").proposal.number
    withdraw(db, "ME", gone, NOW)
    toggle_vote(db, "ME", other, 3, NOW)
    toggle_vote(db, "ME", kept, 3, NOW)
    answer = mine(db, "ME")
    assert [(p.number, p.status) for p in answer.proposed] == [
        (kept, ProposalStatus.OPEN),
        (gone, ProposalStatus.WITHDRAWN),
    ]
    assert {p.number for p in answer.voted_for} == {kept, other}
    assert answer.votes_used == 2
    assert mine(db, "NOBODY").proposed == () and mine(db, "NOBODY").votes_used == 0


def test_the_posted_message_is_remembered_per_platform_once(db):
    n = new(db, "Posted").proposal.number
    record_post(db, n, "slack", "C123", "1691240000.000100", NOW)
    record_post(db, n, "slack", "C123", "1691240000.000999", NOW)  # a retry or a second process
    record_post(db, n, "discord", "42", "1001", NOW)
    assert posts_of(db, n) == {"slack": ("C123", "1691240000.000100"), "discord": ("42", "1001")}
    assert posts_of(db, 999) == {} and get_proposal(db, 999) is None


def test_the_same_topic_proposed_by_20_people_at_once_is_stored_once(sessions):
    variants = ["Agent foundations", "agent foundations", "AGENT FOUNDATIONS!", "agent-foundations"]
    barrier = Barrier(20)

    def one(i: int):
        with sessions() as db:
            barrier.wait()
            return new(db, variants[i % len(variants)], author=f"U{i}")

    with ThreadPoolExecutor(20) as pool:
        results = list(pool.map(one, range(20)))
    created = [r for r in results if r.outcome is ProposeOutcome.CREATED]
    assert len(created) == 1
    assert {r.proposal.number for r in results} == {created[0].proposal.number}
    with sessions() as db:
        assert count(db) == 1
