"""The web adapter: the lobby board, door signs and the printable day grid, served over HTTP
beside (or without) Slack. Every route is a plain WSGI-environ function (``routes.Route``)."""

from __future__ import annotations

from bot.services import Services
from handlers.web.routes import Route, WebBoard


def web_routes(services: Services, poll_seconds: float = 10.0) -> dict[str, Route]:
    """Every web route, by path, for the HTTP server."""
    return WebBoard(services, poll_seconds).routes()
