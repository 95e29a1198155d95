"""Proposing and listing unconference topics (withdrawing and merging: ``changes``).

Every function takes a SQLAlchemy session and commits its own work before returning, so
an adapter answers the user only after the change is stored. Result messages are friendly
sentences that never quote user text (they say "#7", not the title), so adapters can post
them as they are and escape only the titles and names they render themselves.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.db.tables_unconf import Proposal, ProposalPost, ProposalStatus, Vote
from bot.unconference import txn
from bot.unconference.changes import ChangeOutcome, MergeResult, WithdrawResult, merge, remove, withdraw
from bot.unconference.titles import check_description, check_title, title_key
from bot.unconference.views import ProposalView, fetch, fetch_one, open_only

logger = logging.getLogger(__name__)

# Withdrawing and merging live in ``changes``; they are part of this module's interface.
__all__ = [
    "ChangeOutcome",
    "Mine",
    "MergeResult",
    "ProposeOutcome",
    "ProposeResult",
    "WithdrawResult",
    "get_proposal",
    "list_open",
    "merge",
    "mine",
    "posts_of",
    "propose",
    "record_post",
    "remove",
    "withdraw",
]


class ProposeOutcome(StrEnum):
    """How a proposal attempt ended."""

    CREATED = "created"
    DUPLICATE = "duplicate"  # ``proposal`` is the existing one
    INVALID = "invalid"
    CLOSED = "closed"
    LIMIT = "limit"  # the author has as many open proposals as one person may


@dataclass(frozen=True)
class ProposeResult:
    """The answer to ``propose``: the new or existing proposal, or why there is none."""

    outcome: ProposeOutcome
    message: str
    proposal: ProposalView | None = None

    @property
    def ok(self) -> bool:
        """True when a new proposal was stored."""
        return self.outcome is ProposeOutcome.CREATED


def propose(
    session: Session,
    author_id: str,
    author_name: str,
    title: str,
    description: str,
    now: datetime,
    closes_at: datetime | None,
    limit: int | None = None,
) -> ProposeResult:
    """Store a proposal, or point to the open proposal with the same normalised title.

    Refused (nothing stored) when proposals have closed (``now >= closes_at``), the title
    is not 3-150 characters after trimming, the description exceeds 2,000 characters,
    either holds control characters, or the author already has ``limit`` open proposals.
    """
    if closes_at is not None and now >= closes_at:
        return ProposeResult(
            ProposeOutcome.CLOSED,
            "Proposals are closed: the unconference block has started. You can still see the proposals.",
        )
    title, problem = check_title(title)
    if problem is None:
        description, problem = check_description(description)
    if problem is not None:
        return ProposeResult(ProposeOutcome.INVALID, problem)
    key = title_key(title)
    name = "".join(ch for ch in author_name if unicodedata.category(ch) not in ("Cc", "Cs"))

    def work(s: Session) -> tuple[ProposeOutcome, int]:
        existing = _duplicate_of(s, key)
        if existing is not None:
            return ProposeOutcome.DUPLICATE, existing
        if limit is not None:
            held = s.scalar(
                select(func.count(Proposal.id)).where(Proposal.author_id == author_id, open_only())
            )
            if (held or 0) >= limit:
                return ProposeOutcome.LIMIT, held or 0
        row = Proposal(
            title=title,
            title_key=key,
            description=description,
            author_id=author_id,
            author_name=name,
            created_at=now,
            status=ProposalStatus.OPEN.value,
        )
        s.add(row)
        # A concurrent proposal of the same title fails here on the partial unique index;
        # txn.write retries, and the retry finds that proposal as the duplicate.
        s.flush()
        return ProposeOutcome.CREATED, row.id

    outcome, number = txn.write(session, work, "propose")
    if outcome is ProposeOutcome.LIMIT:
        logger.info("proposal by %s refused: %d open already", author_id, number)
        return ProposeResult(
            outcome,
            f"You have {number} open proposal{'s' if number != 1 else ''}, as many as one person may "
            "have at once. Withdraw one (`/propose withdraw <n>`; `/proposals mine` lists yours) "
            "to propose another.",
        )
    view = fetch_one(session, number)
    if outcome is ProposeOutcome.DUPLICATE:
        logger.info("proposal by %s is a duplicate of #%d", author_id, number)
        return ProposeResult(
            outcome,
            f"That topic is already proposed as #{number}, so yours wasn't stored again. "
            f"You can vote for #{number} instead.",
            view,
        )
    logger.info("proposal #%d created by %s", number, author_id)
    return ProposeResult(outcome, f"Your proposal is in as #{number}.", view)


def _duplicate_of(session: Session, key: str) -> int | None:
    """The open proposal a title with ``key`` duplicates, following merges, if any."""
    found = session.scalar(select(Proposal.id).where(Proposal.title_key == key, open_only()))
    if found is not None:
        return found
    # A title merged away still points at the proposal it was merged into.
    merged = session.scalars(
        select(Proposal.merged_into)
        .where(Proposal.title_key == key, Proposal.status == ProposalStatus.MERGED.value)
        .order_by(Proposal.id.desc())
    ).all()
    for target in merged:
        seen: set[int] = set()
        while target is not None and target not in seen:
            seen.add(target)
            row = session.get(Proposal, target)
            if row is None:
                break
            if row.status == ProposalStatus.OPEN.value:
                return row.id
            target = row.merged_into
    return None


def list_open(session: Session) -> tuple[ProposalView, ...]:
    """Open proposals, most votes first, ties by age (oldest first)."""
    return fetch(session, open_only())


def get_proposal(session: Session, number: int) -> ProposalView | None:
    """One proposal (any status) with its votes, or None."""
    return fetch_one(session, number)


@dataclass(frozen=True)
class Mine:
    """A user's own proposals (every status) and the proposals they voted for."""

    proposed: tuple[ProposalView, ...]
    voted_for: tuple[ProposalView, ...]

    @property
    def votes_used(self) -> int:
        """How many of the user's votes are spent."""
        return len(self.voted_for)


