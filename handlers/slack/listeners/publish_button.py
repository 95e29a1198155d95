"""The Publish button under a draft plan: the core publishes exactly the draft shown."""

from __future__ import annotations

from slack_bolt import App

from bot.platforms import Platform
from bot.services import Services
from handlers.slack.caller import button_listener
from handlers.slack.render.plans import PUBLISH_ACTION
from handlers.slack.settings import SlackSettings


def register(app: App, services: Services, platform: Platform, settings: SlackSettings) -> None:
    app.action(PUBLISH_ACTION)(button_listener(services, platform, settings, "publish"))
