"""Withdrawing and merging: who may, and where the votes go."""

from __future__ import annotations

from datetime import timedelta

from bot.db.tables_unconf import ProposalStatus
from bot.unconference import (
    ChangeOutcome,
    VoteOutcome,
    get_proposal,
    list_open,
    merge,
    mine,
    propose,
    toggle_vote,
    withdraw,
)
from tests.bot.unconference.conftest import NOW

LATER = NOW + timedelta(hours=2)


def new(db, title, author="A1"):
    return propose(db, author, f"name of {author}", title, "", NOW, None).proposal.number


def vote(db, user, number, budget=3):
    return toggle_vote(db, user, number, budget, NOW)


def test_the_author_withdraws_and_the_votes_go_back(db):
    n = new(db, "Withdraw me", author="A1")
    other = new(db, "Other", author="A2")
    for user in ("V1", "V2", "V3"):
        vote(db, user, n)
    vote(db, "V1", other)
    result = withdraw(db, "A1", n, LATER)
    assert result.ok and result.outcome is ChangeOutcome.DONE
    assert result.returned_to == ("V1", "V2", "V3")
    assert result.message == f"#{n} is withdrawn; its 3 votes go back to the voters."
    assert result.proposal.status is ProposalStatus.WITHDRAWN and result.proposal.votes == 0
    assert mine(db, "V2").votes_used == 0
    assert mine(db, "V1").votes_used == 1
    assert [p.number for p in list_open(db)] == [other]


def test_a_returned_vote_can_be_cast_again(db):
    gone = new(db, "Going", author="A1")
    others = [new(db, f"Topic {i}", author="A2") for i in range(3)]
    vote(db, "V", gone)
    vote(db, "V", others[0])
    vote(db, "V", others[1])
    assert vote(db, "V", others[2]).outcome is VoteOutcome.BUDGET_SPENT
    withdraw(db, "A1", gone, LATER)
    assert vote(db, "V", others[2]).outcome is VoteOutcome.VOTED


def test_only_the_author_can_withdraw(db):
    n = new(db, "Not yours", author="A1")
    vote(db, "V1", n)
    result = withdraw(db, "SOMEONE", n, LATER)
    assert result.outcome is ChangeOutcome.NOT_AUTHOR
    assert result.message == f"Only the author of #{n} can withdraw it."
    assert get_proposal(db, n).status is ProposalStatus.OPEN
    assert get_proposal(db, n).votes == 1


def test_withdrawing_twice_or_a_missing_proposal_is_refused(db):
    n = new(db, "Once", author="A1")
    assert withdraw(db, "A1", n, LATER).message == f"#{n} is withdrawn."
    again = withdraw(db, "A1", n, LATER)
    assert again.outcome is ChangeOutcome.NOT_OPEN
    assert again.message == f"#{n} was already withdrawn."
    missing = withdraw(db, "A1", 404, LATER)
    assert missing.outcome is ChangeOutcome.NOT_FOUND and missing.proposal is None


def test_a_withdrawn_proposal_takes_no_votes(db):
    n = new(db, "Gone", author="A1")
    withdraw(db, "A1", n, LATER)
    result = vote(db, "V1", n)
    assert result.outcome is VoteOutcome.NOT_OPEN
    assert result.message == f"#{n} was withdrawn, so it takes no votes."
    assert result.votes_used == 0


def test_merging_moves_votes_and_counts_a_voter_of_both_once(db):
    source = new(db, "Evals, take one", author="A1")
    target = new(db, "Evals, take two", author="A2")
    for user in ("ONLY_SOURCE", "BOTH"):
        vote(db, user, source)
    for user in ("BOTH", "ONLY_TARGET"):
        vote(db, user, target)
    assert mine(db, "BOTH").votes_used == 2

    result = merge(db, source, target, LATER)
    assert result.ok
    assert result.moved == 1
    assert result.returned_to == ("BOTH",)
    assert result.source.status is ProposalStatus.MERGED
    assert result.source.merged_into == target and result.source.votes == 0
    assert result.target.votes == 3
    assert result.message == f"#{source} is merged into #{target}; its votes now count for #{target}."
    assert mine(db, "BOTH").votes_used == 1  # one vote back
    assert [p.number for p in mine(db, "ONLY_SOURCE").voted_for] == [target]


def test_a_moved_vote_keeps_its_budget_slot(db):
    source = new(db, "Source", author="A1")
    target = new(db, "Target", author="A2")
    extra = [new(db, f"Extra {i}", author="A3") for i in range(2)]
    vote(db, "V", source)
    vote(db, "V", extra[0])
    vote(db, "V", extra[1])
    merge(db, source, target, LATER)
    # Still three votes in use: the moved vote did not become a free one.
    assert vote(db, "V", new(db, "Fourth", author="A4")).outcome is VoteOutcome.BUDGET_SPENT


def test_a_merged_proposal_takes_no_votes_and_says_where_to_vote(db):
    source = new(db, "Source", author="A1")
    target = new(db, "Target", author="A2")
    merge(db, source, target, LATER)
    result = vote(db, "V", source)
    assert result.outcome is VoteOutcome.NOT_OPEN
    assert result.message == f"#{source} was merged into #{target}; vote for #{target} instead."


def test_merges_chain(db):
    a, b, c = (new(db, f"Chain {x}", author=f"A{x}") for x in "abc")
    vote(db, "V1", a)
    vote(db, "V2", b)
    vote(db, "V3", c)
    merge(db, a, b, LATER)
    merge(db, b, c, LATER)
    assert get_proposal(db, c).votes == 3
    assert [p.number for p in list_open(db)] == [c]


def test_merge_refusals(db):
    a = new(db, "First", author="A1")
    b = new(db, "Second", author="A2")
    c = new(db, "Third", author="A3")
    assert merge(db, a, a, LATER).outcome is ChangeOutcome.SAME
    missing = merge(db, a, 404, LATER)
    assert missing.outcome is ChangeOutcome.NOT_FOUND
    assert missing.message == "There is no proposal #404."
    merge(db, a, b, LATER)
    twice = merge(db, a, c, LATER)
    assert twice.outcome is ChangeOutcome.NOT_OPEN
    assert twice.message == f"#{a} was already merged into #{b}."
    withdraw(db, "A3", c, LATER)
    into_withdrawn = merge(db, b, c, LATER)
    assert into_withdrawn.outcome is ChangeOutcome.NOT_OPEN
    assert get_proposal(db, b).status is ProposalStatus.OPEN


def test_a_merged_proposal_cannot_be_withdrawn(db):
    a = new(db, "First", author="A1")
    b = new(db, "Second", author="A2")
    merge(db, a, b, LATER)
    result = withdraw(db, "A1", a, LATER)
    assert result.outcome is ChangeOutcome.NOT_OPEN
    assert result.message == f"#{a} was already merged into #{b}."