def mine(session: Session, user_id: str) -> Mine:
    """What ``/proposals mine`` shows: the user's proposals and votes."""
    proposed = tuple(sorted(fetch(session, Proposal.author_id == user_id), key=lambda v: v.number))
    voted = fetch(session, Proposal.id.in_(select(Vote.proposal_id).where(Vote.user_id == user_id)))
    return Mine(proposed, voted)


def record_post(
    session: Session, number: int, platform: str, channel: str, message_id: str, now: datetime
) -> None:
    """Remember where proposal ``number`` was posted on ``platform``, so its message can be
    updated in place."""

    def work(s: Session) -> None:
        mine = (ProposalPost.proposal_id == number, ProposalPost.platform == platform)
        if s.scalar(select(ProposalPost.id).where(*mine)) is not None:
            return  # recorded by a retry, or by another process that posted it too
        s.add(
            ProposalPost(
                proposal_id=number, platform=platform, channel=channel, message_id=message_id, posted_at=now
            )
        )

    txn.write(session, work, "record_post")


def posts_of(session: Session, number: int) -> dict[str, tuple[str, str]]:
    """Where proposal ``number`` was posted: platform -> (channel, message id)."""
    rows = session.execute(
        select(ProposalPost.platform, ProposalPost.channel, ProposalPost.message_id).where(
            ProposalPost.proposal_id == number
        )
    )
    return {platform: (channel, message_id) for platform, channel, message_id in rows}


def rename_author(session: Session, number: int, name: str) -> None:
    """Sign proposal ``number`` with its author's display name, once it is known."""

    def work(s: Session) -> None:
        s.execute(update(Proposal).where(Proposal.id == number).values(author_name=name))

    txn.write(session, work, "rename_author")
