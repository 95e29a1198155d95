"""The one factory that builds the Slack app from settings, a Web API client and the core."""

from __future__ import annotations

import logging

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)

from bot.services import Services
from bot.settings import Settings
from handlers import register_all

logger = logging.getLogger(__name__)


def make_client(settings: Settings) -> WebClient:
    """A Web API client for the bot token, pointed at ``SLACK_API_URL``, retrying rate limits."""
    return WebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=10,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=2),
        ],
    )


def create_app(settings: Settings, services: Services, client: WebClient | None = None) -> App:
    """Build the Bolt app. Pass ``client`` to talk to another Slack (tests: the fake server).

    The core's clock lives in ``services``; the request-signature check always uses real
    time (Bolt's own), so ``AWAIR_NOW`` never weakens it.
    """
    app = App(
        client=client or make_client(settings),
        # Passed explicitly (empty in Socket Mode, which Slack authenticates by its socket)
        # so Bolt never reads the environment behind our back.
        signing_secret=settings.slack_signing_secret or "",
        # Checked at start-up: a wrong token fails now, with Slack's reason, not at 9:00.
        token_verification_enabled=True,
        # Listeners answer through ack() and run to the end before the HTTP response goes
        # out. Without this Bolt runs them on a thread pool and polls for the ack every
        # 10 ms, which is most of a /next's latency. Slow follow-up work (posting to a
        # channel) goes to the background executor instead, never in front of the ack.
        process_before_response=True,
        logger=logging.getLogger("slack_bolt"),
    )
    register_all(app, services)
    return app
