"""What every request to the web process goes through before any platform sees it.

A platform's endpoint (Slack's ``/slack/events``, Discord's interactions) is a path with a
``Check``: given the headers and the raw body, it says whether the request is the platform's
(signed) and well formed. The guard around the whole WSGI application does the rest, the
same for every platform:

* a body over ``max_body`` gets 413 from its ``Content-Length``, before it is read;
* a request that fails its check gets 401 (not signed) or 400 (signed, malformed), and one
  log line with its path, size and reason, never its body;
* a signed request seen before (the same signature within the platform's replay window, or
  a platform's own "this is a retry" header) is answered without being run again;
* a failure inside the application is a 500 with one line naming the exception, never a
  traceback of someone's malformed input reaching the client;
* every response carries the usual security headers.
"""

from __future__ import annotations

import io
import itertools
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Protocol

logger = logging.getLogger(__name__)

# Slack sends a few kB; Discord's interactions are of the same order. Nothing legitimate
# comes near this, and waitress is told the same limit, so nothing bigger is ever buffered.
MAX_BODY = 64 * 1024

#: The id of the request being served, for log lines (see ``awair_bot.logs``).
REQUEST_ID: ContextVar[str] = ContextVar("request_id", default="-")
_ids = itertools.count(1)

SECURITY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
    ("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"),
    ("Strict-Transport-Security", "max-age=31536000"),
)


@dataclass(frozen=True)
class Verdict:
    """A check's answer: ``status`` None lets the request through. ``replay_key`` names a
    signed request (its signature), ``retry`` marks the platform's own redelivery."""

    status: int | None = None
    reason: str = ""
    replay_key: str | None = None
    retry: bool = False
    # The answer to a request that is not run (a retry or a replay), if not an empty 200.
    repeat_body: bytes = b""
    repeat_headers: tuple[tuple[str, str], ...] = ()
    # The body to hand on instead, with headers to set (by lower-case name), when the
    # platform's SDK would misread the one that came.
    body: bytes | None = None
    headers: tuple[tuple[str, str], ...] = ()


REJECT_UNSIGNED = 401
REJECT_MALFORMED = 400


class Check(Protocol):
    """A platform's test of one request to its endpoint."""

    def __call__(self, headers: Mapping[str, str], body: bytes) -> Verdict: ...


class RecentKeys:
    """Keys seen within ``window`` seconds (bounded: the oldest go first)."""

    def __init__(
        self, window: float = 300.0, size: int = 50_000, monotonic: Callable[[], float] = time.monotonic
    ):
        self._window, self._size, self._now = window, size, monotonic
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def seen_before(self, key: str) -> bool:
        """Whether ``key`` came within the window; remembers it either way."""
        now = self._now()
        with self._lock:
            while self._seen and (
                len(self._seen) > self._size or next(iter(self._seen.values())) < now - self._window
            ):
                self._seen.popitem(last=False)
            if key in self._seen:
                return True
            self._seen[key] = now
            return False


_REASONS = {
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    411: "Length Required",
    413: "Content Too Large",
    500: "Internal Server Error",
}


def _plain(status: int, start_response, text: str | None = None) -> list[bytes]:
    body = (text or _REASONS[status]).encode()
    start_response(
        f"{status} {_REASONS[status]}",
        [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))],
    )
    return [body]


class Guard:
    """The WSGI application ``app`` behind the checks above; ``endpoints`` maps a platform's
    POST path to its check."""

    def __init__(
        self,
        app: Callable[..., Iterable[bytes]],
        endpoints: Mapping[str, Check],
        max_body: int = MAX_BODY,
        recent: RecentKeys | None = None,
        on_reject: Callable[[str, int, str], None] | None = None,
    ):
        self._app = app
        self._endpoints = dict(endpoints)
        self._max_body = max_body
        self._recent = recent or RecentKeys()
        self._on_reject = on_reject

    def __call__(self, environ: dict[str, Any], start_response) -> Iterable[bytes]:
        token = REQUEST_ID.set(f"r{next(_ids)}")
        try:
            return self._serve(environ, _with_security_headers(start_response))
        finally:
            REQUEST_ID.reset(token)

    def _serve(self, environ: dict[str, Any], start_response) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        check = self._endpoints.get(path)
        if check is None or method != "POST":
            if method not in ("GET", "HEAD"):
                # Only a platform's endpoint takes a body; nothing else is read.
                return self._reject(environ, 404, "no such endpoint", start_response)
            return self._run(environ, start_response)
        raw_length = environ.get("CONTENT_LENGTH") or ""
        if not raw_length.isdigit():
            return self._reject(environ, 411, "no Content-Length", start_response)
        length = int(raw_length)
        if length > self._max_body:
            return self._reject(environ, 413, f"body over {self._max_body} bytes", start_response)
        body = environ["wsgi.input"].read(length)
        verdict = check(_headers(environ), body)
        if verdict.status is not None:
            return self._reject(environ, verdict.status, verdict.reason, start_response)
        if verdict.retry or (verdict.replay_key and self._recent.seen_before(verdict.replay_key)):
            what = "a retry" if verdict.retry else "a repeat of a request already answered"
            logger.info("%s %s: %s, not run again (%d bytes)", method, _short(path), what, length)
            headers = [*verdict.repeat_headers, ("Content-Length", str(len(verdict.repeat_body)))]
            start_response("200 OK", headers)
            return [verdict.repeat_body]
        if verdict.body is not None:
            body = verdict.body
            environ["CONTENT_LENGTH"] = str(len(body))
        for name, value in verdict.headers:
            environ["HTTP_" + name.upper().replace("-", "_")] = value
        environ["wsgi.input"] = io.BytesIO(body)
        return self._run(environ, start_response)

    def _run(self, environ: dict[str, Any], start_response) -> Iterable[bytes]:
        try:
            # Materialised here, so a failure while producing the body is caught too.
            return list(self._app(environ, start_response))
        except Exception as exc:
            logger.error(
                "%s %s failed: %s", environ.get("REQUEST_METHOD"), _short(environ.get("PATH_INFO", "")),
                type(exc).__name__, exc_info=logger.isEnabledFor(logging.DEBUG),
            )  # fmt: skip
            return _plain(500, start_response)

    def _reject(self, environ: dict[str, Any], status: int, reason: str, start_response) -> list[bytes]:
        size = environ.get("CONTENT_LENGTH") or "unknown"
        logger.warning(
            "rejected %s %s: %d %s (Content-Length %s, from %s)",
            environ.get("REQUEST_METHOD"), _short(environ.get("PATH_INFO", "")), status, reason,
            size[:20], environ.get("REMOTE_ADDR", "?"),
        )  # fmt: skip
        if self._on_reject is not None:
            self._on_reject(environ.get("PATH_INFO", ""), status, reason)
        return _plain(status, start_response)


def _with_security_headers(start_response):
    def start(status: str, headers: list[tuple[str, str]], exc_info=None):
        present = {name.lower() for name, _ in headers}
        extra = [(name, value) for name, value in SECURITY_HEADERS if name.lower() not in present]
        return (
            start_response(status, [*headers, *extra], exc_info)
            if exc_info
            else start_response(status, [*headers, *extra])
        )

    return start


def _headers(environ: Mapping[str, Any]) -> dict[str, str]:
    """The request's headers by lower-case name, as the platforms' SDKs read them."""
    headers = {k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")}
    if environ.get("CONTENT_TYPE"):
        headers["content-type"] = environ["CONTENT_TYPE"]
    return headers


def _short(path: str) -> str:
    return path[:100]
