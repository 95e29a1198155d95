"""Sending one member a file in their direct messages with the bot (a calendar, a CSV).

A DM, not the command's channel: the file is for the asker, and a slash command may come
from a conversation the bot is not in (a DM between two people), where it cannot post.
"""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.ports import PortError, PrivateFile
from handlers.slack.errors import error_code, needed_scope
from handlers.slack.markup import escape, inert


class SlackFiles:
    """``conversations.open`` then ``files.upload_v2`` into the member's DM."""

    def __init__(self, client: WebClient):
        self._client = client

    def send_file(self, user_id: str, file: PrivateFile) -> None:
        """Upload ``file`` into ``user_id``'s DM; ``PortError`` (with what to do) if refused."""
        try:
            channel = self._client.conversations_open(users=user_id)["channel"]["id"]
            self._client.files_upload_v2(
                channel=channel,
                content=file.content,
                filename=file.filename,
                title=file.title,
                initial_comment=f"{file.icon} *{inert(file.heading)}*{escape(file.comment)}",
            )
        except SlackApiError as exc:
            error = error_code(exc)
            hint = None
            if error == "missing_scope":
                hint = (
                    f"I can't send files yet: this Slack app lacks the `{needed_scope(exc) or 'im:write'}` "
                    "permission. An organizer can add it to the app and reinstall it."
                )
            raise PortError(error, hint) from None
        except OSError as exc:
            raise PortError(type(exc).__name__) from None
