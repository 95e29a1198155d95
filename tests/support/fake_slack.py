"""A fake Slack Web API server for tests.

Modelled on bolt-python's ``tests/mock_web_api_server`` but packaged as a class that each
test can own::

    with FakeSlack() as fake:
        client = WebClient(token="xoxb-test", base_url=fake.url)
        client.chat_postMessage(channel="C1", text="hi")
        assert fake.calls_to("chat.postMessage")[0].args["text"] == "hi"

The server binds ``127.0.0.1`` on an ephemeral port and serves from a daemon thread. It
records every Web API call (method, decoded arguments, token), answers with plausible
defaults, and can be scripted to fail (rate limits, Slack errors, HTTP 500, slow answers).

Besides ``/api/<method>`` it serves two other kinds of path:

* ``/response/<name>``: a stand-in for a ``response_url`` (see :meth:`FakeSlack.response_url`);
  JSON posted there is recorded in :attr:`FakeSlack.responses`.
* ``/upload/<file_id>``: the ``upload_url`` handed out by ``files.getUploadURLExternal``,
  so ``WebClient.files_upload_v2`` works end to end; bytes land in :attr:`FakeSlack.uploads`.

Note on slack_sdk's wire format: methods that take blocks or attachments
(``chat.postMessage``, ``chat.update``, ``chat.postEphemeral``, ``views.open``, ...) are sent
as JSON bodies, where ``blocks`` is already a JSON array; most other methods are sent
form-encoded, where structured fields (``files``, ``blocks`` via ``api_call``) arrive as
JSON-encoded strings and booleans as ``"1"``/``"0"``. :attr:`RecordedCall.args` decodes the
JSON-string fields; :attr:`RecordedCall.raw_args` keeps what was sent.
"""

from __future__ import annotations

import contextlib
import email.parser
import email.policy
import itertools
import json
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qs, unquote, urlsplit

from tests.support.slack_limits import SlackRateLimits

__all__ = [
    "JSON_STRING_FIELDS",
    "RESPONSE_URL_KEY",
    "FakeSlack",
    "RecordedCall",
    "RecordedResponse",
    "RecordedUpload",
    "ResponseBody",
]

#: Argument names whose form-encoded values are JSON documents; decoded in ``RecordedCall.args``.
JSON_STRING_FIELDS: frozenset[str] = frozenset(
    {
        "attachments",
        "blocks",
        "files",
        "metadata",
        "outputs",
        "unfurls",
        "user_auth_blocks",
        "view",
    }
)

#: Methods that Slack answers without a token.
_NO_AUTH_METHODS: frozenset[str] = frozenset({"api.test"})

#: Key accepted by :meth:`FakeSlack.fail_next` to script a failure of ``response_url`` posts.
RESPONSE_URL_KEY = "response_url"

_BOT_USER_ID = "UBOT"
_BOT_ID = "BBOT"
_TEAM_ID = "T1"
_TS_BASE_MICROS = 1_700_000_000 * 1_000_000
_TS_STEP_MICROS = 100

ResponseBody = Mapping[str, Any] | Callable[["RecordedCall"], Mapping[str, Any]]
"""A canned answer: a JSON object, or a function of the call that returns one."""


@dataclass(frozen=True)
class RecordedCall:
    """One Web API call received by the fake.

    Attributes:
        method: The Web API method, e.g. ``"chat.postMessage"``.
        args: The arguments with JSON-string fields (see ``JSON_STRING_FIELDS``) decoded.
        raw_args: The arguments exactly as parsed from the query string and body.
        token: The bearer token from ``Authorization`` (or a ``token`` argument), if any.
        timestamp: ``time.time()`` when the request arrived.
        content_type: The request's ``Content-Type`` header (``""`` if absent).
        http_method: ``"POST"`` or ``"GET"``.
        status: The HTTP status the fake answered with.
        response: The JSON body the fake answered with (``None`` for a non-JSON body).
    """

    method: str
    args: dict[str, Any]
    raw_args: dict[str, Any]
    token: str | None
    timestamp: float
    content_type: str = ""
    http_method: str = "POST"
    status: int = 200
    response: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class RecordedResponse:
    """A body posted to one of the fake's ``response_url`` endpoints.

    Attributes:
        name: The ``<name>`` part of ``/response/<name>``.
        body: The posted JSON, decoded (the raw text if it was not JSON).
        raw: The raw request body as text.
        timestamp: ``time.time()`` when the request arrived.
    """

    name: str
    body: Any
    raw: str
    timestamp: float


