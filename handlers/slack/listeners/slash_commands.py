"""Every slash command: Slack's payload to a caller and text, the core's command, the reply."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App

from bot.commands.base import SORRY, Command, NotAllowed, Notice, Tone, Usage
from bot.commands.runner import COMMANDS, Answer, run_command
from bot.platforms import Platform
from bot.services import Services
from handlers.slack.caller import caller_of, typed_text
from handlers.slack.render import render
from handlers.slack.render.answers import share_button
from handlers.slack.rendered import RenderedReplies
from handlers.slack.settings import SlackSettings

logger = logging.getLogger(__name__)


def register(app: App, services: Services, platform: Platform, settings: SlackSettings) -> None:
    rendered = RenderedReplies()
    for command in COMMANDS.values():
        app.command(f"/{command.name}")(_listener(command, services, platform, settings, rendered))


def _listener(command: Command, services: Services, platform: Platform, settings: SlackSettings, rendered):
    def handle(ack, body: dict[str, Any], respond) -> None:
        caller = caller_of(body.get("user_id"), body.get("user_name"), settings)
        text = typed_text(body.get("text"))
        if caller is None:
            logger.warning("/%s with an unusable user id", command.name)
            ack(**reply_for(Answer(Notice(SORRY, Tone.PROBLEM)), command, text))
            return
        answer = run_command(services, platform, caller, command.name, text, tell=private(respond))
        if command.same_for_everyone:
            ack(rendered.json(answer.outcome, text, lambda: reply_for(answer, command, text)))
        else:
            ack(**reply_for(answer, command, text))
        answer.start(services)

    handle.__name__ = f"handle_{command.name}"
    return handle


def reply_for(answer: Answer, command: Command, text: str) -> dict[str, Any]:
    """The Slack reply to ``answer``, with the Share button where the command has one."""
    try:
        reply = render(answer.outcome)
    except Exception:
        logger.exception("rendering /%s failed", command.name)
        return render(Notice(SORRY, Tone.PROBLEM))
    if command.shareable and not isinstance(answer.outcome, (Notice, Usage, NotAllowed)):
        reply["blocks"] = [*reply["blocks"][:49], share_button(command.name, text)]
    return reply


def private(respond):
    """Tells the caller something later, privately, through the command's response_url."""

    def tell(outcome: Any) -> None:
        respond(**{**render(outcome), "replace_original": False})

    return tell
