"""The announcements' ``Poster`` for Discord: a message to a channel, Discord's errors in as
``PostError``. A nonce made from the ledger keys, enforced by Discord, makes a post retried
after a time-out land once."""

from __future__ import annotations

import hashlib
import logging

from bot.announcements.messages import Message
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


def nonce_of(message: Message) -> str:
    """25 characters naming the post's ledger keys: Discord drops a second post with the same
    nonce within minutes (``enforce_nonce``)."""
    return hashlib.sha256("|".join(message.keys).encode()).hexdigest()[:25]


class DiscordPoster:
    """Posts announcements with ``POST /channels/{id}/messages``."""

    platform = "discord"

    def __init__(self, rest: DiscordRest):
        self.rest = rest

    def post(self, channel: str, message: Message) -> PostResult:
        """Post ``message`` to ``channel``; raise ``PostError`` on any failure."""
        body = {**announcement_message(message), "nonce": nonce_of(message), "enforce_nonce": True}
        try:
            posted = self.rest.request("POST", f"channels/{channel}/messages", body)
        except DiscordError as exc:
            raise as_post_error(exc) from None
        return PostResult(ts=str(posted["id"]))

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
