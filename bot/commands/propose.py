"""``/propose <title> [-- <description>]`` and ``/propose withdraw <n>``.

The text grammar reads a title, a description and a withdrawal out of one line; a platform
with typed options gives them as ``NewProposal`` or ``Withdraw`` directly, so its title is
never read for "--" or "withdraw"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from bot.commands.base import (
    Access,
    Arguments,
    Capability,
    Command,
    HelpEntry,
    Notice,
    Subcommand,
    Tone,
    UsageError,
)
from bot.commands.context import Context
from bot.commands.grammar import is_help, is_number, parse_number
from bot.commands.vote import counts_closed
from bot.unconference import ProposeOutcome, ProposeResult, WithdrawResult, block_window, propose, withdraw
from bot.unconference.plans import PlannedSession, cancel_planned
from bot.unconference.posts import OnPostError
from bot.unconference.proposals import rename_author

USAGE = (
    "Usage: `/propose <title> [-- <description>]`: propose an unconference session "
    "(a title of 3-150 characters; a description of up to 2,000).\n"
    "e.g. `/propose Debate on a toy task -- Let's try the protocol from the paper in pairs.`\n"
    "`/propose withdraw <n>` withdraws your proposal #n. `/proposals` lists them all."
)
WHICH = "Which proposal? Give its number, e.g. `/propose withdraw 7`."
_WITHDRAW = re.compile(r"withdraw\s+(\S+)", re.IGNORECASE)
# The separator is "--" on its own; "C--" or "pre--post" in a title stays as typed.
_SEPARATOR = re.compile(r"(?:^|\s)--(?:\s|$)")


@dataclass(frozen=True)
class NewProposal(Arguments):
    """A topic to propose: its title and description as given (checked when stored)."""

    title: str
    description: str = ""


@dataclass(frozen=True)
class Withdraw(Arguments):
    """``withdraw <n>``; ``number`` is None where a platform gave none it could use."""

    word: ClassVar[str] = "withdraw"
    number: int | None


@dataclass(frozen=True)
class Proposed:
    """A new proposal stored (``result.proposal``), and where it is being posted."""

    result: ProposeResult
    channel: str | None  # None: no unconference channel, so it is posted nowhere


@dataclass(frozen=True)
class Duplicate:
    """The topic was proposed already: ``result.proposal`` is the existing one."""

    result: ProposeResult


@dataclass(frozen=True)
class ProposalsClosed:
    """Proposals closed when the block started."""

    message: str


@dataclass(frozen=True)
class Withdrawn:
    """The answer to ``/propose withdraw``: done, or why not."""

    result: WithdrawResult


@dataclass(frozen=True)
class ProposalNotPosted:
    """Told later: a stored proposal could not be posted in a platform's channel."""

    number: int
    platform: str
    reason: str


def parse(text: str) -> NewProposal | Withdraw:
    """The text grammar: ``<title> [-- <description>]``, or ``withdraw <n>``."""
    stripped = text.strip()
    if not stripped or is_help(stripped):
        raise UsageError(USAGE)
    first, _, rest = stripped.partition(" ")
    if first.casefold() == "withdraw" and _meant_as_withdrawal(rest.strip()):
        # The subcommand, or its usage: "withdraw -1" never becomes a public proposal.
        found = _WITHDRAW.fullmatch(stripped)
        number = parse_number(found.group(1)) if found else None
        if number is None:
            raise UsageError(USAGE, WHICH)
        return Withdraw(number)
    title, *description = _SEPARATOR.split(stripped, maxsplit=1)
    return NewProposal(title, description[0] if description else "")


def _meant_as_withdrawal(rest: str) -> bool:
    """After "withdraw": nothing, one word, or something number-like ("-1", "#3", "1 2", "３")
    is the subcommand; "withdraw from the race?" is a title."""
    return len(rest.split()) <= 1 or rest[0] in "#+-" or rest[0].isdigit()


def closes_at(ctx: Context) -> datetime | None:
    """When proposals close: UNCONF_PROPOSALS_CLOSE_AT, else the block's start."""
    if ctx.settings.proposals_close_at is not None:
        return ctx.settings.proposals_close_at
    window = block_window(ctx.workshop)
    return window[1] if window else None


def run(
    ctx: Context, args: NewProposal | Withdraw
) -> Proposed | Duplicate | ProposalsClosed | Withdrawn | Notice:
    """Propose a topic, or withdraw one of your own."""
    if isinstance(args, Withdraw):
        if not is_number(args.number):
            raise UsageError(USAGE, WHICH)
        return _withdraw(ctx, args.number)
    title, description = args.title, args.description
    closes = closes_at(ctx)
    # Stored under the name the request carries; the platform's display name is looked up
    # off the request, before the proposal is posted (``_sign_and_post``).
    name = ctx.caller.name
    # Organizers seed topics; everyone else has a limit of open proposals at once.
    limit = None if ctx.caller.is_organizer else ctx.settings.proposals_per_person
    with ctx.db() as db:
        result = propose(db, ctx.caller.key, name, title, description, ctx.now, closes, limit)
    match result.outcome:
        case ProposeOutcome.INVALID:
            raise UsageError(USAGE, result.message)
        case ProposeOutcome.CLOSED:
            return ProposalsClosed(result.message)
        case ProposeOutcome.LIMIT:
            return Notice(result.message, Tone.REFUSED)
        case ProposeOutcome.DUPLICATE:
            return Duplicate(result)
    assert result.proposal is not None  # just stored
    channel = ctx.platform.proposals_channel if ctx.platform.can(Capability.CHANNELS) else None
    ctx.after(_sign_and_post, ctx, result.proposal.number)
    return Proposed(result, channel)


def _sign_and_post(ctx: Context, number: int) -> None:
    """Put the proposer's display name on their proposal (a lookup within the platform's
    limits, off the request), then post it: the channel sees the name, not the handle."""
    name = ctx.platform.name_of(ctx.caller.user_id, ctx.caller.name)
    if name != ctx.caller.name:
        with ctx.db() as db:
            rename_author(db, number, name)
    ctx.services.proposal_posts.post(number, _not_posted(ctx, number))


def _not_posted(ctx: Context, number: int) -> OnPostError:
    def tell(platform: str, reason: str) -> None:
        if platform == ctx.platform.name:  # the other platforms' failures are in their logs
            ctx.tell(ProposalNotPosted(number, platform, reason))

    return tell


def _withdraw(ctx: Context, number: int) -> Withdrawn | Notice:
    closed = counts_closed(ctx, "Withdrawals")
    if closed is not None:
        return closed
    with ctx.db() as db:
        result = withdraw(db, ctx.caller.key, number, ctx.now)
    if result.ok:
        gone_away(ctx, number)
    return Withdrawn(result)


def gone_away(ctx: Context, number: int) -> PlannedSession | None:
    """Proposal ``number`` was withdrawn, merged or removed: its messages say so, and a
    published session of it is cancelled (the schedule and its change notice follow)."""
    ctx.after(ctx.services.proposal_posts.refresh, number)
    return cancel_planned(ctx.services.db, ctx.services.schedule, number)


COMMAND = Command(
    name="propose",
    usage=USAGE,
    run=run,
    parse=parse,
    help=(
        HelpEntry(
            "/propose <title> [-- text]", "Propose an unconference session; others vote with its button."
        ),
        HelpEntry(
            "/propose withdraw <n>", "Withdraw your proposal #n; its votes go back.", access=Access.AUTHOR
        ),
    ),
    # Withdrawing is for the proposal's author: ``withdraw`` checks the caller against it.
    subcommands=(Subcommand("withdraw", Access.AUTHOR),),
)
