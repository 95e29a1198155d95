"""Withdrawing and merging proposals: the operations that return or move votes.

Like ``proposals``, each function commits before it returns, and messages quote numbers,
never user text.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, aliased

from bot.db.tables_unconf import Proposal, ProposalStatus, Vote
from bot.unconference import txn
from bot.unconference.views import ProposalView, fetch_many, fetch_one

logger = logging.getLogger(__name__)


class ChangeOutcome(StrEnum):
    """How a withdrawal or merge ended."""

    DONE = "done"
    NOT_FOUND = "not_found"
    NOT_AUTHOR = "not_author"
    NOT_OPEN = "not_open"
    SAME = "same"


@dataclass(frozen=True)
class WithdrawResult:
    """The answer to ``withdraw``; ``returned_to`` are the voters who got their vote back."""

    outcome: ChangeOutcome
    message: str
    proposal: ProposalView | None = None
    returned_to: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the proposal was withdrawn."""
        return self.outcome is ChangeOutcome.DONE


def _not_open(number: int, status: str, merged_into: int | None) -> str:
    if status == ProposalStatus.MERGED.value:
        return f"#{number} was already merged into #{merged_into}."
    if status == ProposalStatus.REMOVED.value:
        return f"#{number} was already removed by the organizers."
    return f"#{number} was already withdrawn."


def withdraw(session: Session, author_id: str, number: int, now: datetime) -> WithdrawResult:
    """Withdraw proposal ``number`` for its author; its votes go back to the voters."""
    return _close(session, number, now, ProposalStatus.WITHDRAWN, author_id, author=author_id)


def remove(session: Session, number: int, reason: str, now: datetime, by: str) -> WithdrawResult:
    """Remove proposal ``number`` (moderation: who may is the command's rule); its votes go
    back to the voters, and the organizer's ``reason`` is kept with it."""
    return _close(session, number, now, ProposalStatus.REMOVED, by, reason=reason or None)


def _close(
    session: Session,
    number: int,
    now: datetime,
    status: ProposalStatus,
    by: str,
    author: str | None = None,
    reason: str | None = None,
) -> WithdrawResult:
    """Close an open proposal as ``status`` (only by its ``author`` when one is given); its
    votes go back to the voters."""

    def work(s: Session) -> tuple[ChangeOutcome, str, tuple[str, ...]]:
        row = s.scalar(select(Proposal).where(Proposal.id == number).with_for_update())
        if row is None:
            return ChangeOutcome.NOT_FOUND, f"There is no proposal #{number}.", ()
        if author is not None and row.author_id != author:
            return ChangeOutcome.NOT_AUTHOR, f"Only the author of #{number} can withdraw it.", ()
        if row.status != ProposalStatus.OPEN.value:
            return ChangeOutcome.NOT_OPEN, _not_open(number, row.status, row.merged_into), ()
        voters = tuple(
            s.scalars(select(Vote.user_id).where(Vote.proposal_id == number).order_by(Vote.id)).all()
        )
        # Deleting the votes frees their vote slots: that is how votes return to voters.
        s.execute(
            delete(Vote).where(Vote.proposal_id == number),
            execution_options={"synchronize_session": False},
        )
        row.status = status.value
        row.removed_reason = reason
        row.closed_at = now
        return ChangeOutcome.DONE, _closed_message(number, status, len(voters)), voters

    outcome, message, voters = txn.write(session, work, status.value)
    if outcome is ChangeOutcome.DONE:
        logger.info("proposal #%d %s by %s; %d votes returned", number, status.value, by, len(voters))
    return WithdrawResult(outcome, message, fetch_one(session, number), voters)


def _closed_message(number: int, status: ProposalStatus, returned: int) -> str:
    done = f"#{number} is {status.value}"
    if returned == 0:
        return f"{done}."
    plural = "vote goes" if returned == 1 else "votes go"
    return f"{done}; its {returned} {plural} back to the voters."


@dataclass(frozen=True)
class MergeResult:
    """The answer to ``merge``: both proposals as they are now, and the bookkeeping."""

    outcome: ChangeOutcome
    message: str
    source: ProposalView | None = None
    target: ProposalView | None = None
    moved: int = 0  # votes that moved to the target
    returned_to: tuple[str, ...] = ()  # voters of both, who got one vote back

    @property
    def ok(self) -> bool:
        """True when the merge happened."""
        return self.outcome is ChangeOutcome.DONE


def merge(session: Session, from_number: int, into_number: int, now: datetime) -> MergeResult:
    """Merge proposal ``from_number`` into ``into_number``: its votes move over, and a user
    who voted for both keeps one vote there and gets the other back.

    Who may merge (organizers) is the adapter's decision.
    """
    if from_number == into_number:
        return MergeResult(ChangeOutcome.SAME, "A proposal can't be merged into itself.")

    def work(s: Session) -> tuple[ChangeOutcome, str, int, tuple[str, ...]]:
        # Lock in id order, so two merges of the same pair can't deadlock.
        rows = s.scalars(
            select(Proposal)
            .where(Proposal.id.in_((from_number, into_number)))
            .order_by(Proposal.id)
            .with_for_update()
        ).all()
        by_id = {r.id: r for r in rows}
        for n in (from_number, into_number):
            if n not in by_id:
                return ChangeOutcome.NOT_FOUND, f"There is no proposal #{n}.", 0, ()
        for n in (from_number, into_number):
            r = by_id[n]
            if r.status != ProposalStatus.OPEN.value:
                return ChangeOutcome.NOT_OPEN, _not_open(n, r.status, r.merged_into), 0, ()
        # An alias, so the inner query is not correlated with the outer one on the same table.
        into_votes = aliased(Vote)
        both = tuple(
            s.scalars(
                select(Vote.user_id)
                .where(
                    Vote.proposal_id == from_number,
                    Vote.user_id.in_(select(into_votes.user_id).where(into_votes.proposal_id == into_number)),
                )
                .order_by(Vote.id)
            ).all()
        )
        if both:
            s.execute(
                delete(Vote).where(Vote.proposal_id == from_number, Vote.user_id.in_(both)),
                execution_options={"synchronize_session": False},
            )
        moved = s.execute(
            update(Vote).where(Vote.proposal_id == from_number).values(proposal_id=into_number),
            execution_options={"synchronize_session": False},
        ).rowcount
        source = by_id[from_number]
        source.status = ProposalStatus.MERGED.value
        source.merged_into = into_number
        source.closed_at = now
        return ChangeOutcome.DONE, _merged_message(from_number, into_number), moved, both

    outcome, message, moved, both = txn.write(session, work, "merge")
    if outcome is ChangeOutcome.DONE:
        logger.info(
            "proposal #%d merged into #%d: %d votes moved, %d returned",
            from_number,
            into_number,
            moved,
            len(both),
        )
    views = fetch_many(session, (from_number, into_number))
    return MergeResult(outcome, message, views.get(from_number), views.get(into_number), moved, both)


def _merged_message(from_number: int, into_number: int) -> str:
    return f"#{from_number} is merged into #{into_number}; its votes now count for #{into_number}."
