"""The Add/Remove buttons (and the menu under ``/schedule``): the core adds or removes the
pick; the clicker is told privately, and their Home tab is published again."""

from __future__ import annotations

from slack_bolt import App

from bot.commands.base import Notice, Tone
from bot.commands.mine import PICK_PROBLEM
from bot.commands.runner import run_button
from bot.platforms import Platform
from bot.services import Services
from handlers.slack.caller import caller_of
from handlers.slack.home import publish_home
from handlers.slack.render import render
from handlers.slack.render.mine import PICK_ACTION
from handlers.slack.settings import SlackSettings
from handlers.slack.zones import SlackZones


def register(app: App, services: Services, platform: Platform, settings: SlackSettings) -> None:
    zones = SlackZones(app.client)

    @app.action(PICK_ACTION)
    def handle_pick_button(ack, body, action, respond, client):
        user = body.get("user") or {}
        caller = caller_of(user.get("id"), user.get("username"), settings)
        # A button carries "value"; the menu under /schedule its chosen option's.
        value = action.get("value") or (action.get("selected_option") or {}).get("value")
        if caller is None or not isinstance(value, str):
            ack()
            services.later(respond, {**render(Notice(PICK_PROBLEM, Tone.PROBLEM)), "replace_original": False})
            return
        answer = run_button(services, platform, caller, "pick", value)
        ack()
        in_home = (body.get("container") or {}).get("type") == "view"
        if not in_home:
            services.later(respond, {**render(answer.outcome), "replace_original": False})
        services.later(publish_home, client, services, platform, caller, zones)
        answer.start(services)
