"""The Vote button: toggles the clicker's vote and updates the proposal's messages."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.commands.base import Button, Notice, Tone
from bot.commands.context import Context
from bot.commands.grammar import parse_number
from bot.timefmt import clock
from bot.unconference import ProposalView, VoteOutcome, VoteResult, block_window, mine, toggle_vote

logger = logging.getLogger(__name__)

BUTTON_PROBLEM = "Sorry, that button didn't work. `/proposals` lists the proposals with fresh buttons."


def button_number(ctx: Context, value: object, button: str) -> int | Notice:
    """The number a button of ours carries (digits exactly as we wrote them), or the answer
    to a value that was tampered with."""
    number = None
    if isinstance(value, str) and value == value.strip() and not value.startswith("#"):
        number = parse_number(value)
    if number is None:
        logger.warning("%s button with an unusable value from %s", button, ctx.caller.key[:40])
        return Notice(BUTTON_PROBLEM, Tone.PROBLEM)
    return number


@dataclass(frozen=True)
class Voted:
    """What the click did, and (when the budget is spent) the votes the clicker has."""

    result: VoteResult
    my_votes: tuple[ProposalView, ...] = ()


def counts_closed(ctx: Context, what: str) -> Notice | None:
    """Once the unconference block has started its counts are final: ``what`` (votes, a
    withdrawal) is refused, saying so."""
    window = block_window(ctx.workshop)
    if window is None or ctx.now < window[1]:
        return None
    when = clock(window[1], ctx.workshop.timezone)
    return Notice(
        f"{what} closed when the unconference block started at {when}: the plan was made from "
        "the counts then, so they no longer change.",
        Tone.REFUSED,
    )


def click(ctx: Context, value: str) -> Voted | Notice:
    """Toggle the caller's vote for the proposal the button carries."""
    number = button_number(ctx, value, "vote")
    if isinstance(number, Notice):
        return number
    closed = counts_closed(ctx, "Voting")
    if closed is not None:
        return closed
    with ctx.db() as db:
        result = toggle_vote(db, ctx.caller.key, number, ctx.settings.vote_budget, ctx.now)
        spent = result.outcome is VoteOutcome.BUDGET_SPENT
        my_votes = mine(db, ctx.caller.key).voted_for if spent else ()
    if result.changed:
        # At once, not after the answer: the vote is committed, and a burst of clicks on
        # one proposal coalesces into few updates however the answers are sent.
        ctx.services.proposal_posts.refresh(number)
    return Voted(result, my_votes)


BUTTON = Button(name="vote", run=click)
