"""HTTP mode: Bolt's WSGI adapter behind waitress, a production WSGI server."""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from awair_bot.dispatcher import Classify, ReadsFirstDispatcher
from awair_bot.server_refusals import answer_refusals
from bot import metrics
from bot.commands.schedule import CALENDAR_PATH, calendar_filename
from bot.formats.ics_export import workshop_to_ics
from bot.schedule.model import Workshop
from bot.services import Services
from handlers.web.guard import MAX_BODY, OTHER_ROUTE, Check, Guard, Verdict
from handlers.web.routes import etag_matches

logger = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
Response = tuple[str, list[tuple[str, str]], bytes]
Route = Callable[[dict[str, Any]], Response]


def make_wsgi_app(
    app: App | None,
    services: Services,
    routes: dict[str, Route] | None = None,
    endpoints: dict | None = None,
    checks: dict[str, Check] | None = None,
):
    """The WSGI application: Slack requests at /slack/events, GET /healthz, /metrics and
    /schedule.ics, plus ``routes`` (a key ending in / matches every path under it) and
    ``endpoints``, WSGI applications of their own by path (Discord's interactions). With no
    ``app`` (the board beside Socket Mode or the console) there is no Slack endpoint.

    Everything is behind the web guard (``handlers.web.guard``); ``checks`` holds each
    platform endpoint's request check, which the Slack endpoint cannot go without. An
    endpoint that checks its own requests (Discord's Ed25519) still has the guard's body
    limit, logging and headers."""
    checks = dict(checks or {})
    if app is not None and EVENTS_PATH not in checks:
        raise ValueError(f"the Slack endpoint needs its request check in checks[{EVENTS_PATH!r}]")
    for path in endpoints or {}:
        checks.setdefault(path, _checked_by_the_endpoint)
    slack = SlackRequestHandler(app, path=EVENTS_PATH) if app is not None else _not_found
    extra = {
        "/healthz": lambda environ: health(services),
        "/metrics": lambda environ: (
            "200 OK",
            [("Content-Type", metrics.CONTENT_TYPE)],
            metrics.exposition(),
        ),
        CALENDAR_PATH: CalendarRoute(services),
        **(routes or {}),
    }

    def wsgi(environ: dict[str, Any], start_response) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        if endpoints and path in endpoints:
            return endpoints[path](environ, start_response)
        route = extra.get(path) or _under(extra, path)
        if route is not None and method in ("GET", "HEAD"):
            status, headers, body = route(environ)
            start_response(status, [*headers, ("Content-Length", str(len(body)))])
            return [b"" if method == "HEAD" else body]
        return slack(environ, start_response)

    # Zero from the start, so a dashboard shows "none yet" for the refusals to expect.
    for path in checks:
        for status in (400, 401, 413):
            metrics.refusals_expected(path, status)
    metrics.refusals_expected(OTHER_ROUTE, 404)
    return Guard(wsgi, checks, on_refusal=metrics.refused, routes=extra)


def _checked_by_the_endpoint(headers, body: bytes) -> Verdict:
    """The guard's check for an endpoint that verifies its own requests."""
    return Verdict()


def _under(routes: dict[str, Route], path: str) -> Route | None:
    return next((r for prefix, r in routes.items() if prefix.endswith("/") and path.startswith(prefix)), None)


def _not_found(environ: dict[str, Any], start_response) -> Iterable[bytes]:
    start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", "9")])
    return [b"Not Found"]


def health(services: Services) -> Response:
    """``GET /healthz`` for a platform's health check: 200 when the database answers and
    every platform's announcement scheduler runs, else 503 saying which is down."""
    workshop = services.workshop
    database = _database_state(services)
    announcers = [p.announcer for p in services.platforms.values() if p.announcer is not None]
    scheduler = "none" if not announcers else "up" if all(a.running for a in announcers) else "down"
    ok = database != "down" and scheduler != "down"
    body = json.dumps(
        {
            "ok": ok,
            "schedule": workshop.name,
            "sessions": len(workshop.sessions),
            "database": database,
            "scheduler": scheduler,
        }
    )
    status = "200 OK" if ok else "503 Service Unavailable"
    return status, [("Content-Type", "application/json"), ("Cache-Control", "no-store")], body.encode()


def _database_state(services: Services) -> str:
    if services.db is None:
        return "none"
    try:
        with services.db() as db:
            db.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        metrics.DATABASE_ERRORS.inc()
        logger.warning("health check: the database is down (%s)", type(exc).__name__)
        return "down"
    return "up"


