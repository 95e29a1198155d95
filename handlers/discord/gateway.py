"""The Gateway (the default way to connect: only a bot token, no public URL), through
discord.py. Its interactions are handed, as Discord sent them, to the same ``Interactions``
the HTTP endpoint uses, and answered through the interaction callback."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import discord
import discord.http

from bot.my_agenda.store import follow_interest
from handlers.discord.app import DiscordApp
from handlers.discord.interactions import Malformed
from handlers.discord.rest import DiscordError

logger = logging.getLogger(__name__)


def point_at(api_url: str) -> None:
    """Send discord.py's REST calls to ``api_url`` (``DISCORD_API_URL``; tests: the fake)."""
    discord.http.Route.BASE = api_url.rstrip("/")


class Gateway:
    """A discord.py client whose interactions go to the app's ``Interactions``."""

    def __init__(self, app: DiscordApp):
        self.app = app
        point_at(app.settings.api_url)
        # Interactions arrive whatever the intents; neither intent here is privileged (the
        # scheduled events' one brings who clicked Interested on a session's event).
        self.client = discord.Client(intents=discord.Intents(guilds=True, guild_scheduled_events=True))
        # discord.py's own interaction parsing is replaced by ours: the payload as Discord
        # sent it goes to the command layer, and no view object holds any state.
        parsers = self.client._connection.parsers
        parsers["INTERACTION_CREATE"] = self._received
        parsers["GUILD_SCHEDULED_EVENT_USER_ADD"] = lambda data: self._interest(data, True)
        parsers["GUILD_SCHEDULED_EVENT_USER_REMOVE"] = lambda data: self._interest(data, False)

    def _received(self, data: dict[str, Any]) -> asyncio.Future:
        # Off the event loop: a command may wait on the database, never on the heartbeat.
        return asyncio.get_running_loop().run_in_executor(None, self.answer, data)

    def _interest(self, data: dict[str, Any], interested: bool) -> asyncio.Future:
        return asyncio.get_running_loop().run_in_executor(None, self.follow_interest, data, interested)

    def follow_interest(self, data: dict[str, Any], interested: bool) -> None:
        """*Interested* on a session's event puts the session in the member's agenda (and
        taking it back takes it out)."""
        event, user = str(data.get("guild_scheduled_event_id") or ""), str(data.get("user_id") or "")
        if not (event.isdigit() and user.isdigit()) or data.get("guild_id") != self.app.settings.guild_id:
            return
        services = self.app.interactions.services
        try:
            with services.session() as db:
                session_id = follow_interest(db, "discord", event, user, interested, services.clock.now())
        except Exception:  # a database away: the member's click stays on Discord's side
            logger.warning("following Interested on event %s failed", event, exc_info=True)
            return
        if session_id is not None:
            services.picks.forget(f"discord:{user}")
            logger.info(
                "discord:%s %s %s (Interested)", user, "picked" if interested else "dropped", session_id
            )

    def answer(self, interaction: dict[str, Any]) -> None:
        """Answer one interaction through its callback."""
        try:
            response = self.app.interactions.handle(interaction)
        except Malformed as exc:
            logger.warning("a Gateway interaction that is not one: %s", exc)
            return
        if isinstance(response, str):
            response = json.loads(response)
        path = f"interactions/{interaction.get('id')}/{interaction.get('token')}/callback"
        try:
            self.app.rest.request("POST", path, response, auth=False)
        except DiscordError as exc:
            logger.warning("answering interaction %s failed: %s", str(interaction.get("id"))[:25], exc)

    def run(self) -> None:
        """Connect and serve until interrupted (reconnecting as discord.py does)."""
        self.client.run(self.app.settings.bot_token or "", log_handler=None)
