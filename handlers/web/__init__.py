"""The web adapter: the lobby board, door signs and the printable day grid, served over HTTP
beside (or without) Slack. Every route is a plain WSGI-environ function (``routes.Route``)."""

from __future__ import annotations

from bot.services import Services
from handlers.web.feed import FEED_PREFIX, FeedRoute
from handlers.web.routes import Route, WebBoard


def web_routes(
    services: Services, poll_seconds: float = 10.0, notice_seconds: float = 2.0
) -> dict[str, Route]:
    """Every web route, by path, for the HTTP server; pages poll every ``poll_seconds``, and
    the latest announcement is looked up at most every ``notice_seconds``."""
    return {**WebBoard(services, poll_seconds, notice_seconds).routes(), FEED_PREFIX: FeedRoute(services)}
