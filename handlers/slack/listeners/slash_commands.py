"""Every slash command: Slack's payload to a caller and text, the core's command, the reply."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App
from sqlalchemy.exc import SQLAlchemyError

from bot.commands.base import SORRY, Caller, Command, NotAllowed, Notice, Tone, Usage
from bot.commands.runner import COMMANDS, Answer, run_command
from bot.my_agenda.store import Mine, mine_of
from bot.my_agenda.view import MyDay
from bot.platforms import Platform
from bot.services import Services
from bot.whats_next import NextAnswer
from handlers.rendered import RenderedReplies
from handlers.slack.caller import caller_of, typed_text
from handlers.slack.render import render
from handlers.slack.render.answers import share_button
from handlers.slack.render.mine import mark_picked
from handlers.slack.settings import SlackSettings
from handlers.slack.zones import SlackZones

logger = logging.getLogger(__name__)


def _personal(name: str, text: str) -> bool:
    """Whether the answer is the caller's own agenda, whose times also show in their zone."""
    return name == "mine" or (name == "schedule" and text.split()[:1] == ["mine"])


def register(app: App, services: Services, platform: Platform, settings: SlackSettings) -> None:
    rendered = RenderedReplies()
    # Replies to one person's own agenda, apart from the shared ones so they never push them out.
    personal = RenderedReplies(4096)
    zones = SlackZones(app.client)
    for command in COMMANDS.values():
        listener = _listener(command, services, platform, settings, (rendered, personal), zones)
        app.command(f"/{command.name}")(listener)


def _listener(
    command: Command,
    services: Services,
    platform: Platform,
    settings: SlackSettings,
    replies: tuple[RenderedReplies, RenderedReplies],
    zones: SlackZones,
):
    rendered, personal_replies = replies

    def run(ack, body: dict[str, Any], tell) -> tuple[Answer, str, Caller] | None:
        text = typed_text(body.get("text"))
        user = body.get("user_id")
        zone = (
            zones.zone_of(user)
            if _personal(command.name, text.casefold()) and isinstance(user, str)
            else None
        )
        caller = caller_of(user, body.get("user_name"), settings, zone)
        if caller is None:
            logger.warning("/%s with an unusable user id", command.name)
            ack(**reply_for(Answer(Notice(SORRY, Tone.PROBLEM)), command, text))
            return None
        return run_command(services, platform, caller, command.name, text, tell), text, caller

    def handle(ack, body: dict[str, Any], respond) -> None:
        ran = run(ack, body, private(respond))
        if ran is not None:
            answer, text, _caller = ran
            if isinstance(answer.outcome, MyDay):
                # One person's agenda, the same all the half minute: its JSON made once.
                ack(personal_replies.json(answer.outcome, text, lambda: reply_for(answer, command, text)))
            else:
                ack(**reply_for(answer, command, text))
            answer.start(services)

    def handle_same_for_everyone(ack, body: dict[str, Any]) -> None:
        # Nothing follows and nothing is told later, so Bolt need not build a responder; the
        # reply, the same for everyone this minute, is JSON made once.
        ran = run(ack, body, None)
        if ran is not None:
            answer, text, caller = ran
            marks = _marks(services, caller, answer.outcome)
            if not marks:
                ack(rendered.json(answer.outcome, text, lambda: reply_for(answer, command, text)))
                return
            # The reader's own picks shown as Remove: one more variant of the same reply.
            ack(
                rendered.json(
                    answer.outcome, (text, marks), lambda: _marked(reply_for(answer, command, text), marks)
                )
            )

    chosen = handle_same_for_everyone if command.same_for_everyone else handle
    chosen.__name__ = f"handle_{command.name}"
    return chosen


def _marks(services: Services, caller: Caller, outcome: Any) -> frozenset[str]:
    """Which of the sessions in ``outcome`` the caller picked (from memory, mostly)."""
    if services.db is None or not isinstance(outcome, NextAnswer):
        return frozenset()

    def load() -> Mine:
        with services.session() as db:
            return mine_of(db, caller.key)

    try:
        picked = services.picks.get(caller.key, load).picks
    except SQLAlchemyError:  # the buttons say Add; a click still does the right thing
        return frozenset()
    if not picked:
        return picked
    shown = [*outcome.current, *(s for slot in outcome.upcoming for s in slot.sessions)]
    return frozenset(s.id for s in shown if s.id in picked)


def _marked(reply: dict[str, Any], marks: frozenset[str]) -> dict[str, Any]:
    return {**reply, "blocks": mark_picked(reply["blocks"], marks)}


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
