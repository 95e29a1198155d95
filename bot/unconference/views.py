"""Proposals as plain values with their vote counts: what the operations return."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from bot.db.tables_unconf import Proposal, ProposalStatus, Vote


@dataclass(frozen=True)
class ProposalView:
    """A proposal and its current vote count; text fields are raw and must be escaped."""

    number: int
    title: str
    description: str
    author_id: str
    author_name: str
    created_at: datetime
    status: ProposalStatus
    votes: int
    merged_into: int | None = None

    @property
    def is_open(self) -> bool:
        """Whether it still takes votes and can be planned."""
        return self.status is ProposalStatus.OPEN


def _vote_count() -> ColumnElement[int]:
    return select(func.count(Vote.id)).where(Vote.proposal_id == Proposal.id).scalar_subquery()


def _view(row: Proposal, votes: int) -> ProposalView:
    return ProposalView(
        number=row.id,
        title=row.title,
        description=row.description,
        author_id=row.author_id,
        author_name=row.author_name,
        created_at=row.created_at,
        status=ProposalStatus(row.status),
        votes=votes,
        merged_into=row.merged_into,
    )


def query(*where: ColumnElement[bool]) -> Select[tuple[Proposal, int]]:
    """Proposals with their vote counts, most votes first, then oldest, then lowest number."""
    count = _vote_count().label("votes")
    return select(Proposal, count).where(*where).order_by(count.desc(), Proposal.created_at, Proposal.id)


def fetch(session: Session, *where: ColumnElement[bool]) -> tuple[ProposalView, ...]:
    """Run ``query`` and turn the rows into views."""
    return tuple(_view(row, votes) for row, votes in session.execute(query(*where)).all())


def fetch_one(session: Session, number: int) -> ProposalView | None:
    """One proposal by number, with its votes, or None."""
    found = fetch(session, Proposal.id == number)
    return found[0] if found else None


def fetch_many(session: Session, numbers: Sequence[int]) -> dict[int, ProposalView]:
    """Several proposals by number."""
    return {v.number: v for v in fetch(session, Proposal.id.in_(numbers))}


def open_only() -> ColumnElement[bool]:
    """The filter for proposals that take votes."""
    return Proposal.status == ProposalStatus.OPEN.value
