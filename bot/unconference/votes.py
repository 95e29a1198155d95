"""The Vote button: toggling one user's vote on one proposal within their vote budget.

Each vote takes one of the user's numbered vote slots ``1..budget``; ``UNIQUE(user_id,
slot)`` in the database means two concurrent votes by one user can't share a slot, so no
interleaving of requests gets a user past the budget. ``UNIQUE(proposal_id, user_id)``
stops a double vote. The loser of either race is rolled back and rerun by ``txn.write``
and then sees the winner's vote, exactly as if the two clicks had come one after another.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot.db.tables_unconf import Proposal, ProposalStatus, Vote
from bot.unconference import txn
from bot.unconference.views import ProposalView, fetch_one

logger = logging.getLogger(__name__)


class VoteOutcome(StrEnum):
    """What a click on Vote did."""

    VOTED = "voted"
    UNVOTED = "unvoted"
    BUDGET_SPENT = "budget_spent"
    NOT_OPEN = "not_open"
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class VoteResult:
    """The answer to ``toggle_vote``; ``proposal`` carries the count for the posted message."""

    outcome: VoteOutcome
    message: str
    proposal: ProposalView | None
    votes_used: int
    budget: int

    @property
    def changed(self) -> bool:
        """True when a vote was cast or taken back (the posted count needs an update)."""
        return self.outcome in (VoteOutcome.VOTED, VoteOutcome.UNVOTED)

    @property
    def votes_left(self) -> int:
        """Votes the user can still cast."""
        return max(self.budget - self.votes_used, 0)


def votes_used(session: Session, user_id: str) -> int:
    """How many votes ``user_id`` has cast (votes only ever sit on open proposals)."""
    return session.scalar(select(func.count(Vote.id)).where(Vote.user_id == user_id)) or 0


def toggle_vote(session: Session, user_id: str, proposal_id: int, budget: int, now: datetime) -> VoteResult:
    """Vote for ``proposal_id``, or take the vote back if the user already voted for it.

    With the budget spent, or on a withdrawn or merged proposal, nothing changes and the
    result says why. Commits before returning; safe to call from many threads at once.
    """
    if budget < 1:
        raise ValueError(f"vote budget must be at least 1, not {budget}")

    def work(s: Session) -> tuple[VoteOutcome, str]:
        # FOR SHARE (PostgreSQL): a withdrawal or merge of this proposal waits until this
        # vote is committed, and then returns or moves it along with the others.
        row = s.execute(
            select(Proposal.status, Proposal.merged_into)
            .where(Proposal.id == proposal_id)
            .with_for_update(read=True)
        ).one_or_none()
        if row is None:
            return VoteOutcome.NOT_FOUND, f"There is no proposal #{proposal_id}."
        if row.status != ProposalStatus.OPEN.value:
            return VoteOutcome.NOT_OPEN, _closed_message(proposal_id, row.status, row.merged_into)
        taken_back = s.execute(
            delete(Vote).where(Vote.proposal_id == proposal_id, Vote.user_id == user_id),
            execution_options={"synchronize_session": False},
        ).rowcount
        if taken_back:
            return VoteOutcome.UNVOTED, f"Your vote for #{proposal_id} is taken back."
        used = set(s.scalars(select(Vote.slot).where(Vote.user_id == user_id)).all())
        # Counting too, not only free slots: a budget lowered mid-weekend must still hold.
        free = sorted(set(range(1, budget + 1)) - used)
        if len(used) >= budget or not free:
            return VoteOutcome.BUDGET_SPENT, (
                f"You have used all {budget} of your votes. "
                f"Take one back from another proposal to vote for #{proposal_id}."
            )
        s.add(Vote(proposal_id=proposal_id, user_id=user_id, slot=free[0], created_at=now))
        s.flush()  # a lost race on either unique constraint surfaces here and is retried
        return VoteOutcome.VOTED, f"Your vote for #{proposal_id} is in."

    outcome, message = txn.write(session, work, "toggle_vote")
    used = votes_used(session, user_id)
    if outcome in (VoteOutcome.VOTED, VoteOutcome.UNVOTED):
        logger.info("vote %s: user %s, proposal #%d", outcome.value, user_id, proposal_id)
        message += f" You have {max(budget - used, 0)} of {budget} votes left."
    return VoteResult(outcome, message, fetch_one(session, proposal_id), used, budget)


def _closed_message(number: int, status: str, merged_into: int | None) -> str:
    if status == ProposalStatus.MERGED.value:
        return f"#{number} was merged into #{merged_into}; vote for #{merged_into} instead."
    if status == ProposalStatus.REMOVED.value:
        return f"#{number} was removed by the organizers, so it takes no votes."
    return f"#{number} was withdrawn, so it takes no votes."