@dataclass(frozen=True)
class RecordedUpload:
    """File bytes posted to an ``upload_url`` issued by ``files.getUploadURLExternal``."""

    file_id: str
    filename: str | None
    data: bytes
    timestamp: float


@dataclass
class _Script:
    """A scripted answer for the next ``times`` calls to one method.

    ``body=None`` means "the normal answer" (used for slow-but-successful calls).
    """

    status: int
    headers: dict[str, str]
    body: Mapping[str, Any] | str | bytes | None
    delay: float
    times: int


@dataclass
class _Answer:
    status: int
    body: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    json_body: Mapping[str, Any] | None = None


class FakeSlack:
    """A loopback HTTP server that impersonates the Slack Web API.

    Use as a context manager, or call :meth:`start` and :meth:`stop`. All public methods are
    thread-safe: the bot under test may call Slack from worker threads.
    """

    def __init__(self, host: str = "127.0.0.1", rate_limits: bool = True) -> None:
        """Create (but do not start) the server.

        Args:
            host: The address to bind; keep the default loopback address in tests.
            rate_limits: Enforce Slack's documented rate limits (``slack_limits``),
                answering 429 with ``Retry-After``; off for tests that need them off.
        """
        self._host = host
        self._limits = SlackRateLimits() if rate_limits else None
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._closing = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._calls: list[RecordedCall] = []
        self._responses: list[RecordedResponse] = []
        self._uploads: list[RecordedUpload] = []
        self._scripts: dict[str, list[_Script]] = {}
        self._overrides: dict[str, ResponseBody] = {}
        self._pending_files: dict[str, str | None] = {}
        self._ts_counter = itertools.count(1)
        self._id_counter = itertools.count(1)

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> Self:
        """Bind an ephemeral port and start serving in a daemon thread."""
        if self._server is not None:
            raise RuntimeError("FakeSlack is already running")
        self._closing.clear()
        server = _Server((self._host, 0), _Handler)
        server.fake = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"FakeSlack:{server.server_address[1]}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port. Wakes any scripted delay still sleeping."""
        server, thread = self._server, self._thread
        if server is None:
            return
        self._closing.set()
        server.shutdown()
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # ------------------------------------------------------------------ addresses

    @property
    def port(self) -> int:
        """The bound TCP port (only while running)."""
        if self._server is None:
            raise RuntimeError("FakeSlack is not running; call start() or use `with`")
        return int(self._server.server_address[1])

    @property
    def root_url(self) -> str:
        """``http://127.0.0.1:PORT`` with no trailing slash."""
        return f"http://{self._host}:{self.port}"

    @property
    def url(self) -> str:
        """The Web API base URL for ``WebClient(base_url=...)``; ends with ``/api/``."""
        return f"{self.root_url}/api/"

    def response_url(self, name: str = "default") -> str:
        """A ``response_url`` served by the fake; posts to it go to :attr:`responses`."""
        return f"{self.root_url}/response/{name}"

    # ------------------------------------------------------------------ recordings

    @property
    def calls(self) -> list[RecordedCall]:
        """A snapshot of every Web API call received so far, oldest first."""
        with self._lock:
            return list(self._calls)

    def calls_to(self, method: str) -> list[RecordedCall]:
        """The recorded calls to one Web API method, oldest first."""
        with self._lock:
            return [c for c in self._calls if c.method == method]

    @property
    def methods(self) -> list[str]:
        """The method names of all recorded calls, in order (handy in assertions)."""
        with self._lock:
            return [c.method for c in self._calls]

    @property
    def responses(self) -> list[RecordedResponse]:
        """A snapshot of the bodies posted to ``response_url`` endpoints, oldest first."""
        with self._lock:
            return list(self._responses)

    def responses_to(self, name: str) -> list[RecordedResponse]:
        """The bodies posted to ``response_url(name)``, oldest first."""
        with self._lock:
            return [r for r in self._responses if r.name == name]

    @property
    def uploads(self) -> list[RecordedUpload]:
        """A snapshot of file bytes posted to issued upload URLs, oldest first."""
        with self._lock:
            return list(self._uploads)

    def wait_for_calls(self, method: str, count: int = 1, timeout: float = 5.0) -> list[RecordedCall]:
        """Block until at least ``count`` calls to ``method`` were recorded.

        For bots that call Slack from background threads. Returns the calls to ``method``.

        Raises:
            AssertionError: if they did not arrive within ``timeout`` seconds.
        """

        def enough() -> bool:
            return sum(1 for c in self._calls if c.method == method) >= count

        with self._changed:
            if not self._changed.wait_for(enough, timeout=timeout):
                seen = [c.method for c in self._calls]
                raise AssertionError(f"expected {count} call(s) to {method} within {timeout}s; saw {seen}")
            return [c for c in self._calls if c.method == method]

    def wait_for_responses(self, name: str, count: int = 1, timeout: float = 5.0) -> list[RecordedResponse]:
        """Block until at least ``count`` posts to ``response_url(name)`` were recorded.

        Raises:
            AssertionError: if they did not arrive within ``timeout`` seconds.
        """

        def enough() -> bool:
            return sum(1 for r in self._responses if r.name == name) >= count

        with self._changed:
            if not self._changed.wait_for(enough, timeout=timeout):
                raise AssertionError(f"expected {count} post(s) to response_url({name!r}) within {timeout}s")
            return [r for r in self._responses if r.name == name]

    # ------------------------------------------------------------------ scripting

    def fail_next(
        self,
        method: str,
        status: int | None = None,
        headers: Mapping[str, str] | None = None,
        body: Mapping[str, Any] | str | bytes | None = None,
        times: int = 1,
        delay: float = 0.0,
    ) -> None:
        """Make the next ``times`` calls to ``method`` fail.

        Defaults depend on what is given:

        * nothing: HTTP 429, ``Retry-After: 1``, ``{"ok": false, "error": "ratelimited"}``;
        * only ``body`` (a Slack error such as ``{"ok": False, "error": "not_in_channel"}``):
          HTTP 200, as Slack answers its API errors;
        * ``status=500`` (or any 5xx): ``{"ok": false, "error": "internal_error"}``.

        ``body`` may also be ``str``/``bytes`` to send a non-JSON body. ``delay`` waits that
        many seconds before answering (combine with a short client ``timeout``). Use
        ``method="response_url"`` to script posts to ``response_url`` endpoints.
        """
        if times < 1:
            raise ValueError("times must be >= 1")
        if status is None:
            status = 200 if body is not None else 429
        if body is None:
            if status == 429:
                body = {"ok": False, "error": "ratelimited"}
            elif status >= 500:
                body = {"ok": False, "error": "internal_error"}
            else:
                body = {"ok": False, "error": "fatal_error"}
        if headers is None:
            headers = {"Retry-After": "1"} if status == 429 else {}
        script = _Script(status, dict(headers), body, float(delay), times)
        with self._lock:
            self._scripts.setdefault(method, []).append(script)

    def delay_next(self, method: str, seconds: float, times: int = 1) -> None:
        """Answer the next ``times`` calls to ``method`` normally, but only after ``seconds``.

        The wait ends early when the fake is stopped, so a timed-out client does not keep
        the test waiting.
        """
        if times < 1:
            raise ValueError("times must be >= 1")
        with self._lock:
            self._scripts.setdefault(method, []).append(_Script(200, {}, None, float(seconds), times))

    def set_response(self, method: str, body: ResponseBody) -> None:
        """Permanently replace the default answer for ``method`` (HTTP 200).

        ``body`` is a JSON object, or a function ``(RecordedCall) -> dict`` for answers that
        depend on the arguments (``call.response`` is not yet filled in at that point).
        """
        with self._lock:
            self._overrides[method] = body

    def reset(self) -> None:
        """Forget recorded calls, responses, uploads, scripts and overrides; restart ``ts``."""
        with self._lock:
            self._calls.clear()
            self._responses.clear()
            self._uploads.clear()
            self._scripts.clear()
            self._overrides.clear()
            self._pending_files.clear()
            self._ts_counter = itertools.count(1)
            self._id_counter = itertools.count(1)

    # ------------------------------------------------------------------ request handling

    def _pop_script(self, key: str) -> _Script | None:
        """Take one use of the first script for ``key`` (caller holds the lock)."""
        queue = self._scripts.get(key)
        if not queue:
            return None
        script = queue[0]
        script.times -= 1
        if script.times <= 0:
            queue.pop(0)
        return script

    def _next_ts(self) -> str:
        """A unique, increasing message ts (caller holds the lock)."""
        micros = _TS_BASE_MICROS + _TS_STEP_MICROS * next(self._ts_counter)
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def _next_id(self, prefix: str) -> str:
        """A unique Slack-style id such as ``F000001`` (caller holds the lock)."""
        return f"{prefix}{next(self._id_counter):06d}"

    def _wait(self, seconds: float) -> None:
        """Sleep for a scripted delay, waking early if the server is stopping."""
        if seconds > 0:
            self._closing.wait(seconds)

    def _handle_api(
        self,
        method: str,
        http_method: str,
        query: str,
        body: bytes,
        headers: Mapping[str, str],
    ) -> _Answer:
        received = time.time()
        content_type = headers.get("Content-Type", "")
        parse_error: str | None = None
        try:
            raw_args = _parse_args(query, body, content_type)
        except (ValueError, UnicodeDecodeError):
            raw_args = {}
            parse_error = "invalid_json" if "json" in content_type else "invalid_form_data"
        token = _bearer_token(headers.get("Authorization")) or _str_or_none(raw_args.get("token"))
        call = RecordedCall(
            method=method,
            args=_decode_json_fields(raw_args),
            raw_args=raw_args,
            token=token,
            timestamp=received,
            content_type=content_type,
            http_method=http_method,
        )
        with self._changed:
            script = self._pop_script(method)
            if script is not None and script.body is not None:
                answer = _answer_from(script.status, script.body, script.headers)
            elif parse_error is not None:
                answer = _json_answer({"ok": False, "error": parse_error})
            elif token is None and method not in _NO_AUTH_METHODS:
                answer = _json_answer({"ok": False, "error": "not_authed"})
            elif token is not None and not token.startswith("xox"):
                answer = _json_answer({"ok": False, "error": "invalid_auth"})
            elif self._limits is not None and (
                wait := self._limits.check(method, _str_or_none(call.args.get("channel")))
            ):
                answer = _answer_from(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(wait)})
            else:
                answer = _json_answer(self._default_answer(call))
            if script is not None:
                answer.delay = script.delay
            recorded = replace(call, status=answer.status, response=answer.json_body)
            self._calls.append(recorded)
            self._changed.notify_all()
        self._wait(answer.delay)
        return answer

    def _default_answer(self, call: RecordedCall) -> Mapping[str, Any]:
        """The JSON answer for a successful call (caller holds the lock)."""
        override = self._overrides.get(call.method)
        if override is not None:
            return override(call) if callable(override) else override
        args = call.args
        match call.method:
            case "api.test":
                return {"ok": True, "args": dict(call.raw_args)}
            case "auth.test":
                return {
                    "ok": True,
                    "url": "https://test.slack.com/",
                    "team": "Test",
                    "user": "awair",
                    "team_id": _TEAM_ID,
                    "user_id": _BOT_USER_ID,
                    "bot_id": _BOT_ID,
                    "is_enterprise_install": False,
                }
            case "chat.postMessage":
                ts = self._next_ts()
                return {
                    "ok": True,
                    "channel": args.get("channel"),
                    "ts": ts,
                    "message": _message(args, ts),
                }
            case "chat.update":
                return {
                    "ok": True,
                    "channel": args.get("channel"),
                    "ts": args.get("ts"),
                    "text": args.get("text", ""),
                    "message": _message(args, str(args.get("ts"))),
                }
            case "chat.postEphemeral":
                return {"ok": True, "message_ts": self._next_ts()}
            case "chat.delete":
                return {"ok": True, "channel": args.get("channel"), "ts": args.get("ts")}
            case "conversations.join":
                channel = args.get("channel")
                return {
                    "ok": True,
                    "channel": {
                        "id": channel,
                        "name": f"channel-{str(channel).lower()}",
                        "is_channel": True,
                        "is_member": True,
                    },
                }
            case "conversations.open":
                users = str(args.get("users") or "U0").split(",")[0]
                return {"ok": True, "channel": {"id": "D" + users.lstrip("UW")[:10], "is_im": True}}
            case "conversations.history":
                # Newest first, like Slack: the channel's successful posts, metadata included.
                oldest = float(args.get("oldest") or 0)
                posted = [
                    c.response["message"]
                    for c in self._calls
                    if c.method == "chat.postMessage"
                    and c.response is not None
                    and c.response.get("ok")
                    and c.args.get("channel") == args.get("channel")
                    and float(c.response["ts"]) > oldest
                ]
                limit = int(args.get("limit") or 100)
                return {"ok": True, "messages": posted[::-1][:limit], "has_more": len(posted) > limit}
            case "users.info":
                return {"ok": True, "user": _user(str(args.get("user", "U0")))}
            case "files.getUploadURLExternal":
                file_id = self._next_id("F")
                self._pending_files[file_id] = _str_or_none(args.get("filename"))
                return {
                    "ok": True,
                    "upload_url": f"{self.root_url}/upload/{file_id}",
                    "file_id": file_id,
                }
            case "files.completeUploadExternal":
                files = args.get("files")
                items = files if isinstance(files, list) else []
                return {
                    "ok": True,
                    "files": [
                        {
                            "id": item.get("id"),
                            "title": item.get("title"),
                            "name": self._pending_files.get(str(item.get("id"))),
                        }
                        for item in items
                        if isinstance(item, dict)
                    ],
                }
            case "views.open" | "views.push" | "views.update" | "views.publish":
                view = args.get("view")
                view = dict(view) if isinstance(view, dict) else {}
                view.setdefault("id", self._next_id("V"))
                return {"ok": True, "view": view}
            case _:
                return {"ok": True}

    def _handle_response_url(self, name: str, body: bytes) -> _Answer:
        text = body.decode("utf-8", errors="replace")
        try:
            parsed: Any = json.loads(text) if text else None
        except json.JSONDecodeError:
            parsed = text
        with self._changed:
            script = self._pop_script(RESPONSE_URL_KEY)
            self._responses.append(RecordedResponse(name, parsed, text, time.time()))
            self._changed.notify_all()
        if script is not None and script.body is not None:
            answer = _answer_from(script.status, script.body, script.headers)
        else:
            answer = _Answer(200, b"ok", "text/plain; charset=utf-8")
        if script is not None:
            answer.delay = script.delay
        self._wait(answer.delay)
        return answer

    def _handle_upload(self, file_id: str, body: bytes) -> _Answer:
        with self._changed:
            if file_id not in self._pending_files:
                return _Answer(404, b"unknown upload url", "text/plain; charset=utf-8")
            filename = self._pending_files[file_id]
            self._uploads.append(RecordedUpload(file_id, filename, body, time.time()))
            self._changed.notify_all()
        return _Answer(200, f"OK - {len(body)}".encode(), "text/plain; charset=utf-8")


