"""The reminders' ``Poster`` for Discord: a direct message to a member, by their user id.

Discord has no "post to a user": the bot opens (or gets back) its DM channel with the member,
``POST /users/@me/channels``, then posts there. The channel's id is remembered, so a second
reminder to the same member is one request. A member who shares no server with the bot, or
who turned off direct messages from server members, is refused with a code of its own
(``DM_REFUSED``): recorded by the runner, never retried.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from bot.announcements.messages import Message
from bot.announcements.poster import PostError, PostResult
from handlers.discord.personal import personal_message
from handlers.discord.poster import UNKNOWN_CHANNEL, as_post_error, nonce_of
from handlers.discord.rest import DiscordError, DiscordRest

# Discord's JSON error codes for a member the bot can never DM: unknown user, "cannot send
# messages to this user" (DMs from server members off, or the bot blocked), and no server
# in common any more (they left).
UNKNOWN_USER = 10013
CANNOT_MESSAGE_USER = 50007
NO_MUTUAL_GUILDS = 50278
DM_REFUSED = frozenset(f"discord_{code}" for code in (UNKNOWN_USER, CANNOT_MESSAGE_USER, NO_MUTUAL_GUILDS))
# Reminders a second over all members. Discord's global limit is 50 requests a second per bot,
# and a first DM to a member takes two (open the channel, post): this leaves room for the
# announcements and the answers to commands.
DM_RATE = 20.0


class DiscordDirectMessages:
    """Posts reminders and change notes to members' DM channels."""

    platform = "discord"
    MAX_CHANNELS = 20_000  # remembered DM channels; one per member is a handful of bytes

    def __init__(self, rest: DiscordRest):
        self.rest = rest
        self._channels: OrderedDict[str, str] = OrderedDict()
        self._lock = threading.Lock()

    def post(self, channel: str, message: Message) -> PostResult:
        """DM ``message`` to the member whose user id is ``channel``; ``PostError`` on any
        failure. Its nonce makes a post retried after a time-out land once."""
        dm = self._dm_channel(channel)
        body = {**personal_message(message), "nonce": nonce_of(message, channel), "enforce_nonce": True}
        try:
            posted = self.rest.request("POST", f"channels/{dm}/messages", body)
        except DiscordError as exc:
            if exc.code in (UNKNOWN_CHANNEL, CANNOT_MESSAGE_USER):
                self._forget(channel)  # a closed or refused channel is opened afresh next time
            raise as_post_error(exc) from None
        return PostResult(ts=str(posted["id"]))

    def join(self, channel: str) -> None:
        """A DM needs nothing joined."""
        raise PostError("discord_dm", hint="a direct message needs no channel to join")

    def _dm_channel(self, user_id: str) -> str:
        with self._lock:
            known = self._channels.get(user_id)
            if known is not None:
                self._channels.move_to_end(user_id)
                return known
        if not user_id.isdigit():  # ids are snowflakes; anything else never reaches the URL
            raise PostError(f"discord_{UNKNOWN_USER}", hint="not a Discord user id")
        try:
            opened = self.rest.request("POST", "users/@me/channels", {"recipient_id": user_id})
        except DiscordError as exc:
            raise as_post_error(exc) from None
        dm = str(opened["id"])
        with self._lock:
            self._channels[user_id] = dm
            while len(self._channels) > self.MAX_CHANNELS:
                self._channels.popitem(last=False)
        return dm

    def _forget(self, user_id: str) -> None:
        with self._lock:
            self._channels.pop(user_id, None)