class CalendarRoute:
    """``GET /schedule.ics``: the running schedule (published unconference plan included) as
    an RFC 5545 calendar, for calendar apps to subscribe to.

    A congress's calendar takes a fifth of a second to build, and calendar apps poll, so it
    is built once per schedule version: the running ``Workshop`` object, which a reload or a
    newly published plan replaces. An ETag lets a poller hear "not modified" instead.
    """

    def __init__(self, services: Services):
        self._services = services
        self._lock = threading.Lock()
        self._built_for: Workshop | None = None
        self._body = b""
        self._etag = ""

    def __call__(self, environ: dict[str, Any]) -> Response:
        body, etag, workshop = self._current()
        headers = [
            ("ETag", etag),
            # Calendar apps poll on their own schedule; a short max-age spares a burst of them.
            ("Cache-Control", "public, max-age=300"),
        ]
        if etag_matches(environ.get("HTTP_IF_NONE_MATCH", ""), etag):
            return "304 Not Modified", headers, b""
        return (
            "200 OK",
            [
                ("Content-Type", "text/calendar; charset=utf-8"),
                ("Content-Disposition", f'attachment; filename="{calendar_filename(workshop)}"'),
                *headers,
            ],
            body,
        )

    def _current(self) -> tuple[bytes, str, Workshop]:
        workshop = self._services.workshop
        # One build at a time: the first requests after a change wait for it instead of
        # each building their own copy.
        with self._lock:
            if workshop is not self._built_for:
                body = workshop_to_ics(workshop, self._services.clock.now())
                self._body, self._built_for = body, workshop
                self._etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
                logger.info("built the calendar: %d events, %d bytes", len(workshop.sessions), len(body))
            return self._body, self._etag, self._built_for


def make_server(guard: Guard, host: str, port: int, threads: int = 8, dispatcher=None):
    """Waitress serving ``guard`` with ``SERVER_LIMITS``, its own refusals answered, logged
    and counted by the guard (``awair_bot.server_refusals``); not yet running."""
    from waitress.server import create_server

    # Slack waits 3 s for an answer; a few threads keep slow neighbours from queueing it.
    # ``_dispatcher`` is waitress's own seam for its task dispatcher.
    server = create_server(
        guard,
        host=host,
        port=port,
        threads=threads,
        ident="awair-bot",
        _dispatcher=dispatcher,
        **SERVER_LIMITS,
    )
    answer_refusals(server, guard)
    return server


def serve(wsgi: Guard, host: str, port: int, threads: int = 8, classify: Classify | None = None) -> None:
    """Serve until interrupted; with ``classify``, writes run on at most a quarter of the threads
    and reads go first (``awair_bot.dispatcher``)."""
    dispatcher = None
    if classify is not None:
        dispatcher = ReadsFirstDispatcher(classify, max_writers=max(1, threads // 4))
        dispatcher.set_thread_count(threads)
    server = make_server(wsgi, host, port, threads, dispatcher)
    logger.info("HTTP mode: listening on http://%s:%d: %s", host, port, served(wsgi))
    server.run()


def served(guard: Guard) -> str:
    """What ``guard`` serves, for the start-up line: each platform's endpoint, then the pages.

    Paths sharing a folder that is no route of its own (the board's assets) are named by the
    folder, and a route for every path under a folder by the folder and ``*``."""
    folders: dict[str, list[str]] = {}
    for path in guard.routes:
        folders.setdefault(path.rsplit("/", 1)[0] + "/", []).append(path)
    pages = []
    for path in guard.routes:
        folder = path.rsplit("/", 1)[0] + "/"
        shown = f"{path}*" if path.endswith("/") else path
        if len(folders[folder]) > 1 and folder not in ("/", *guard.routes) and path != folder:
            shown = f"{folder}*"
        if shown not in pages:
            pages.append(shown)
    parts = [f"POST {', '.join(guard.endpoints)}"] if guard.endpoints else []
    return "; ".join([*parts, f"GET {', '.join(pages)}"])


# Sized so that idle and slow clients cannot starve Slack's requests (bench/bench_idle.py):
# waitress holds idle connections without a thread, but stops accepting at connection_limit
# (default 100), and keeps an idle one for channel_timeout (default 120 s). A body is
# buffered whole before a thread sees it, so waitress's cap sits just above the guard's:
# the guard is the one to refuse a body over its limit (waitress refuses one *at* its cap,
# and counts chunked bodies with their framing), and waitress's own refusal of anything
# bigger is answered by the guard as well (``awair_bot.server_refusals``).
SERVER_LIMITS = {
    "connection_limit": 1000,
    "channel_timeout": 15,
    "max_request_body_size": MAX_BODY + 8 * 1024,
    "max_request_header_size": 32 * 1024,
    "cleanup_interval": 5,
}
