"""Small pieces every Slack listener shares: replies, usage errors, and a safety net."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Hashable
from datetime import datetime
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from bot.commands import UsageError
from bot.schedule.model import Workshop
from bot.services import Services
from handlers.blocks import Blocks, escape, share_button, usage_blocks

logger = logging.getLogger(__name__)

Reply = dict[str, Any]
SORRY = "Sorry, something went wrong on our side. Please try again in a moment."
TRY_AGAIN = (
    "The bot's database is briefly unavailable, so nothing was saved. Please try again in a few seconds."
)


def reply(blocks: Blocks, text: str, share: tuple[str, str] | None = None) -> Reply:
    """An ephemeral reply; ``share`` = (command, args) adds the "Share in channel" button."""
    if share is not None:
        blocks = [*blocks[:49], share_button(*share)]
    return {"response_type": "ephemeral", "blocks": blocks, "text": escape(text)[:3000]}


def usage_reply(error: UsageError) -> Reply:
    """The command's usage, with what was wrong, as an ephemeral reply."""
    return reply(usage_blocks(error.usage, error.problem), str(error))


def memoised_json(
    services: Services, question: Hashable, build: Callable[[Workshop, datetime], Reply]
) -> str:
    """``build``'s reply as JSON text, made once per minute and schedule.

    Acknowledging with the JSON text (Bolt sends a body that starts with ``{`` as
    application/json, over HTTP and Socket Mode alike) spares Bolt serialising the same
    reply again for every request: most of a warm /next's cost.
    """
    workshop = services.workshop
    return services.answers.get(
        workshop, services.clock.now(), question, lambda minute: json.dumps(build(workshop, minute))
    )


def answer_command(
    ack: Callable[..., Any], command: dict[str, Any], build: Callable[[str], Reply | str]
) -> None:
    """Run ``build(text)`` and acknowledge with its reply; usage errors and failures become
    friendly messages, never a stack trace in Slack."""
    try:
        response = build(command.get("text") or "")
    except UsageError as exc:
        response = usage_reply(exc)
    except SQLAlchemyError:
        # The database restarting or unreachable: nothing was acknowledged, so nothing is
        # lost; the pool's pre-ping reconnects by itself once it is back.
        logger.warning(
            "command %s: database unavailable (user %s)",
            command.get("command"),
            command.get("user_id"),
            exc_info=True,
        )
        response = reply(usage_blocks(TRY_AGAIN), TRY_AGAIN)
    except Exception:
        logger.exception("command %s failed (user %s)", command.get("command"), command.get("user_id"))
        response = reply(usage_blocks(SORRY), SORRY)
    if isinstance(response, str):
        ack(response)  # already JSON: see memoised_json
    else:
        ack(**response)