# ---------------------------------------------------------------------- HTTP plumbing


class _Server(ThreadingHTTPServer):
    """ThreadingHTTPServer that knows its FakeSlack and stays quiet about dropped clients."""

    daemon_threads = True
    allow_reuse_address = True
    fake: FakeSlack

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Ignore clients that hung up (e.g. after a client-side timeout); report the rest."""
        # A client that timed out during a scripted delay has closed its socket; writing the
        # late answer then fails. That is expected, not a test failure.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    """Routes ``/api/<method>``, ``/response/<name>`` and ``/upload/<id>``."""

    server: _Server
    # Keep-alive, as Slack's API speaks: a pooled client reuses its connections.
    protocol_version = "HTTP/1.1"
    timeout = 30  # an idle keep-alive connection is let go

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_GET(self) -> None:
        self._dispatch("GET")

    def log_message(self, format: str, *args: Any) -> None:
        """Silence per-request logging."""

    def _dispatch(self, http_method: str) -> None:
        fake = self.server.fake
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        if len(body) < length:
            # The client went away mid-request (a bot process killed while calling): Slack
            # would never see this call, so neither is it recorded or answered.
            self.close_connection = True
            return
        path = parts.path
        if path.startswith("/api/") and len(path) > len("/api/"):
            method = unquote(path[len("/api/") :])
            headers = {k: v for k, v in self.headers.items()}
            answer = fake._handle_api(method, http_method, parts.query, body, headers)
        elif path.startswith("/response/"):
            answer = fake._handle_response_url(unquote(path[len("/response/") :]), body)
        elif path.startswith("/upload/") and http_method == "POST":
            answer = fake._handle_upload(unquote(path[len("/upload/") :]), body)
        else:
            answer = _json_answer({"ok": False, "error": "unknown_path"}, status=404)
        self._send(answer)

    def _send(self, answer: _Answer) -> None:
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(answer.body)))
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(answer.body)


# ---------------------------------------------------------------------- helpers


def _json_answer(body: Mapping[str, Any], status: int = 200) -> _Answer:
    return _Answer(
        status=status,
        body=json.dumps(body).encode("utf-8"),
        content_type="application/json; charset=utf-8",
        json_body=body,
    )


def _answer_from(status: int, body: Mapping[str, Any] | str | bytes, headers: Mapping[str, str]) -> _Answer:
    if isinstance(body, bytes | str):
        raw = body.encode("utf-8") if isinstance(body, str) else body
        answer = _Answer(status, raw, "text/plain; charset=utf-8")
    else:
        answer = _json_answer(body, status=status)
    answer.headers = dict(headers)
    return answer


def _bearer_token(header: str | None) -> str | None:
    """The token from ``Authorization: Bearer <token>``, or ``None``."""
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _flatten(pairs: Mapping[str, list[Any]]) -> dict[str, Any]:
    """parse_qs-style ``{k: [v, ...]}`` to ``{k: v}``, keeping lists for repeated keys."""
    return {k: v[0] if len(v) == 1 else list(v) for k, v in pairs.items()}


def _parse_args(query: str, body: bytes, content_type: str) -> dict[str, Any]:
    """Merge query-string and body arguments (JSON, form-encoded or multipart)."""
    args = _flatten(parse_qs(query, keep_blank_values=True)) if query else {}
    if not body:
        return args
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type == "application/json" or (not media_type and body.lstrip()[:1] == b"{"):
        parsed = json.loads(body.decode("utf-8"))
        if isinstance(parsed, dict):
            args.update(parsed)
        return args
    if media_type == "multipart/form-data":
        args.update(_parse_multipart(body, content_type))
        return args
    text = body.decode("utf-8")
    args.update(_flatten(parse_qs(text, keep_blank_values=True)))
    return args


def _parse_multipart(body: bytes, content_type: str) -> dict[str, Any]:
    """Parse a multipart body: text fields become ``str``, file parts stay ``bytes``."""
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body
    )
    fields: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True) or b""
        if part.get_filename() is None:
            fields[name] = payload.decode("utf-8", errors="replace")
        else:
            fields[name] = payload
    return fields


def _decode_json_fields(raw: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``raw`` where JSON-string values of ``JSON_STRING_FIELDS`` are decoded."""
    decoded = dict(raw)
    for name in JSON_STRING_FIELDS.intersection(decoded):
        value = decoded[name]
        if isinstance(value, str) and value.lstrip()[:1] in ("[", "{"):
            with contextlib.suppress(json.JSONDecodeError):
                decoded[name] = json.loads(value)
    return decoded


def _message(args: Mapping[str, Any], ts: str) -> dict[str, Any]:
    """The ``message`` object Slack echoes back for chat.postMessage / chat.update."""
    message: dict[str, Any] = {
        "type": "message",
        "user": _BOT_USER_ID,
        "bot_id": _BOT_ID,
        "team": _TEAM_ID,
        "ts": ts,
        "text": args.get("text", ""),
    }
    for key in ("blocks", "attachments", "thread_ts", "metadata"):
        if key in args:
            message[key] = args[key]
    return message


def _user(user_id: str) -> dict[str, Any]:
    """A ``users.info`` user object whose names are derived from ``user_id``."""
    real_name = f"User {user_id}"
    return {
        "id": user_id,
        "team_id": _TEAM_ID,
        "name": user_id.lower(),
        "real_name": real_name,
        "deleted": False,
        "is_bot": False,
        "tz": "UTC",
        "tz_label": "Coordinated Universal Time",
        "tz_offset": 0,
        "profile": {
            "real_name": real_name,
            "display_name": real_name,
            "real_name_normalized": real_name,
            "display_name_normalized": real_name,
        },
    }
