"""``/proposals``: open proposals by votes; ``/proposals mine``: the caller's own and votes."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from bot.commands import UsageError, normalise
from bot.services import Services
from bot.unconference import list_open, mine
from handlers.common import Reply, reply
from handlers.unconf_blocks import budget_line, mine_blocks, mine_text, open_list_blocks, proposal_line
from handlers.unconf_common import Followup, Unconf, answer_then, unconf_for

USAGE = (
    "Usage: `/proposals`: the open unconference proposals, most votes first, with Vote buttons.\n"
    "`/proposals mine`: your proposals and your votes."
)
_MINE = ("mine", "me", "my", "own")


def build(ctx: Unconf, command: dict[str, Any], text: str) -> tuple[Reply, Followup | None]:
    """The reply to ``/proposals <text>``."""
    args = normalise(text).casefold()
    if args not in ("", *_MINE):
        raise UsageError(
            USAGE, None if args in ("help", "-h", "--help") else "I only know `/proposals [mine]`."
        )
    user = command["user_id"]
    with ctx.db() as db:
        own = mine(db, user)
        proposals = () if args else list_open(db)
    if args:
        return reply(mine_blocks(own, ctx.budget), mine_text(own, ctx.budget)), None
    voted = {p.number for p in own.voted_for}
    blocks = open_list_blocks(proposals, voted, own.votes_used, ctx.budget, ctx.channel)
    text = "\n".join(
        [f"Open proposals: {len(proposals)}. {budget_line(own.votes_used, ctx.budget)}"]
        + [proposal_line(p) for p in proposals]
    )
    return reply(blocks, text), None


def register(app: App, services: Services) -> None:
    ctx = unconf_for(app, services)

    @app.command("/proposals")
    def handle_proposals(ack, command):
        answer_then(ack, command, lambda text: build(ctx, command, text))
