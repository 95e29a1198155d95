"""The web routes: ``/board`` (and its door signs), ``/board/live``, ``/day[/<date>]``, assets.

Each route is a function of the WSGI environ returning (status, headers, body), the shape
the HTTP server takes for its extra routes. Answers change only when the minute turns, the
schedule changes or a new announcement goes out, so each fragment is rendered once per
minute and question, and its ETag lets a polling board hear "not modified" instead.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import time
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from urllib.parse import parse_qs

from bot.agenda import default_day
from bot.board import Notice, build_board, find_room, room_names
from bot.day_grid import day_grid
from bot.memo import AnswerMemo
from bot.services import Services
from bot.timefmt import day_label
from handlers.web import pages
from handlers.web.notice import latest_notice

logger = logging.getLogger(__name__)

Response = tuple[str, list[tuple[str, str]], bytes]
Route = Callable[[dict[str, Any]], Response]

DAY_PREFIX = "/day/"  # /day/<YYYY-MM-DD>; the HTTP server matches keys ending in / as prefixes
# Only this server's own script, styles and requests; nothing inline, nothing from elsewhere.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
_HTML = [
    ("Content-Type", "text/html; charset=utf-8"),
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("Cache-Control", "no-cache"),
]
_NOT_FOUND: Response = ("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")], b"Not Found")
_TYPES = {"css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8", "svg": "image/svg+xml"}


class WebBoard:
    """The board's routes over the running core; ``poll_seconds`` is how often a page asks
    for news (tests make it short)."""

    def __init__(self, services: Services, poll_seconds: float = 10.0, notice_seconds: float = 2.0):
        self._services = services
        self._poll_ms = int(poll_seconds * 1000)
        self._memo = AnswerMemo(size=256)
        # However many screens poll, the database is asked for the latest announcement at
        # most once per ``notice_seconds`` (of real time); a new one shows within that.
        self._notice_seconds = notice_seconds
        self._notice: tuple[float, Notice | None] = (-math.inf, None)

    def routes(self) -> dict[str, Route]:
        """Path -> route, for the HTTP server."""
        assets = {f"{pages.STATIC_PREFIX}{name}": _asset(name) for name in pages.STATIC_FILES}
        return {
            "/board": self._guarded(self._board),
            "/board/live": self._guarded(self._live),
            "/day": self._guarded(self._day),
            DAY_PREFIX: self._guarded(self._day),
            **assets,
        }

    def _guarded(self, route: Route) -> Route:
        def guarded(environ: dict[str, Any]) -> Response:
            expected = self._services.settings.board_token
            given = _query(environ).get("token", "")
            # Constant time, and a wrong token looks like no page at all: no hint to a guesser.
            if expected and not hmac.compare_digest(given.encode(), expected.encode()):
                return _NOT_FOUND
            return route(environ)

        return guarded

    # -- the board ---------------------------------------------------------------------

    def _fragment(self, room: str | None) -> tuple[bytes, str, datetime]:
        """The live part at this minute: body, ETag, and the bot's time now."""
        services = self._services
        now = services.clock.now()
        notice = self._latest_notice(now)
        token = services.settings.board_token

        def render(minute: datetime) -> tuple[bytes, str]:
            board = build_board(services.workshop, minute, notice)
            body = pages.live_fragment(board, room, token).encode()
            return body, f'"{hashlib.sha256(body).hexdigest()[:32]}"'

        body, etag = self._memo.get(services.workshop, now, ("live", room, notice), render)
        return body, etag, now

    def _latest_notice(self, now: datetime) -> Notice | None:
        asked_at, notice = self._notice
        if time.monotonic() - asked_at >= self._notice_seconds:
            notice = latest_notice(self._services, now)
            self._notice = (time.monotonic(), notice)
        return notice

    def _room(self, environ: dict[str, Any]) -> tuple[str | None, Response | None]:
        """The room asked for, or the page that says there is no such room."""
        asked = _query(environ).get("room")
        if asked is None:
            return None, None
        found = find_room(self._services.workshop, asked)
        if found is not None:
            return found, None
        workshop, now = self._services.workshop, self._services.clock.now()
        rooms = room_names(workshop)
        text = f"There is no room called '{asked[:100]}'."
        text += " Door signs:" if rooms else " This schedule names no rooms."
        links = [("/board", {"room": r}, r) for r in rooms] + [("/board", {}, "The whole board")]
        body = pages.message_page(
            workshop, now, self._services.settings.board_token, "No such room", text, links
        )
        return None, ("404 Not Found", list(_HTML), body.encode())

    def _board(self, environ: dict[str, Any]) -> Response:
        room, missing = self._room(environ)
        if missing:
            return missing
        body, etag, now = self._fragment(room)
        token = self._services.settings.board_token
        live_url = pages.View(self._services.workshop, now, token).url("/board/live", room=room)
        page = pages.board_page(
            self._services.workshop, now, room, token, live_url, etag, body.decode(), self._poll_ms
        )
        return "200 OK", [*_HTML, ("Board-Now", _ms(now))], page.encode()

    def _live(self, environ: dict[str, Any]) -> Response:
        room, missing = self._room(environ)
        if missing:
            return missing
        body, etag, now = self._fragment(room)
        headers = [*_HTML, ("ETag", etag), ("Board-Now", _ms(now))]
        if etag_matches(environ.get("HTTP_IF_NONE_MATCH", ""), etag):
            return "304 Not Modified", headers, b""
        return "200 OK", headers, body

    # -- the day grid ------------------------------------------------------------------

    def _day(self, environ: dict[str, Any]) -> Response:
        services = self._services
        workshop, now = services.workshop, services.clock.now()
        token = services.settings.board_token
        path = environ.get("PATH_INFO", "")
        asked = path[len(DAY_PREFIX) :].strip("/") if path.startswith(DAY_PREFIX) else ""
        if not asked:
            day = default_day(workshop, now)
        else:
            day = _date(asked)
            if day is None or day not in workshop.days:
                days = ", ".join(day_label(d) for d in workshop.days) or "none"
                what = "is not a date (YYYY-MM-DD)" if day is None else "is not a day of the programme"
                text = f"'{asked[:40]}' {what}. The programme's days: {days}."
                links = [(f"{DAY_PREFIX}{d.isoformat()}", {}, day_label(d)) for d in workshop.days]
                body = pages.message_page(workshop, now, token, "No such day", text, links)
                return "404 Not Found", list(_HTML), body.encode()
        page = pages.day_page(day_grid(workshop, day, now), token)
        return "200 OK", list(_HTML), page.encode()


def _asset(name: str) -> Route:
    body = pages.static_file(name)
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    headers = [
        ("Content-Type", _TYPES[name.rsplit(".", 1)[1]]),
        ("X-Content-Type-Options", "nosniff"),
        ("ETag", etag),
        # Pages ask for assets by version (?v=...), so a day's caching is safe.
        ("Cache-Control", "public, max-age=86400"),
    ]

    def route(environ: dict[str, Any]) -> Response:
        if etag_matches(environ.get("HTTP_IF_NONE_MATCH", ""), etag):
            return "304 Not Modified", headers, b""
        return "200 OK", headers, body

    return route


def _query(environ: dict[str, Any]) -> dict[str, str]:
    parsed = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    return {k: v[0] for k, v in parsed.items()}


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _ms(instant: datetime) -> str:
    return str(int(instant.timestamp() * 1000))


def etag_matches(if_none_match: str, etag: str) -> bool:
    """Whether an If-None-Match header names ``etag`` (weak comparison, as for GET)."""
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in tags or etag in tags
