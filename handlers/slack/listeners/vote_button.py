"""The Vote button: the core toggles the clicker's vote; the answer goes to them privately."""

from __future__ import annotations

from slack_bolt import App

from bot.platforms import Platform
from bot.services import Services
from handlers.slack.caller import button_listener
from handlers.slack.render.unconf import VOTE_ACTION
from handlers.slack.settings import SlackSettings


def register(app: App, services: Services, platform: Platform, settings: SlackSettings) -> None:
    app.action(VOTE_ACTION)(button_listener(services, platform, settings, "vote"))
