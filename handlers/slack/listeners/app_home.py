"""``app_home_opened``: the member's Home tab, published as it stands now."""

from __future__ import annotations

from slack_bolt import App

from bot.platforms import Platform
from bot.services import Services
from handlers.slack.caller import caller_of
from handlers.slack.home import publish_home
from handlers.slack.settings import SlackSettings
from handlers.slack.zones import SlackZones


def register(app: App, services: Services, platform: Platform, settings: SlackSettings) -> None:
    zones = SlackZones(app.client)

    @app.event("app_home_opened")
    def handle_app_home_opened(event, client):
        if event.get("tab") not in (None, "home"):
            return  # the Messages tab: nothing to publish
        caller = caller_of(event.get("user"), None, settings)
        if caller is None:
            return
        services.later(publish_home, client, services, platform, caller, zones)
