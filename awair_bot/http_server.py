"""HTTP mode: Bolt's WSGI adapter behind waitress, a production WSGI server."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.services import Services

logger = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
Route = Callable[[dict[str, Any]], tuple[str, list[tuple[str, str]], bytes]]


def make_wsgi_app(app: App, services: Services, routes: dict[str, Route] | None = None):
    """The WSGI application: Slack requests at /slack/events, GET /healthz, plus ``routes``."""
    slack = SlackRequestHandler(app, path=EVENTS_PATH)
    extra = {"/healthz": lambda environ: _health(services), **(routes or {})}

    def wsgi(environ: dict[str, Any], start_response) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        if path in extra and method in ("GET", "HEAD"):
            status, headers, body = extra[path](environ)
            start_response(status, [*headers, ("Content-Length", str(len(body)))])
            return [b"" if method == "HEAD" else body]
        return slack(environ, start_response)

    return wsgi


def _health(services: Services) -> tuple[str, list[tuple[str, str]], bytes]:
    workshop = services.workshop
    body = json.dumps({"ok": True, "schedule": workshop.name, "sessions": len(workshop.sessions)})
    return "200 OK", [("Content-Type", "application/json")], body.encode()


def serve(wsgi, host: str, port: int, threads: int = 8) -> None:
    """Serve until interrupted."""
    from waitress import serve as waitress_serve

    logger.info("HTTP mode: listening on http://%s:%d%s", host, port, EVENTS_PATH)
    # Slack waits 3 s for an answer; a few threads keep slow neighbours from queueing it.
    waitress_serve(wsgi, host=host, port=port, threads=threads, ident="awair-bot")
