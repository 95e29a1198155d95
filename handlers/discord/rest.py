"""The one way the bot calls Discord's REST API: JSON over HTTPS with the bot token, pointed
at ``DISCORD_API_URL`` (tests: the fake Discord). Errors come back as ``DiscordError`` with
Discord's status, code and ``retry_after``; no retry is hidden here, so the caller (the
announcements' ``deliver``) decides every one."""

from __future__ import annotations

import json
import logging
import socket
import urllib.error
import urllib.request
import uuid
from typing import Any

logger = logging.getLogger(__name__)
USER_AGENT = "DiscordBot (https://github.com/awair-bot/awair-bot, 0.1)"


class DiscordError(Exception):
    """Discord refused a request, or it never got an answer (``status`` 0)."""

    def __init__(
        self,
        status: int,
        code: int = 0,
        message: str = "",
        retry_after: float | None = None,
        *,
        maybe_sent: bool = False,
    ):
        super().__init__(f"{status} {code} {message}".strip())
        self.status = status
        self.code = code
        self.message = message
        self.retry_after = retry_after
        self.maybe_sent = maybe_sent


class DiscordRest:
    """A small client of Discord's REST API v10."""

    def __init__(self, token: str | None, base_url: str, timeout: float = 10):
        self._token = token
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.timeout = timeout

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        auth: bool = True,
        files: dict[str, bytes] | None = None,
    ) -> Any:
        """``method path`` with a JSON ``body`` (and ``files`` by name, sent as Discord's
        multipart form with the body as ``payload_json``); the decoded answer (None for 204)."""
        headers = {"User-Agent": USER_AGENT}
        if auth and self._token:
            headers["Authorization"] = f"Bot {self._token}"
        data = None
        if files:
            data, headers["Content-Type"] = _multipart(body, files)
        elif body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.base_url + path.lstrip("/"), data, headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                raw = response.read()
        except urllib.error.HTTPError as exc:
            raise _error(exc) from None
        except TimeoutError:
            raise DiscordError(0, message="timeout", maybe_sent=True) from None
        except urllib.error.URLError as exc:
            timed_out = isinstance(exc.reason, TimeoutError | socket.timeout)
            raise DiscordError(
                0, message="timeout" if timed_out else "connection error", maybe_sent=timed_out
            ) from None
        except OSError as exc:
            raise DiscordError(0, message=type(exc).__name__, maybe_sent=True) from None
        return json.loads(raw) if raw else None


def _multipart(body: Any, files: dict[str, bytes]) -> tuple[bytes, str]:
    boundary = f"awair-{uuid.uuid4().hex}"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="payload_json"\r\n'
        "Content-Type: application/json\r\n\r\n".encode()
        + json.dumps(body).encode()
    ]
    for i, (filename, content) in enumerate(files.items()):
        safe = filename.replace('"', "").replace("\r", "").replace("\n", "")
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="files[{i}]"; filename="{safe}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        )
        parts.append(head.encode() + content)
    data = b"\r\n".join(parts) + f"\r\n--{boundary}--\r\n".encode()
    return data, f"multipart/form-data; boundary={boundary}"


def _error(exc: urllib.error.HTTPError) -> DiscordError:
    try:
        body = json.loads(exc.read() or b"{}")
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    retry_after = body.get("retry_after") or exc.headers.get("Retry-After")
    try:
        wait = float(retry_after) if retry_after is not None else None
    except ValueError:
        wait = None
    code = body.get("code") if isinstance(body.get("code"), int) else 0
    return DiscordError(
        exc.code, code, str(body.get("message") or exc.reason)[:200], wait if exc.code == 429 else None
    )
