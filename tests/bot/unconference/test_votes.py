"""Voting: toggling, the budget, constraints in the database, and 50 threads at once."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from bot.db.tables_unconf import Vote
from bot.unconference import VoteOutcome, get_proposal, merge, propose, toggle_vote, withdraw
from tests.bot.unconference.conftest import NOW

THREADS = 50


def new(db, title, author="A1"):
    return propose(db, author, f"name of {author}", title, "", NOW, None).proposal.number


def test_a_click_votes_and_a_second_click_takes_the_vote_back(db):
    n = new(db, "Toggle")
    first = toggle_vote(db, "V1", n, 3, NOW)
    assert first.outcome is VoteOutcome.VOTED and first.changed
    assert first.proposal.votes == 1
    assert (first.votes_used, first.votes_left) == (1, 2)
    assert first.message == f"Your vote for #{n} is in. You have 2 of 3 votes left."
    second = toggle_vote(db, "V1", n, 3, NOW)
    assert second.outcome is VoteOutcome.UNVOTED
    assert second.proposal.votes == 0 and second.votes_left == 3
    assert second.message == f"Your vote for #{n} is taken back. You have 3 of 3 votes left."


def test_a_spent_budget_is_told_and_changes_nothing(db):
    numbers = [new(db, f"Topic {i}") for i in range(4)]
    for n in numbers[:3]:
        assert toggle_vote(db, "V", n, 3, NOW).outcome is VoteOutcome.VOTED
    spent = toggle_vote(db, "V", numbers[3], 3, NOW)
    assert spent.outcome is VoteOutcome.BUDGET_SPENT and not spent.changed
    assert spent.message == (
        f"You have used all 3 of your votes. Take one back from another proposal to vote for #{numbers[3]}."
    )
    assert spent.proposal.votes == 0 and spent.votes_used == 3 and spent.votes_left == 0
    # Taking one back frees a vote for the fourth topic.
    toggle_vote(db, "V", numbers[0], 3, NOW)
    assert toggle_vote(db, "V", numbers[3], 3, NOW).outcome is VoteOutcome.VOTED


def test_a_lowered_budget_still_holds(db):
    numbers = [new(db, f"Topic {i}") for i in range(4)]
    for n in numbers[:3]:
        toggle_vote(db, "V", n, 3, NOW)
    toggle_vote(db, "V", numbers[0], 2, NOW)  # taking back is always allowed
    # Two votes left in slots 2 and 3; slot 1 is free, but the budget of 2 is spent.
    assert toggle_vote(db, "V", numbers[3], 2, NOW).outcome is VoteOutcome.BUDGET_SPENT


def test_budgets_are_per_user(db):
    n = new(db, "Popular")
    for i in range(10):
        assert toggle_vote(db, f"V{i}", n, 1, NOW).outcome is VoteOutcome.VOTED
    assert get_proposal(db, n).votes == 10


def test_a_missing_proposal_is_told(db):
    result = toggle_vote(db, "V", 404, 3, NOW)
    assert result.outcome is VoteOutcome.NOT_FOUND and result.proposal is None
    assert result.message == "There is no proposal #404."


def test_a_budget_below_one_is_a_programming_error(db):
    with pytest.raises(ValueError, match="at least 1"):
        toggle_vote(db, "V", 1, 0, NOW)


@pytest.mark.parametrize(
    ("proposal_offset", "user", "slot"),
    [(0, "V", 2), (1, "V", 1), (1, "W", 0)],
    ids=["same-proposal-twice", "same-slot-twice", "slot-zero"],
)
def test_the_database_itself_refuses_double_votes_and_slots_past_the_rules(db, proposal_offset, user, slot):
    a, b = new(db, "Alpha"), new(db, "Beta")
    db.add(Vote(proposal_id=a, user_id="V", slot=1, created_at=NOW))
    db.commit()
    db.add(Vote(proposal_id=(a, b)[proposal_offset], user_id=user, slot=slot, created_at=NOW))
    with pytest.raises(IntegrityError):
        db.commit()
    db.rollback()


def _at_once(sessions, jobs):
    """Run every job on its own thread and session, all released together."""
    barrier = Barrier(len(jobs))

    def run(job):
        with sessions() as db:
            barrier.wait()
            return job(db)

    with ThreadPoolExecutor(len(jobs)) as pool:
        return list(pool.map(run, jobs))


def _rows(sessions, *where):
    with sessions() as db:
        return db.scalar(select(func.count(Vote.id)).where(*where))


def test_50_users_voting_at_once_are_all_counted(sessions):
    with sessions() as db:
        n = new(db, "Everyone wants this")
    jobs = [lambda db, i=i: toggle_vote(db, f"U{i}", n, 3, NOW) for i in range(THREADS)]
    results = _at_once(sessions, jobs)
    assert Counter(r.outcome for r in results) == {VoteOutcome.VOTED: THREADS}
    with sessions() as db:
        assert get_proposal(db, n).votes == THREADS


def test_50_votes_at_once_never_exceed_anyones_budget(sessions):
    # 10 users click on 5 proposals each, all at once, with a budget of 3.
    with sessions() as db:
        numbers = [new(db, f"Topic {i}") for i in range(5)]
    jobs = [lambda db, u=u, n=n: toggle_vote(db, f"U{u}", n, 3, NOW) for u in range(10) for n in numbers]
    results = _at_once(sessions, jobs)
    assert Counter(r.outcome for r in results) == {
        VoteOutcome.VOTED: 30,
        VoteOutcome.BUDGET_SPENT: 20,
    }
    for u in range(10):
        assert _rows(sessions, Vote.user_id == f"U{u}") == 3
    with sessions() as db:
        assert sum(get_proposal(db, n).votes for n in numbers) == 30


def test_50_clicks_by_one_user_at_once_alternate_like_one_after_another(sessions):
    with sessions() as db:
        n = new(db, "Double-clicked")
    results = _at_once(sessions, [lambda db: toggle_vote(db, "U", n, 3, NOW)] * THREADS)
    # Each click saw the one before it: as many votes as takebacks, and none left.
    assert Counter(r.outcome for r in results) == {
        VoteOutcome.VOTED: THREADS // 2,
        VoteOutcome.UNVOTED: THREADS // 2,
    }
    assert _rows(sessions, Vote.proposal_id == n) == 0


def test_a_withdrawal_amid_49_votes_returns_every_vote(sessions):
    with sessions() as db:
        n = new(db, "Withdrawn mid-vote", author="AUTHOR")
    jobs = [lambda db, i=i: toggle_vote(db, f"U{i}", n, 3, NOW) for i in range(THREADS - 1)]
    jobs.insert(THREADS // 2, lambda db: withdraw(db, "AUTHOR", n, NOW))
    results = _at_once(sessions, jobs)
    withdrawal = results.pop(THREADS // 2)
    voted = {f"U{i}" for i, r in enumerate(results) if r.outcome is VoteOutcome.VOTED}
    refused = [r for r in results if r.outcome is VoteOutcome.NOT_OPEN]
    assert withdrawal.ok
    assert len(voted) + len(refused) == THREADS - 1
    # Every vote that got in before the withdrawal was handed back; none slipped in after.
    assert set(withdrawal.returned_to) == voted
    assert _rows(sessions) == 0


def test_a_merge_amid_49_votes_moves_every_vote(sessions):
    with sessions() as db:
        source = new(db, "Source", author="A1")
        target = new(db, "Target", author="A2")
        for user in ("OLD1", "OLD2"):
            toggle_vote(db, user, source, 3, NOW)
        toggle_vote(db, "OLD2", target, 3, NOW)
    jobs = [lambda db, i=i: toggle_vote(db, f"U{i}", source, 3, NOW) for i in range(THREADS - 1)]
    jobs.insert(7, lambda db: merge(db, source, target, NOW))
    results = _at_once(sessions, jobs)
    merged = results.pop(7)
    voted = sum(r.outcome is VoteOutcome.VOTED for r in results)
    assert merged.ok
    assert merged.returned_to == ("OLD2",)
    assert merged.moved == 1 + voted
    assert _rows(sessions, Vote.proposal_id == source) == 0
    with sessions() as db:
        assert get_proposal(db, target).votes == 2 + voted
