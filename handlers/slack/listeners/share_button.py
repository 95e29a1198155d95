"""The "Share in channel" button: posts the same answer to the channel for everyone."""

from __future__ import annotations

import json
import logging

from slack_bolt import App

from bot.commands.base import NotAllowed, Notice, Usage
from bot.commands.runner import COMMANDS, run_command
from bot.platforms import Platform
from bot.services import Services
from handlers.slack.caller import caller_of
from handlers.slack.markup import context
from handlers.slack.render import render
from handlers.slack.render.answers import SHARE_ACTION
from handlers.slack.render.mine import without_picks
from handlers.slack.settings import SlackSettings

logger = logging.getLogger(__name__)
NOT_SHARED = "Sorry, I couldn't share that answer."


def register(app: App, services: Services, platform: Platform, settings: SlackSettings) -> None:
    @app.action(SHARE_ACTION)
    def handle_share(ack, body, action, respond):
        ack()
        user = (body.get("user") or {}).get("id")
        caller = caller_of(user, (body.get("user") or {}).get("username"), settings)
        try:
            value = json.loads(action.get("value") or "{}")
            name, args = value["c"], value.get("a", "")
            # Only what our own button holds: a shareable command and its text.
            if caller is None or not isinstance(args, str) or not COMMANDS[name].shareable:
                raise KeyError(name)
        except (ValueError, KeyError, TypeError, AttributeError):
            logger.warning("share button with an unusable value from user %s", str(user)[:20])
            respond(response_type="ephemeral", replace_original=False, text=NOT_SHARED)
            return
        outcome = run_command(services, platform, caller, name, args).outcome
        if isinstance(outcome, (Usage, Notice, NotAllowed)):
            respond(response_type="ephemeral", replace_original=False, text=NOT_SHARED)
            return
        shared = render(outcome)
        # The share button itself is not shared; a line says who shared it.
        # Nor is anyone's Add/Remove: the channel's copy carries no personal buttons.
        blocks = [b for b in without_picks(shared["blocks"]) if b.get("type") != "actions"]
        blocks.append(context(f"Shared by <@{caller.user_id}>"))
        respond(response_type="in_channel", replace_original=False, blocks=blocks, text=shared["text"])
