"""Sending one member a file in their direct messages with the bot (a calendar, a CSV)."""

from __future__ import annotations

from bot.ports import PortError, PrivateFile
from handlers.discord.markup import NOTHING_MENTIONED, escape
from handlers.discord.rest import DiscordError, DiscordRest

CANNOT_DM = 50007  # the member allows no direct messages from this server's members
DMS_OFF = (
    "I couldn't send you a direct message: your privacy settings for this server don't allow them. "
    "Turn on Direct Messages for the server (click its name > Privacy Settings) and try again."
)


class DiscordFiles:
    """``POST /users/@me/channels`` (the DM) then a message with the file attached."""

    def __init__(self, rest: DiscordRest):
        self._rest = rest

    def send_file(self, user_id: str, file: PrivateFile) -> None:
        """Send ``file`` to ``user_id``'s DM; ``PortError`` (with what to do) if refused."""
        body = {
            "content": f"{file.icon} **{escape(file.heading)}**{escape(file.comment)}"[:2000],
            "attachments": [{"id": "0", "filename": file.filename, "description": file.title[:1024]}],
            "allowed_mentions": NOTHING_MENTIONED,
        }
        try:
            channel = self._rest.request("POST", "users/@me/channels", {"recipient_id": user_id})["id"]
            self._rest.request(
                "POST", f"channels/{channel}/messages", body, files={file.filename: file.content}
            )
        except DiscordError as exc:
            raise PortError(
                f"discord_{exc.code or exc.status}", DMS_OFF if exc.code == CANNOT_DM else None
            ) from None
