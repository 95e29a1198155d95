"""``/readings [all|<words>]``: papers for the reading session on now or next."""

from __future__ import annotations

from dataclasses import dataclass

from bot.commands.base import Command, HelpEntry, UsageError
from bot.commands.context import Context
from bot.commands.grammar import MAX_SEARCH, is_help, normalise
from bot.reading_list import ReadingsAnswer, all_readings, readings_for_now, search_readings

USAGE = (
    "Usage: `/readings [all|<words>]`: papers for the reading session on now or next.\n"
    "`all` lists every session's readings; words search titles, authors and topics, "
    "e.g. `/readings debate`."
)


@dataclass(frozen=True)
class ReadingsRequest:
    """``/readings`` arguments: ``mode`` is current, all or search."""

    mode: str
    query: str | None = None


def parse_readings(text: str | None) -> ReadingsRequest:
    """``/readings [all|<words>]``."""
    args = normalise(text)
    if not args:
        return ReadingsRequest("current")
    if args.casefold() == "all":
        return ReadingsRequest("all")
    if is_help(args):
        raise UsageError(USAGE)
    if len(args) > MAX_SEARCH:
        raise UsageError(USAGE, f"That search is too long ({MAX_SEARCH} characters at most).")
    return ReadingsRequest("search", args)


def run(ctx: Context, text: str) -> ReadingsAnswer:
    """The readings asked for, at ``ctx.now``."""
    request = parse_readings(text)
    if request.mode == "all":
        return all_readings(ctx.workshop, ctx.now)
    if request.mode == "search":
        return search_readings(ctx.workshop, ctx.now, request.query or "")
    return readings_for_now(ctx.workshop, ctx.now)


COMMAND = Command(
    name="readings",
    usage=USAGE,
    run=run,
    help=(
        HelpEntry(
            "/readings [all|words]",
            "Papers for the reading session on now or next; `all` for every session; words to search.",
        ),
    ),
    same_for_everyone=True,
    shareable=True,
)
