"""Slack listeners: one per file, each with ``register(app, services, platform, settings)``."""

from __future__ import annotations

from slack_bolt import App

from bot.platforms import Platform
from bot.services import Services
from handlers.slack.listeners import (
    app_home,
    pick_button,
    publish_button,
    share_button,
    slash_commands,
    vote_button,
)
from handlers.slack.settings import SlackSettings

LISTENERS = (slash_commands, share_button, vote_button, publish_button, pick_button, app_home)


def register_all(app: App, services: Services, platform: Platform, settings: SlackSettings) -> None:
    """Attach every listener to ``app``."""
    for module in LISTENERS:
        module.register(app, services, platform, settings)
