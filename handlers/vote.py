"""The Vote button: toggles the clicker's vote, answers them privately, updates the count."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import App
from sqlalchemy.exc import SQLAlchemyError

from bot.services import Services
from bot.unconference import VoteOutcome, mine, toggle_vote
from handlers.common import SORRY, TRY_AGAIN
from handlers.unconf_blocks import VOTE_ACTION, vote_reply
from handlers.unconf_common import BUTTON_PROBLEM, NO_DATABASE, NoDatabase, Unconf, unconf_for

logger = logging.getLogger(__name__)

# Proposal numbers are database ids: positive, and within PostgreSQL's integer.
_NUMBER = re.compile(r"[1-9]\d{0,8}")


def parse_value(value: Any) -> int | None:
    """The proposal number a Vote button carries, or None if the value was tampered with."""
    if isinstance(value, str) and _NUMBER.fullmatch(value):
        return int(value)
    return None


def click(ctx: Unconf, user: str, value: Any) -> dict[str, Any]:
    """Toggle ``user``'s vote for the button's proposal; the private answer to show them."""
    number = parse_value(value)
    if number is None or not re.fullmatch(r"[UW][A-Z0-9]+", user):
        logger.warning("vote button with an unusable value from user %s", user[:20])
        return {"text": BUTTON_PROBLEM}
    try:
        with ctx.db() as db:
            result = toggle_vote(db, user, number, ctx.budget, ctx.now())
            spent = result.outcome is VoteOutcome.BUDGET_SPENT
            my_votes = mine(db, user).voted_for if spent else ()
    except NoDatabase:
        return {"text": NO_DATABASE}
    except SQLAlchemyError:
        logger.warning("vote by %s on #%d: database unavailable", user, number, exc_info=True)
        return {"text": TRY_AGAIN}
    if result.changed:
        ctx.posts.refresh(number)
    return vote_reply(result, my_votes)


def register(app: App, services: Services) -> None:
    ctx = unconf_for(app, services)

    @app.action(VOTE_ACTION)
    def handle_vote(ack, body, action, respond):
        ack()
        user = str((body.get("user") or {}).get("id") or "")
        try:
            answer = click(ctx, user, action.get("value"))
        except Exception:
            logger.exception("vote by %s failed", user[:20])
            answer = {"text": SORRY}
        # The answer goes out through response_url after the click's HTTP response: a
        # round trip to Slack must not hold up the acknowledgement.
        ctx.later(respond, {"response_type": "ephemeral", "replace_original": False, **answer})
