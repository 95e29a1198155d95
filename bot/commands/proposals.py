"""``/proposals``: open proposals by votes; ``/proposals mine``: the caller's own and votes."""

from __future__ import annotations

from dataclasses import dataclass

from bot.commands.base import Command, HelpEntry, UsageError
from bot.commands.context import Context
from bot.commands.grammar import HELP_WORDS, normalise
from bot.commands.vote import counts_closed
from bot.unconference import Mine, ProposalView, list_open, mine

USAGE = (
    "Usage: `/proposals`: the open unconference proposals, most votes first, with Vote buttons.\n"
    "`/proposals mine`: your proposals and your votes."
)
_MINE = ("mine", "me", "my", "own")


@dataclass(frozen=True)
class OpenProposals:
    """Open proposals, most votes first, and which of them the caller voted for."""

    proposals: tuple[ProposalView, ...]
    voted: frozenset[int]
    votes_used: int
    budget: int
    channel: str | None  # where their posts are, to vote there too
    closed: str | None = None  # once the block has started: that voting has closed, and why


@dataclass(frozen=True)
class MyProposals:
    """The caller's proposals (every status) and votes."""

    mine: Mine
    budget: int
    closed: str | None = None  # as OpenProposals.closed


def run(ctx: Context, text: str) -> OpenProposals | MyProposals:
    """The open proposals, or the caller's own."""
    args = normalise(text).casefold()
    if args not in ("", *_MINE):
        raise UsageError(USAGE, None if args in HELP_WORDS else "I only know `/proposals [mine]`.")
    budget = ctx.settings.vote_budget
    with ctx.db() as db:
        own = mine(db, ctx.caller.key)
        proposals = () if args else list_open(db)
    closed = counts_closed(ctx, "Voting")
    if args:
        return MyProposals(own, budget, closed.text if closed is not None else None)
    voted = frozenset(p.number for p in own.voted_for)
    return OpenProposals(
        proposals,
        voted,
        own.votes_used,
        budget,
        ctx.platform.proposals_channel,
        closed.text if closed is not None else None,
    )


COMMAND = Command(
    name="proposals",
    usage=USAGE,
    run=run,
    help=(HelpEntry("/proposals [mine]", "Open proposals by votes, or yours and the ones you voted for."),),
)
