"""A fake Discord REST API for tests, on an ephemeral loopback port.

It records every request (method, path, query, JSON body, whether it carried the bot token)
and answers like Discord: message objects for posts and edits, the commands it was given for
a bulk overwrite, guild scheduled events, and, when scripted, a 429 with ``retry_after`` or
any error Discord returns. ``fail_next(match, status, body)`` scripts the next request whose
``METHOD path`` contains ``match``.

Events on the server count towards Discord's limit of 100 scheduled or active events; the
101st gets error 30038, as Discord answers it.
"""

from __future__ import annotations

import email.parser
import email.policy
import itertools
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

APPLICATION_ID = "300000000000000001"
BOT_USER_ID = "300000000000000002"
EVENTS_LIMIT = 100


@dataclass(frozen=True)
class Request:
    """One request the bot made."""

    method: str
    path: str  # without the /api/v10 prefix, e.g. /channels/1/messages
    query: dict[str, list[str]]
    body: Any
    authorized: bool
    files: dict[str, bytes] = field(default_factory=dict)  # multipart uploads, by filename

    @property
    def line(self) -> str:
        """'POST /channels/1/messages'."""
        return f"{self.method} {self.path}"


@dataclass
class _Script:
    match: str
    status: int
    body: dict[str, Any]
    times: int = 1


