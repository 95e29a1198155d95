"""What every request to the web process goes through before any platform sees it.

A platform's endpoint (Slack's ``/slack/events``, Discord's interactions) is a path with a
``Check``: given the headers and the raw body, it says whether the request is the platform's
(signed) and well formed. The guard around the whole WSGI application does the rest, the
same for every platform:

* a body over ``max_body`` gets 413 from its ``Content-Length``, before it is read (a
  chunked one without a length, from a server that passes it on, is read to ``max_body``
  + 1 bytes at most);
* a request that fails its check gets 401 (not signed) or 400 (signed, malformed), and one
  log line with its path, size and reason, never its body;
* a signed request seen before (the same signature within the platform's replay window, or
  a platform's own "this is a retry" header) is answered without being run again;
* a failure inside the application is a 500 with one line naming the exception, never a
  traceback of someone's malformed input reaching the client;
* every response carries the usual security headers;
* every refusal (any 4xx answer, the guard's own or the application's) is reported to
  ``on_refusal`` by route, the route's path as configured or ``other``, so random paths
  cannot make up labels. The server's own refusals (``refused_by_server``) get the same
  answer, log line and report.
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
    431: "Request Header Fields Too Large",
    500: "Internal Server Error",
    501: "Not Implemented",
}
OTHER_ROUTE = "other"


def _answer(status: int, text: str | None = None) -> tuple[str, list[tuple[str, str]], bytes]:
    reason = _REASONS.get(status, "Error")
    body = (text or reason).encode()
    return (
        f"{status} {reason}",
        [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))],
        body,
    )


def _plain(status: int, start_response, text: str | None = None) -> list[bytes]:
    line, headers, body = _answer(status, text)
    start_response(line, headers)
    return [body]


class Guard:
    """The WSGI application ``app`` behind the checks above; ``endpoints`` maps a platform's
    POST path to its check, ``routes`` are the other paths served (one ending in / stands for
    every path under it), and ``on_refusal(route, status)`` hears of every refusal."""

    def __init__(
        self,
        app: Callable[..., Iterable[bytes]],
        endpoints: Mapping[str, Check],
        max_body: int = MAX_BODY,
        recent: RecentKeys | None = None,
        on_refusal: Callable[[str, int], None] | None = None,
        routes: Iterable[str] = (),
    ):
        self._app = app
        self._endpoints = dict(endpoints)
        self._max_body = max_body
        self._recent = recent or RecentKeys()
        self._on_refusal = on_refusal
        self.routes = tuple(dict.fromkeys(routes))

    @property
    def endpoints(self) -> tuple[str, ...]:
        """The paths that take a POST (a platform's endpoint)."""
        return tuple(self._endpoints)

    def route_of(self, path: str) -> str:
        """The route ``path`` belongs to, as configured, or ``other``: a bounded set of names."""
        if path in self._endpoints or path in self.routes:
            return path
        return next((r for r in self.routes if r.endswith("/") and path.startswith(r)), OTHER_ROUTE)

    def refused_by_server(
        self, method: str, path: str, status: int, declared: str, remote: str
    ) -> tuple[str, list[tuple[str, str]], bytes]:
        """A refusal the HTTP server made itself, before any application saw the request (a
        body or headers too large, a malformed request): logged and reported as the guard's
        own are; returns the answer to send (status line, headers, body)."""
        self._log_refusal(method, path, status, self._reason(status), declared, remote)
        self._report(path, status)
        line, headers, body = _answer(status, self._text(status))
        return line, [*headers, *SECURITY_HEADERS], body

    def __call__(self, environ: dict[str, Any], start_response) -> Iterable[bytes]:
        token = REQUEST_ID.set(f"r{next(_ids)}")
        path = environ.get("PATH_INFO", "")
        try:
            return self._serve(
                environ, _answering(start_response, lambda status: self._refused(path, status))
            )
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
        if raw_length.isdigit():
            length = int(raw_length)
            if length > self._max_body:
                return self._reject(environ, 413, self._reason(413), start_response)
            body = environ["wsgi.input"].read(length)
        elif _chunked(environ) and environ.get("wsgi.input_terminated"):
            # No length to go by (waitress gives one; other servers may pass chunks on): read
            # one byte past the limit, enough to know the body is over it.
            body = environ["wsgi.input"].read(self._max_body + 1)
            if len(body) > self._max_body:
                return self._reject(environ, 413, self._reason(413), start_response)
            length = len(body)
        else:
            return self._reject(environ, 411, "no Content-Length", start_response)
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
        self._log_refusal(
            environ.get("REQUEST_METHOD", ""), environ.get("PATH_INFO", ""), status, reason,
            _declared(environ), environ.get("REMOTE_ADDR", "?"),
        )  # fmt: skip
        return _plain(status, start_response, self._text(status))

    def _reason(self, status: int) -> str:
        return f"body over {self._max_body} bytes" if status == 413 else _REASONS.get(status, "")

    def _text(self, status: int) -> str | None:
        """The answer's body: a sentence where the reason phrase alone would puzzle a sender."""
        if status == 413:
            return f"Request body too large: this server takes at most {self._max_body} bytes."
        return None

    def _refused(self, path: str, status: int) -> None:
        # Every 4xx is a refusal (a 5xx from the application is a failure, not a refusal).
        if 400 <= status < 500:
            self._report(path, status)

    def _report(self, path: str, status: int) -> None:
        if self._on_refusal is not None:
            self._on_refusal(self.route_of(path), status)

    @staticmethod
    def _log_refusal(method: str, path: str, status: int, reason: str, declared: str, remote: str) -> None:
        # One bounded line: the method and path are the sender's, so cut short (and escaped
        # by the log's formatter); never the body.
        logger.warning(
            "rejected %s %s: %d %s (%s, from %s)",
            method[:16],
            _short(path),
            status,
            reason,
            declared,
            remote[:64],
        )


def _declared(environ: Mapping[str, Any]) -> str:
    """The size the request declared, bounded, for a log line."""
    length = environ.get("CONTENT_LENGTH")
    if length:
        return f"Content-Length {length[:20]}"
    return "chunked" if _chunked(environ) else "no Content-Length"


def _chunked(environ: Mapping[str, Any]) -> bool:
    return "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()


def _answering(start_response, on_status: Callable[[int], None]):
    """``start_response`` that adds the security headers and reports each answer's status."""

    def start(status: str, headers: list[tuple[str, str]], exc_info=None):
        code = status[:3]
        if code.isdigit() and not exc_info:
            on_status(int(code))
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
