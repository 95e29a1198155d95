"""The announcements' ``Poster`` for Discord: a message to a channel, Discord's errors in as
``PostError``. A nonce made from the ledger keys, enforced by Discord, makes a post retried
after a time-out land once."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from dataclasses import replace

from bot.announcements.messages import Message, SessionStart
from bot.announcements.poster import RATE_LIMITED, PostError, PostResult
from handlers.discord.announcements import announcement_message
from handlers.discord.rest import DiscordError, DiscordRest

logger = logging.getLogger(__name__)

# Discord's JSON error codes (https://discord.com/developers/docs/topics/opcodes-and-status-codes).
UNKNOWN_CHANNEL = 10003
MISSING_ACCESS = 50001
MISSING_PERMISSIONS = 50013
_HINTS = {
    UNKNOWN_CHANNEL: "DISCORD_ANNOUNCE_CHANNEL names no channel the bot can see: copy the channel's id again.",
    MISSING_ACCESS: "The bot cannot see that channel: give its role View Channel there.",
    MISSING_PERMISSIONS: "The bot may not post there: give its role Send Messages and Embed Links in that channel.",
}


def nonce_of(message: Message, channel: str = "") -> str:
    """25 characters naming the post's ledger keys (and channel): Discord drops a second post
    with the same nonce within minutes (``enforce_nonce``)."""
    return hashlib.sha256("|".join((channel, *message.keys)).encode()).hexdigest()[:25]


class DiscordPoster:
    """Posts announcements with ``POST /channels/{id}/messages``."""

    platform = "discord"

    def __init__(
        self, rest: DiscordRest, room_channels: Mapping[str, str] | None = None, threads: bool = False
    ):
        self.rest = rest
        self.room_channels = dict(room_channels or {})
        self.threads = threads

    def post(self, channel: str, message: Message) -> PostResult:
        """Post ``message`` to ``channel``; raise ``PostError`` on any failure. A session
        start is then also posted in its room's channel, and gets its thread, when asked for."""
        body = {**announcement_message(message), "nonce": nonce_of(message), "enforce_nonce": True}
        try:
            posted = self.rest.request("POST", f"channels/{channel}/messages", body)
        except DiscordError as exc:
            raise as_post_error(exc) from None
        if isinstance(message, SessionStart):
            if self.threads:
                self._thread(channel, str(posted["id"]), message)
            self._in_rooms(channel, message)
        return PostResult(ts=str(posted["id"]))

    def _thread(self, channel: str, message_id: str, message: SessionStart) -> None:
        # One thread for questions under the announcement; a refusal (no Create Public
        # Threads) costs the thread, never the announcement.
        name = " · ".join(s.title for s in message.sessions)[:100] or "Questions"
        try:
            self.rest.request(
                "POST",
                f"channels/{channel}/messages/{message_id}/threads",
                {"name": name, "auto_archive_duration": 1440},
            )
        except DiscordError as exc:
            logger.warning("no thread for the announcement %s in %s: %s", message_id, channel, exc)

    def _in_rooms(self, channel: str, message: SessionStart) -> None:
        """Each room's sessions in the room's own channel too. Best effort, after the main
        post is settled; its nonce keeps a retried main post from repeating it."""
        by_room: dict[str, list] = {}
        for s in message.sessions:
            for name in (s.room, s.track):
                target = self.room_channels.get((name or "").casefold())
                if target and target != channel:
                    by_room.setdefault(target, []).append(s)
                    break
        for target, sessions in by_room.items():
            part = replace(message, sessions=tuple(sessions))
            body = {**announcement_message(part), "nonce": nonce_of(part, target), "enforce_nonce": True}
            try:
                self.rest.request("POST", f"channels/{target}/messages", body)
            except DiscordError as exc:
                logger.warning("room channel %s missed %s: %s", target, ", ".join(part.keys), exc)

    def join(self, channel: str) -> None:
        """Discord has nothing to join: a bot sees what its role may see."""
        raise PostError("missing_access", hint=_HINTS[MISSING_ACCESS])


def as_post_error(exc: DiscordError) -> PostError:
    """Discord's refusal as the core's ``PostError``."""
    if exc.status == 429:
        return PostError(RATE_LIMITED, retryable=True, retry_after=exc.retry_after or 1.0)
    if exc.status == 0:
        return PostError(exc.message or "connection_error", retryable=True, maybe_posted=exc.maybe_sent)
    if exc.status >= 500:
        return PostError("server_error", retryable=True)
    return PostError(f"discord_{exc.code or exc.status}", hint=_HINTS.get(exc.code))
