"""The "Share in channel" button: posts the same answer to the channel for everyone."""

from __future__ import annotations

import json
import logging

from slack_bolt import App

from bot.commands import UsageError
from bot.services import Services
from handlers import next as next_command
from handlers import readings as readings_command
from handlers.blocks import SHARE_ACTION, context

logger = logging.getLogger(__name__)

_BUILDERS = {"next": next_command.build_reply, "readings": readings_command.build_reply}


def register(app: App, services: Services) -> None:
    @app.action(SHARE_ACTION)
    def handle_share(ack, body, action, respond):
        ack()
        try:
            value = json.loads(action.get("value") or "{}")
            build = _BUILDERS[value["c"]]
            shared = build(services, str(value.get("a", "")))
        except (ValueError, KeyError, TypeError, UsageError):
            logger.warning("share button with an unusable value from user %s", body.get("user", {}).get("id"))
            respond(
                response_type="ephemeral",
                replace_original=False,
                text="Sorry, I couldn't share that answer.",
            )
            return
        user = body.get("user", {}).get("id", "")
        # The share button itself is not shared; a line says who shared it.
        blocks = [b for b in shared["blocks"] if b.get("type") != "actions"]
        blocks.append(context(f"Shared by <@{user}>" if user.isalnum() else "Shared from /" + value["c"]))
        respond(response_type="in_channel", replace_original=False, blocks=blocks, text=shared["text"])
