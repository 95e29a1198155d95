"""Who is asking, from a Slack payload: a ``Caller`` for the core, and the text as typed."""

from __future__ import annotations

import logging
from typing import Any

from bot.commands.base import Caller, Notice, Tone
from bot.commands.runner import Answer, run_button
from bot.commands.vote import BUTTON_PROBLEM
from bot.platforms import Platform
from bot.services import Services
from handlers.slack.organizer_text import unescape
from handlers.slack.render import render
from handlers.slack.settings import MEMBER_ID, SlackSettings

logger = logging.getLogger(__name__)

PLATFORM = "slack"


def caller_of(user: Any, name: Any, settings: SlackSettings, zone: str | None = None) -> Caller | None:
    """The caller for a Slack member id and handle (and their zone, where the answer is
    theirs alone); None for an id that is not a member's (a tampered or malformed payload)."""
    user_id = str(user or "")
    if not MEMBER_ID.fullmatch(user_id):
        return None
    shown = str(name or "")[:200] or user_id
    return Caller(PLATFORM, user_id, shown, settings.is_organizer(user_id), zone)


def typed_text(text: Any) -> str:
    """A command's text as the person typed it: Slack's ``&amp; &lt; &gt;`` undone, once."""
    return unescape(str(text or ""))


def run_click(
    services: Services, platform: Platform, settings: SlackSettings, body, action, button: str
) -> Answer:
    """Run a button of the core for the member who clicked it."""
    user = body.get("user") or {}
    caller = caller_of(user.get("id"), user.get("username"), settings)
    if caller is None:
        logger.warning("%s button from an unusable user id", button)
        return Answer(Notice(BUTTON_PROBLEM, Tone.PROBLEM))
    return run_button(services, platform, caller, button, action.get("value"))


def button_listener(services: Services, platform: Platform, settings: SlackSettings, button: str):
    """The listener of one of the core's buttons: run the click, acknowledge, and answer the
    clicker privately through response_url (a round trip to Slack after the click's HTTP
    response, never in front of the acknowledgement)."""

    def handle(ack, body, action, respond):
        answer = run_click(services, platform, settings, body, action, button)
        ack()
        services.later(respond, {**render(answer.outcome), "replace_original": False})
        answer.start(services)

    handle.__name__ = f"handle_{button}_button"
    return handle
