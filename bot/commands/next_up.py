"""``/next [N]``: what is on now and what starts next."""

from __future__ import annotations

import re

from bot.commands.base import Command, HelpEntry, UsageError
from bot.commands.context import Context
from bot.commands.grammar import normalise, quote
from bot.whats_next import NextAnswer, whats_next

USAGE = (
    "Usage: `/next [N]`: what is on now and what starts next.\n"
    "`N` (1-10) shows the next N start times, e.g. `/next 3`."
)
MAX_NEXT = 10


def parse_next(text: str | None) -> int:
    """``/next [N]`` -> how many start times to show."""
    args = normalise(text)
    if not args:
        return 1
    # One rule and one message for anything else: written with ASCII digits, like every
    # number the bot reads ("３" and "٣" are not taken as 3, nor is "-1" a different error).
    if re.fullmatch(r"[0-9]{1,2}", args) and 1 <= int(args) <= MAX_NEXT:
        return int(args)
    raise UsageError(USAGE, f"I didn't understand `{quote(args)}`: N is a whole number from 1 to {MAX_NEXT}.")


def run(ctx: Context, text: str) -> NextAnswer:
    """What is on at ``ctx.now`` and the next N start times."""
    return whats_next(ctx.workshop, ctx.now, parse_next(text))


COMMAND = Command(
    name="next",
    usage=USAGE,
    run=run,
    help=(
        HelpEntry(
            "/next [N]",
            "What is on now (and how long it has left) and what starts next: time, room, speaker.",
        ),
    ),
    same_for_everyone=True,
    shareable=True,
)