@dataclass
class FakeDiscord:
    """Start with ``with FakeDiscord() as fake:``; ``fake.url`` is the API's base URL."""

    token: str = "test-bot-token"
    requests: list[Request] = field(default_factory=list)
    messages: dict[str, dict[str, Any]] = field(default_factory=dict)
    events: dict[str, dict[str, Any]] = field(default_factory=dict)
    commands: list[dict[str, Any]] = field(default_factory=list)
    callbacks: list[Any] = field(default_factory=list)  # Gateway interactions' answers
    channel_types: dict[str, int] = field(default_factory=dict)  # 2 voice, 13 stage; else text
    dm_channels: dict[str, str] = field(default_factory=dict)  # member's user id -> their DM channel

    def __post_init__(self) -> None:
        self._ids = itertools.count(400_000_000_000_000_001)
        self._scripts: list[_Script] = []
        self._nonces: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # -- lifecycle ------------------------------------------------------------------------

    def __enter__(self) -> Self:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _serve(self) -> None:
                fake._serve(self)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self) -> str:
        """The base URL, as DISCORD_API_URL takes it."""
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/api/v10/"

    # -- scripting and reading ------------------------------------------------------------

    def fail_next(self, match: str, status: int, body: dict[str, Any] | None = None, times: int = 1) -> None:
        """The next ``times`` requests whose 'METHOD path' contains ``match`` get this answer."""
        with self._lock:
            self._scripts.append(_Script(match, status, body or {"message": "error", "code": 0}, times))

    def rate_limit_next(self, match: str, retry_after: float = 0.01, times: int = 1) -> None:
        """A 429 as Discord sends it."""
        body = {"message": "You are being rate limited.", "retry_after": retry_after, "global": False}
        self.fail_next(match, 429, body, times)

    def calls(self, method: str, pattern: str = "") -> list[Request]:
        """Requests with this method whose path matches the regex ``pattern``."""
        return [r for r in self.requests if r.method == method and re.search(pattern, r.path)]

    def posts_to(self, channel: str) -> list[dict[str, Any]]:
        """Messages the bot posted to ``channel`` (after any edits), oldest first."""
        return [m for m in self.messages.values() if m["channel_id"] == channel]

    def dms_to(self, user_id: str) -> list[dict[str, Any]]:
        """Messages the bot sent the member ``user_id`` in their DM channel, oldest first."""
        channel = self.dm_channels.get(user_id)
        return self.posts_to(channel) if channel else []

    # -- serving --------------------------------------------------------------------------

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        split = urlsplit(handler.path)
        path = split.path.removeprefix("/api/v10")
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        files: dict[str, bytes] = {}
        if (handler.headers.get("Content-Type") or "").startswith("multipart/form-data"):
            body, files = _multipart(handler.headers["Content-Type"], raw)
        else:
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = {"_unparsed": raw.decode(errors="replace")}
        authorized = handler.headers.get("Authorization") == f"Bot {self.token}"
        request = Request(handler.command, path, parse_qs(split.query), body, authorized, files)
        with self._lock:
            self.requests.append(request)
            status, answer = self._scripted(request) or self._answer(request)
        data = json.dumps(answer).encode() if answer is not None else b""
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        if status == 429:
            handler.send_header("Retry-After", str(answer.get("retry_after", 1)))
        handler.end_headers()
        handler.wfile.write(data)

    def _scripted(self, request: Request) -> tuple[int, Any] | None:
        for script in self._scripts:
            if script.match in request.line:
                script.times -= 1
                if script.times <= 0:
                    self._scripts.remove(script)
                return script.status, script.body
        return None

    def _answer(self, r: Request) -> tuple[int, Any]:
        webhook = r.path.startswith("/webhooks/")
        if not webhook and not r.authorized:
            return 401, {"message": "401: Unauthorized", "code": 0}
        if m := re.fullmatch(r"/applications/(\d+)/guilds/(\d+)/commands", r.path):
            if r.method == "PUT":
                self.commands = [{**c, "id": str(next(self._ids)), "application_id": m[1]} for c in r.body]
            return 200, self.commands
        if r.path == "/users/@me/channels":
            # One DM channel per member, as Discord answers: opening it again gives it back.
            recipient = r.body["recipient_id"]
            channel_id = self.dm_channels.setdefault(recipient, str(next(self._ids)))
            return 200, {"id": channel_id, "type": 1, "recipients": [{"id": recipient, "username": "member"}]}
        if r.path == "/users/@me":
            return 200, {
                "id": BOT_USER_ID,
                "username": "awair-bot",
                "discriminator": "0",
                "bot": True,
                "avatar": None,
            }
        if r.path in ("/applications/@me", "/oauth2/applications/@me"):
            return 200, {
                "id": APPLICATION_ID, "name": "awair-bot", "description": "", "icon": None, "bot_public": False,
                "bot_require_code_grant": False, "verify_key": "0" * 64, "flags": 0,
                "bot": {"id": BOT_USER_ID, "username": "awair-bot", "discriminator": "0"},
                "owner": {"id": "1" * 18, "username": "owner", "discriminator": "0", "avatar": None},
            }  # fmt: skip
        if m := re.fullmatch(r"/channels/(\d+)", r.path):
            return 200, {"id": m[1], "type": self.channel_types.get(m[1], 0), "guild_id": "1", "name": "room"}
        if m := re.fullmatch(r"/channels/(\d+)/messages", r.path):
            if r.method == "GET":
                return 200, list(reversed(self.posts_to(m[1])))[:100]
            return self._post(m[1], r.body)
        if m := re.fullmatch(r"/channels/(\d+)/messages/(\d+)", r.path):
            return self._edit(m[2], r.body)
        if m := re.fullmatch(r"/channels/(\d+)/messages/(\d+)/threads", r.path):
            thread = {"id": str(next(self._ids)), "type": 11, "parent_id": m[1], "name": r.body.get("name")}
            return 201, thread
        if re.fullmatch(r"/interactions/\d+/[^/]+/callback", r.path):
            self.callbacks.append(r.body)
            return 204, None
        if re.fullmatch(r"/webhooks/\d+/[^/]+(/messages/@original)?", r.path):
            return 200, self._message("0", r.body or {})
        if m := re.fullmatch(r"/guilds/(\d+)/scheduled-events", r.path):
            return self._new_event(m[1], r.body) if r.method == "POST" else (200, list(self.events.values()))
        if m := re.fullmatch(r"/guilds/(\d+)/scheduled-events/(\d+)", r.path):
            return self._change_event(m[2], r.method, r.body)
        return 404, {"message": "404: Not Found", "code": 0}

    def _message(self, channel: str, body: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": str(next(self._ids)),
            "channel_id": channel,
            "type": 0,
            "content": body.get("content", ""),
            "embeds": body.get("embeds", []),
            "components": body.get("components", []),
            "author": {"id": BOT_USER_ID, "username": "awair-bot", "bot": True},
            "timestamp": "2023-08-05T17:00:00.000000+00:00",
            "flags": body.get("flags", 0),
            "mentions": [],
            "attachments": [],
            "pinned": False,
            "tts": False,
        }

    def _post(self, channel: str, body: dict[str, Any]) -> tuple[int, Any]:
        nonce = body.get("nonce")
        if body.get("enforce_nonce") and nonce in self._nonces:
            return 200, self._nonces[nonce]  # Discord answers with the message already made
        message = self._message(channel, body)
        self.messages[message["id"]] = message
        if nonce:
            self._nonces[nonce] = message
        return 200, message

    def _edit(self, message_id: str, body: dict[str, Any]) -> tuple[int, Any]:
        message = self.messages.get(message_id)
        if message is None:
            return 404, {"message": "Unknown Message", "code": 10008}
        message.update({k: v for k, v in body.items() if k in ("content", "embeds", "components")})
        return 200, message

    def _new_event(self, guild: str, body: dict[str, Any]) -> tuple[int, Any]:
        live = [e for e in self.events.values() if e["status"] in (1, 2)]
        if len(live) >= EVENTS_LIMIT:
            return 400, {"message": "Maximum number of guild scheduled events reached (100)", "code": 30038}
        event = {
            **body,
            "id": str(next(self._ids)),
            "guild_id": guild,
            "status": 1,
            "creator_id": BOT_USER_ID,
        }
        self.events[event["id"]] = event
        return 200, event

    def _change_event(self, event_id: str, method: str, body: dict[str, Any] | None) -> tuple[int, Any]:
        event = self.events.get(event_id)
        if event is None:
            return 404, {"message": "Unknown Guild Scheduled Event", "code": 10070}
        if method == "DELETE":
            del self.events[event_id]
            return 204, None
        if method == "PATCH":
            event.update(body or {})
        return 200, event


def _multipart(content_type: str, raw: bytes) -> tuple[Any, dict[str, bytes]]:
    """Discord's multipart form: ``payload_json`` (the message) and ``files[n]``."""
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + raw
    )
    body, files = None, {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        if name == "payload_json":
            body = json.loads(payload)
        else:
            files[part.get_filename() or name] = payload
    return body, files
