"""The one factory that builds the Discord app from Discord's settings, a REST client and the
core's services, and the start-up work: registering the commands for the server."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from bot.commands.base import Capability
from bot.platforms import Platform
from bot.services import Services
from handlers.discord.commands import definitions
from handlers.discord.endpoint import make_endpoint
from handlers.discord.files import DiscordFiles
from handlers.discord.interactions import Interactions
from handlers.discord.proposal_messages import DiscordProposalMessages
from handlers.discord.rest import DiscordError, DiscordRest
from handlers.discord.settings import DiscordSettings

logger = logging.getLogger(__name__)

PLATFORM = "discord"


class RegistrationFailed(Exception):
    """Discord refused the commands (a wrong token, application or server id)."""


def make_platform(settings: DiscordSettings, rest: DiscordRest) -> Platform:
    """Discord as the core sees it: buttons, files (in a DM) and channels, through the REST API."""
    return Platform(
        name=PLATFORM,
        capabilities=frozenset({Capability.BUTTONS, Capability.FILES, Capability.CHANNELS}),
        files=DiscordFiles(rest),
        proposal_messages=DiscordProposalMessages(rest),
        announce_channel=settings.announce_channel,
        unconference_channel=settings.unconference_channel,
        organizers=tuple(sorted(settings.organizer_ids)),
    )


@dataclass
class DiscordApp:
    """Discord's part of the bot: its platform, its interactions, its HTTP endpoint."""

    settings: DiscordSettings
    rest: DiscordRest
    platform: Platform
    interactions: Interactions
    # The Events tab's sync, once started (it needs DISCORD_SCHEDULED_EVENTS and a database).
    calendar_sync: Any = None

    def endpoint(self):
        """The WSGI application of ``POST /discord/interactions`` (HTTP mode)."""
        assert self.settings.public_key, "HTTP mode needs DISCORD_PUBLIC_KEY"
        return make_endpoint(self.interactions, self.settings.public_key)

    def application_id(self) -> str:
        """The application's id: from the settings, else asked of Discord (the token's own)."""
        if self.settings.application_id:
            return self.settings.application_id
        return str(self.rest.request("GET", "applications/@me")["id"])

    def register_commands(self) -> int:
        """Put every command on the server in one bulk overwrite, so they appear at once and
        stale ones go; returns how many. ``RegistrationFailed`` saying why."""
        try:
            app_id = self.application_id()
            path = f"applications/{app_id}/guilds/{self.settings.guild_id}/commands"
            registered = self.rest.request("PUT", path, definitions())
        except DiscordError as exc:
            hint = {
                401: "DISCORD_BOT_TOKEN is wrong: reset it under Bot in the Developer Portal.",
                403: "the bot is not on that server, or lacks applications.commands: invite it with `awair-bot discord invite`.",
                404: "DISCORD_APPLICATION_ID or DISCORD_GUILD_ID names nothing Discord knows.",
            }.get(exc.status, str(exc))
            raise RegistrationFailed(hint) from None
        logger.info("registered %d commands on server %s", len(registered), self.settings.guild_id)
        return len(registered)


def make_rest(settings: DiscordSettings) -> DiscordRest:
    """A REST client for the bot token, pointed at ``DISCORD_API_URL``."""
    return DiscordRest(settings.bot_token, settings.api_url)


def create_app(settings: DiscordSettings, services: Services, rest: DiscordRest | None = None) -> DiscordApp:
    """Build the Discord app and add Discord to ``services``' platforms. Pass ``rest`` to talk
    to another Discord (tests: the fake server)."""
    rest = rest or make_rest(settings)
    platform = services.add_platform(make_platform(settings, rest))
    return DiscordApp(settings, rest, platform, Interactions(services, platform, settings, rest))
