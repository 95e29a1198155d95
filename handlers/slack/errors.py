"""Slack's error codes, and what an organizer should do about each."""

from __future__ import annotations

from slack_sdk.errors import SlackApiError

_TOKEN = "the bot token was refused: check SLACK_BOT_TOKEN (xoxb-...) and reinstall the app"
HINTS = {
    "channel_not_found": "no such channel, or the bot cannot see it: set ANNOUNCE_CHANNEL to "
    "the channel's ID (C..., in the channel's details); invite the bot to a private channel",
    "not_in_channel": "the bot is not in the channel and cannot join it: /invite the bot",
    "method_not_supported_for_channel_type": "the bot cannot join a private channel: /invite it",
    "is_archived": "the channel is archived: unarchive it or choose another ANNOUNCE_CHANNEL",
    "missing_scope": "the app lacks a scope: add chat:write and channels:join under OAuth & "
    "Permissions, then reinstall the app",
    "restricted_action": "workspace settings stop the bot posting there: allow it or change ANNOUNCE_CHANNEL",
    "invalid_auth": _TOKEN,
    "not_authed": _TOKEN,
    "token_revoked": _TOKEN,
    "token_expired": _TOKEN,
    "account_inactive": _TOKEN,
    "ratelimited": "Slack kept rate-limiting the channel: fewer posts, or try again later",
}
NOT_IN_CHANNEL = "not_in_channel"


def hint_for(reason: str) -> str:
    """What an organizer should do about a Slack error code."""
    return HINTS.get(reason, "see Slack's error list for chat.postMessage; retrying won't help")


def error_code(exc: SlackApiError) -> str:
    """Slack's ``error`` field of a refused call."""
    data = exc.response.data if isinstance(exc.response.data, dict) else {}
    return str(data.get("error", "unknown_error"))


def needed_scope(exc: SlackApiError) -> str | None:
    """The scope Slack says a call needed (``missing_scope``), if it says."""
    data = exc.response.data if isinstance(exc.response.data, dict) else {}
    needed = data.get("needed")
    return str(needed) if needed else None


def startup_failure(exc: Exception, api_url: str | None) -> str | None:
    """What to tell an organizer when the app cannot start against Slack (Bolt checks the
    token with ``auth.test`` as it is built), or None when ``exc`` is not that."""
    from urllib.error import URLError

    from slack_bolt.error import BoltError

    where = api_url or "https://slack.com/api/"
    if isinstance(exc, SlackApiError):
        code = error_code(exc)
        return f"Slack refused the bot at start ({code}): {hint_for(code)}."
    if isinstance(exc, BoltError):
        return (
            f"Slack refused the bot token at start ({exc}): check SLACK_BOT_TOKEN (xoxb-...) and that the "
            "app is installed in the workspace."
        )
    if isinstance(exc, URLError | OSError):
        reason = getattr(exc, "reason", None) or getattr(exc, "strerror", None) or exc
        return f"cannot reach Slack at {where} ({reason}): check the network, or SLACK_API_URL if you set it."
    return None
