"""``/propose <title> [-- <description>]`` and ``/propose withdraw <n>``."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import App

from bot.commands import UsageError
from bot.services import Services
from bot.unconference import ProposeOutcome, ProposeResult, propose, withdraw
from handlers.blocks import context, escape, plain_context, section
from handlers.common import Reply, reply
from handlers.unconf_blocks import channel_ref, proposal_card, proposal_line
from handlers.unconf_common import Followup, Unconf, answer_then, unconf_for

USAGE = (
    "Usage: `/propose <title> [-- <description>]`: propose an unconference session "
    "(a title of 3-150 characters; a description of up to 2,000).\n"
    "e.g. `/propose Debate on a toy task -- Let's try the protocol from the paper in pairs.`\n"
    "`/propose withdraw <n>` withdraws your proposal #n. `/proposals` lists them all."
)
_WITHDRAW = re.compile(r"withdraw\s+#?(\d{1,9})", re.IGNORECASE)
# The separator is "--" on its own; "C--" or "pre--post" in a title stays as typed.
_SEPARATOR = re.compile(r"(?:^|\s)--(?:\s|$)")


def parse(text: str) -> tuple[str, str] | int:
    """(title, description) to propose, or the number to withdraw."""
    stripped = text.strip()
    if not stripped or stripped.casefold() in ("help", "-h", "--help"):
        raise UsageError(USAGE)
    found = _WITHDRAW.fullmatch(stripped)
    if found:
        return int(found.group(1))
    if stripped.casefold() == "withdraw":
        raise UsageError(USAGE, "Which proposal? e.g. `/propose withdraw 7`.")
    title, *description = _SEPARATOR.split(stripped, maxsplit=1)
    return title, description[0] if description else ""


def build(ctx: Unconf, command: dict[str, Any], text: str, respond: Any) -> tuple[Reply, Followup | None]:
    """The reply to ``/propose <text>``, and the channel post to make after it."""
    parsed = parse(text)
    user = command["user_id"]
    if isinstance(parsed, int):
        return _withdraw(ctx, user, parsed)
    title, description = parsed
    now, closes = ctx.now(), ctx.closes_at()
    closed = closes is not None and now >= closes
    name = command.get("user_name") or user
    if not closed:
        name = ctx.names.get(user, name)
    with ctx.db() as db:
        result = propose(db, user, name, title, description, now, closes)
    match result.outcome:
        case ProposeOutcome.INVALID:
            raise UsageError(USAGE, result.message)
        case ProposeOutcome.CLOSED:
            blocks = [
                section("🔒 " + escape(result.message)),
                context("`/proposals` lists what was proposed."),
            ]
            return reply(blocks, result.message), None
        case ProposeOutcome.DUPLICATE:
            return _duplicate(result), None
    return _created(ctx, result, respond)


def _created(ctx: Unconf, result: ProposeResult, respond: Any) -> tuple[Reply, Followup | None]:
    p = result.proposal
    assert p is not None  # just stored
    channel = ctx.channel
    if channel:
        where = f"It's going up in {channel_ref(channel)} for votes; you can vote for it too."
    else:
        where = (
            "No unconference channel is set, so it isn't posted anywhere; people can see it and "
            "vote with `/proposals`. (Organizers: set UNCONFERENCE_CHANNEL or ANNOUNCE_CHANNEL.)"
        )
    blocks = [
        section(f"✅ {escape(result.message)} {where}"),
        *proposal_card(p),
        context(f"Changed your mind? `/propose withdraw {p.number}`"),
    ]

    def not_posted(error: str) -> None:
        respond(
            response_type="ephemeral",
            replace_original=False,
            text=(
                f"#{p.number} is stored, but I couldn't post it in the channel (Slack said `{escape(error)}`). "
                "People can still vote for it with `/proposals`."
            ),
        )

    followup = (lambda: ctx.posts.post(p.number, on_error=not_posted)) if channel else None
    return reply(blocks, f"{result.message} {proposal_line(p)}"), followup


def _duplicate(result: ProposeResult) -> Reply:
    blocks = [section("ℹ️ " + escape(result.message))]
    if result.proposal is not None:
        blocks += proposal_card(result.proposal)
    return reply(blocks, result.message)


def _withdraw(ctx: Unconf, user: str, number: int) -> tuple[Reply, Followup | None]:
    with ctx.db() as db:
        result = withdraw(db, user, number, ctx.now())
    blocks = [section(("✅ " if result.ok else "") + escape(result.message))]
    if result.proposal is not None and result.ok:
        blocks.append(plain_context(proposal_line(result.proposal)))
    followup = (lambda: ctx.posts.refresh(number)) if result.ok else None
    return reply(blocks, result.message), followup


def register(app: App, services: Services) -> None:
    ctx = unconf_for(app, services)

    @app.command("/propose")
    def handle_propose(ack, command, respond):
        answer_then(ack, command, lambda text: build(ctx, command, text, respond))
