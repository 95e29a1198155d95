"""Every slash command: Slack's payload to a caller and text, the core's command, the reply."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App

from bot.commands.base import SORRY, Command, NotAllowed, Notice, Tone, Usage
from bot.commands.runner import COMMANDS, Answer, run_command
from bot.platforms import Platform
from bot.services import Services
from handlers.rendered import RenderedReplies
from handlers.slack.caller import caller_of, typed_text
from handlers.slack.render import render
from handlers.slack.render.answers import share_button
from handlers.slack.settings import SlackSettings

logger = logging.getLogger(__name__)


def register(app: App, services: Services, platform: Platform, settings: SlackSettings) -> None:
    rendered = RenderedReplies()
    for command in COMMANDS.values():
        app.command(f"/{command.name}")(_listener(command, services, platform, settings, rendered))


def _listener(command: Command, services: Services, platform: Platform, settings: SlackSettings, rendered):
    def run(ack, body: dict[str, Any], tell) -> tuple[Answer, str] | None:
        caller = caller_of(body.get("user_id"), body.get("user_name"), settings)
        text = typed_text(body.get("text"))
        if caller is None:
            logger.warning("/%s with an unusable user id", command.name)
            ack(**reply_for(Answer(Notice(SORRY, Tone.PROBLEM)), command, text))
            return None
        return run_command(services, platform, caller, command.name, text, tell), text

    def handle(ack, body: dict[str, Any], respond) -> None:
        ran = run(ack, body, private(respond))
        if ran is not None:
            ack(**reply_for(ran[0], command, ran[1]))
            ran[0].start(services)

    def handle_same_for_everyone(ack, body: dict[str, Any]) -> None:
        # Nothing follows and nothing is told later, so Bolt need not build a responder; the
        # reply, the same for everyone this minute, is JSON made once.
        ran = run(ack, body, None)
        if ran is not None:
            answer, text = ran
            ack(rendered.json(answer.outcome, text, lambda: reply_for(answer, command, text)))

    chosen = handle_same_for_everyone if command.same_for_everyone else handle
    chosen.__name__ = f"handle_{command.name}"
    return chosen


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
