"""A proposal's message in the Slack channel: posted with its Vote button, updated in place."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import metrics
from bot.ports import PortError
from bot.unconference.views import ProposalView
from handlers.slack.errors import NOT_IN_CHANNEL, error_code
from handlers.slack.pacing import SlackLimits
from handlers.slack.render.unconf import proposal_message


class SlackProposalMessages:
    """``chat.postMessage`` (joining a public channel it is not in) and ``chat.update``,
    each waiting its turn within Slack's limits (``limits``)."""

    def __init__(self, client: WebClient, limits: SlackLimits | None = None):
        self._client = client
        self._limits = limits or SlackLimits()

    def post_proposal(self, channel: str, proposal: ProposalView) -> tuple[str, str]:
        """Post the proposal's card; returns (channel id, ts)."""
        message = {
            "channel": channel,
            "unfurl_links": False,
            "unfurl_media": False,
            **proposal_message(proposal),
        }
        self._limits.posts.wait(channel)
        try:
            try:
                response = self._client.chat_postMessage(**message)
            except SlackApiError as exc:
                if error_code(exc) != NOT_IN_CHANNEL:
                    raise
                # A channel chat:write.public can't reach (private, or shared): join, then retry.
                self._client.conversations_join(channel=channel)
                response = self._client.chat_postMessage(**message)
        except SlackApiError as exc:
            raise PortError(error_code(exc)) from None
        except OSError as exc:
            raise PortError(type(exc).__name__) from None
        return response["channel"], response["ts"]

    def update_proposal(self, channel: str, message_id: str, proposal: ProposalView) -> None:
        """Show the proposal as it stands now in its message."""
        # Updates of one message are coalesced (bot.unconference.posts): while this waits,
        # more votes only mark it to run once more, so the last update shows the last count.
        self._limits.updates.wait()
        try:
            self._client.chat_update(channel=channel, ts=message_id, **proposal_message(proposal))
        except SlackApiError as exc:
            if exc.response.status_code == 429:
                metrics.RATE_LIMITED.labels("slack", "chat.update").inc()
            raise PortError(error_code(exc)) from None
        except OSError as exc:
            raise PortError(type(exc).__name__) from None
