"""The one factory that builds the Slack app from Slack's settings, a Web API client and the
core's services."""

from __future__ import annotations

import logging

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)

from bot import metrics
from bot.commands.base import Capability
from bot.people import Names
from bot.platforms import Platform
from bot.services import Services
from handlers.slack.client import PooledWebClient
from handlers.slack.files import SlackFiles
from handlers.slack.listeners import register_all
from handlers.slack.pacing import SlackLimits
from handlers.slack.people import SlackNames
from handlers.slack.proposal_messages import SlackProposalMessages
from handlers.slack.settings import SlackSettings

logger = logging.getLogger(__name__)

PLATFORM = "slack"


class CountedRateLimitRetries(RateLimitErrorRetryHandler):
    """slack_sdk's wait-and-retry on a 429, each 429 counted for /metrics."""

    def _can_retry(self, *, state, request, response=None, error=None) -> bool:
        limited = super()._can_retry(state=state, request=request, response=response, error=error)
        if limited:
            metrics.RATE_LIMITED.labels(PLATFORM, request.url.rsplit("/", 1)[-1]).inc()
        return limited


def make_client(settings: SlackSettings) -> WebClient:
    """A Web API client for the bot token, pointed at ``SLACK_API_URL``, retrying rate limits,
    over pooled keep-alive connections."""
    return PooledWebClient(
        token=settings.bot_token,
        base_url=settings.api_url,
        timeout=10,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            CountedRateLimitRetries(max_retry_count=2),
        ],
    )


def make_platform(settings: SlackSettings, client: WebClient, limits: SlackLimits | None = None) -> Platform:
    """Slack as the core sees it: buttons, files and channels, through the Web API, within
    Slack's rate limits (``limits``, shared by every caller in the process)."""
    limits = limits or SlackLimits()
    for method in ("chat.postMessage", "chat.update", "users.info"):
        metrics.RATE_LIMITED.labels(PLATFORM, method)  # zero until one is met
    return Platform(
        name=PLATFORM,
        capabilities=frozenset({Capability.BUTTONS, Capability.FILES, Capability.CHANNELS}),
        names=Names(SlackNames(client, limits=limits)),
        files=SlackFiles(client),
        proposal_messages=SlackProposalMessages(client, limits),
        announce_channel=settings.announce_channel,
        unconference_channel=settings.unconference_channel,
        organizers=tuple(sorted(settings.organizer_ids)),
    )


class _TokenPassedOnPurpose(logging.Filter):
    """Drops Bolt's "as you gave `client` as well, `token` will be unused" at every start: the
    token is passed only to keep Bolt out of the environment, and is the client's own."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


def create_app(
    settings: SlackSettings,
    services: Services,
    client: WebClient | None = None,
    limits: SlackLimits | None = None,
) -> App:
    """Build the Bolt app and add Slack to ``services``' platforms. Pass ``client`` to talk
    to another Slack (tests: the fake server).

    The core's clock lives in ``services``; the request-signature check always uses real
    time (Bolt's own), so ``AWAIR_NOW`` never weakens it.
    """
    client = client or make_client(settings)
    bolt_logger = logging.getLogger("slack_bolt")
    if not any(isinstance(f, _TokenPassedOnPurpose) for f in bolt_logger.filters):
        bolt_logger.addFilter(_TokenPassedOnPurpose())
    app = App(
        client=client,
        # Passed, so Bolt never reads SLACK_BOT_TOKEN from the environment itself; it is the
        # client's token, which Bolt uses (the warning that says so is dropped below).
        token=client.token or settings.bot_token,
        # Passed explicitly (empty in Socket Mode, which Slack authenticates by its socket)
        # so Bolt never reads the environment behind our back.
        signing_secret=settings.signing_secret or "",
        # Checked at start-up: a wrong token fails now, with Slack's reason, not at 9:00.
        token_verification_enabled=True,
        # Listeners answer through ack() and run to the end before the HTTP response goes
        # out. Without this Bolt runs them on a thread pool and polls for the ack every
        # 10 ms, which is most of a /next's latency. Slow follow-up work (posting to a
        # channel) goes to the background executor instead, never in front of the ack.
        process_before_response=True,
        logger=bolt_logger,
    )
    platform = services.add_platform(make_platform(settings, client, limits))
    register_all(app, services, platform, settings)
    return app
