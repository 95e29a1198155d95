"""The server's Events tab: sessions as Guild Scheduled Events, external ones at the room,
or in the room's voice or stage channel where ``DISCORD_ROOM_CHANNELS`` maps one."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from bot.ports import CalendarEvent, CalendarFull, PortError
from handlers.discord.rest import DiscordError, DiscordRest

logger = logging.getLogger(__name__)

MAX_EVENTS = 30038  # Discord's error code: the server holds 100 scheduled or active events
GUILD_ONLY = 2
STAGE, VOICE, EXTERNAL = 1, 2, 3
CANCELED = 4
_ENTITY_BY_CHANNEL_TYPE = {2: VOICE, 13: STAGE}


class DiscordCalendar:
    """``/guilds/{id}/scheduled-events``: create, edit and cancel."""

    def __init__(self, rest: DiscordRest, guild_id: str, room_channels: Mapping[str, str] | None = None):
        self._rest = rest
        self._guild = guild_id
        self._rooms = dict(room_channels or {})
        self._kinds: dict[str, int] = {}

    def create_event(self, event: CalendarEvent) -> str:
        """Create the event; ``CalendarFull`` at Discord's limit."""
        created = self._call("POST", f"guilds/{self._guild}/scheduled-events", self._body(event))
        return str(created["id"])

    def update_event(self, event_id: str, event: CalendarEvent) -> None:
        """Move or rename it."""
        self._call("PATCH", f"guilds/{self._guild}/scheduled-events/{event_id}", self._body(event))

    def cancel_event(self, event_id: str) -> None:
        """Cancel it: members who clicked Interested see it cancelled."""
        self._call("PATCH", f"guilds/{self._guild}/scheduled-events/{event_id}", {"status": CANCELED})

    def find_event(self, event: CalendarEvent) -> str | None:
        """The bot's event with ``event``'s name and start, among the server's."""
        listed = self._call("GET", f"guilds/{self._guild}/scheduled-events", None)
        start = event.start.astimezone(UTC)
        for found in listed or []:
            try:
                same_start = datetime.fromisoformat(found["scheduled_start_time"]) == start
            except (KeyError, TypeError, ValueError):
                continue
            if found.get("name") == event.title and same_start:
                return str(found["id"])
        return None

    def _body(self, event: CalendarEvent) -> dict[str, Any]:
        body: dict[str, Any] = {
            "name": event.title,
            "description": event.description,
            "privacy_level": GUILD_ONLY,
            "scheduled_start_time": event.start.astimezone(UTC).isoformat(),
            "scheduled_end_time": event.end.astimezone(UTC).isoformat(),
        }
        channel = self._rooms.get(event.location.casefold())
        kind = self._channel_kind(channel) if channel else EXTERNAL
        if kind == EXTERNAL:
            return {**body, "entity_type": EXTERNAL, "entity_metadata": {"location": event.location}}
        return {**body, "entity_type": kind, "channel_id": channel}

    def _channel_kind(self, channel: str) -> int:
        """Voice or stage for such a channel; a text channel's room stays an external event."""
        if channel not in self._kinds:
            try:
                found = self._rest.request("GET", f"channels/{channel}")
                self._kinds[channel] = _ENTITY_BY_CHANNEL_TYPE.get(found.get("type"), EXTERNAL)
            except DiscordError as exc:
                logger.warning("room channel %s: %s; its events are external", channel, exc)
                return EXTERNAL
        return self._kinds[channel]

    def _call(self, method: str, path: str, body: dict[str, Any] | None) -> Any:
        try:
            return self._rest.request(method, path, body)
        except DiscordError as exc:
            if exc.code == MAX_EVENTS:
                raise CalendarFull("discord_30038") from None
            raise PortError(f"discord_{exc.code or exc.status}") from None
