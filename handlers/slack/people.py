"""People's names from Slack: ``users.info``, for the core's name cache."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.ports import PortError
from handlers.slack.client import PooledWebClient
from handlers.slack.errors import error_code
from handlers.slack.pacing import SlackLimits


class SlackNames:
    """Looks up the name Slack shows for a member: display name, else real name, else handle.

    Lookups run off the request (the first use of a name shows the platform's handle until
    it is known), each waiting its turn within ``users.info``'s tier; a short time-out and no
    retries, as a name is never worth holding anything up for.
    """

    def __init__(self, client: WebClient, timeout: float = 2.0, limits: SlackLimits | None = None):
        self._client = PooledWebClient(
            token=client.token, base_url=client.base_url, timeout=timeout, retry_handlers=[]
        )
        self._limits = limits or SlackLimits()

    def display_name(self, user_id: str) -> str | None:
        """The member's name, or None if Slack has none; ``PortError`` if the call fails."""
        self._limits.lookups.wait()
        try:
            user = self._client.users_info(user=user_id).get("user") or {}
        except SlackApiError as exc:
            raise PortError(error_code(exc)) from None
        except OSError as exc:
            raise PortError(type(exc).__name__) from None
        profile = user.get("profile") or {}
        for name in (
            profile.get("display_name"),
            profile.get("real_name"),
            user.get("real_name"),
            user.get("name"),
        ):
            if isinstance(name, str) and name.strip():
                return name
        return None
