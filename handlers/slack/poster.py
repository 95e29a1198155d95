"""The announcements' ``Poster`` for Slack: Block Kit out, Slack's errors in as ``PostError``."""

from __future__ import annotations

import logging
import socket
import urllib.error
from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import metrics
from bot.announcements.messages import Message, OrganizerPost, render_text
from bot.announcements.poster import RATE_LIMITED, PostError, PostResult
from bot.my_agenda.messages import personal_text
from bot.my_agenda.reminders import AgendaChange, Reminder
from bot.timefmt import clock
from handlers.slack.client import PooledWebClient
from handlers.slack.errors import NOT_IN_CHANNEL, error_code, hint_for
from handlers.slack.markup import escape, inert
from handlers.slack.organizer_text import organizer_markup
from handlers.slack.pacing import SlackLimits
from handlers.slack.render.announcements import announcement_blocks

logger = logging.getLogger(__name__)

METADATA_EVENT = "awair_announcement"
# chat.postMessage's errors for a DM that can never reach the member: a bot, a member who
# left or was deactivated. Their reminders stop (recorded) rather than being retried.
DM_REFUSED = frozenset({"cannot_dm_bot", "user_not_found", "user_disabled", "account_inactive"})
# How fast reminders go out over all members. Slack allows a message a second per channel
# (each DM is its own) "while also maintaining a workspace-wide limit" it does not publish:
# this is our reading of it; a 429 beyond it pauses every sender for its Retry-After.
DM_RATE = 50.0


def posting_client(token: str | None, base_url: str, timeout: int = 20) -> WebClient:
    """A client with no retries of its own: ``deliver`` decides every retry, so no hidden
    wait can outlast a ledger claim and no retried request can post twice."""
    return PooledWebClient(token=token, base_url=base_url, timeout=timeout, retry_handlers=[])


class SlackPoster:
    """Posts announcements with chat.postMessage, tagged with their ledger keys as metadata."""

    platform = "slack"

    def __init__(self, client: WebClient, limits: SlackLimits | None = None):
        self.client = client
        # Shared with the app's other posts (``create_app``), so a burst queues per channel.
        self._limits = limits or SlackLimits()

    def post(self, channel: str, message: Message) -> PostResult:
        """Post ``message`` to ``channel``; raise ``PostError`` on any failure."""
        self._limits.posts.wait(channel)
        response = self._call(
            "chat_postMessage",
            channel=channel,
            text=fallback_text(message),
            blocks=announcement_blocks(message),
            unfurl_links=False,
            metadata={"event_type": METADATA_EVENT, "event_payload": {"keys": list(message.keys)}},
        )
        return PostResult(ts=response["ts"])

    def join(self, channel: str) -> None:
        """Join a public channel so the bot may post there."""
        self._call("conversations_join", channel=channel)

    def find(self, channel: str, key: str, since: datetime) -> str | None:
        """The ts of the bot's recent post tagged with ``key``, if there is one."""
        # No ``oldest``: ``since`` is on the bot's clock, which AWAIR_NOW may shift far from
        # Slack's. A stale claim is minutes old, so its post is among the latest 200.
        response = self._call("conversations_history", channel=channel, include_all_metadata=True, limit=200)
        for message in response.get("messages", []):
            payload = (message.get("metadata") or {}).get("event_payload") or {}
            if key in payload.get("keys", []):
                return message.get("ts")
        return None

    def _call(self, method: str, **kwargs):
        try:
            return getattr(self.client, method)(**kwargs)
        except SlackApiError as exc:
            raise _as_post_error(exc, method) from None
        except TimeoutError as exc:
            raise PostError("timeout", retryable=True, maybe_posted=True) from exc
        except urllib.error.URLError as exc:
            # Refused before sending (nothing posted) or cut off after (maybe posted): a
            # time-out inside URLError is the latter.
            timed_out = isinstance(exc.reason, TimeoutError | socket.timeout)
            raise PostError(
                "timeout" if timed_out else "connection_error", retryable=True, maybe_posted=timed_out
            ) from exc


def fallback_text(message: Message) -> str:
    """The notification text of an announcement: the organizer's markup kept, the
    schedule's text escaped."""
    if isinstance(message, Reminder | AgendaChange):
        return inert(personal_text(message))
    if isinstance(message, OrganizerPost):
        lines = [f"📢 {organizer_markup(message.text)}", f"— {inert(message.author_name)}"]
        if message.late:
            lines.append(escape(f"(Scheduled for {clock(message.due_at, message.zone)}; posted late.)"))
        return "\n".join(lines)
    return inert(render_text(message))


def _as_post_error(exc: SlackApiError, method: str) -> PostError:
    response = exc.response
    status = response.status_code
    if status == 429:
        metrics.RATE_LIMITED.labels("slack", method.replace("_", ".")).inc()
        retry_after = response.headers.get("Retry-After") or response.headers.get("retry-after")
        return PostError(RATE_LIMITED, retryable=True, retry_after=float(retry_after or 1))
    if status >= 500:
        return PostError("server_error", retryable=True)
    error = error_code(exc)
    return PostError(error, not_joined=error == NOT_IN_CHANNEL, hint=hint_for(error))
