"""Slack's side of the web guard: is this request Slack's, and is it well formed?

Run before Bolt sees the request, because Bolt answers malformed input with a 500 and a
traceback (a non-numeric timestamp, a body that is not JSON) and logs the whole body of a
request it rejects. Slack signs ``v0:{timestamp}:{body}`` with the app's signing secret
(HMAC-SHA256) and a request older than five minutes is refused, as Slack advises.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
from collections.abc import Callable, Collection, Mapping
from typing import Any
from urllib.parse import parse_qs, unquote_plus

from handlers.web.guard import REJECT_MALFORMED, REJECT_UNSIGNED, Verdict

REPLAY_WINDOW = 300  # seconds: Slack's own advice for the timestamp's age


class SlackRequestCheck:
    """The check for ``/slack/events``; ``views`` are the modal callback ids the app handles."""

    def __init__(
        self, signing_secret: str, views: Collection[str] = (), wall: Callable[[], float] = time.time
    ):
        self._secret = signing_secret.encode()
        self._views = frozenset(views)
        self._wall = wall

    def __call__(self, headers: Mapping[str, str], body: bytes) -> Verdict:
        """Unsigned or stale: 401. Signed but not a request the app can read: 400."""
        signature = headers.get("x-slack-signature", "")
        stamp = headers.get("x-slack-request-timestamp", "")
        if not (stamp.isascii() and stamp.isdigit() and len(stamp) <= 12):
            return Verdict(REJECT_UNSIGNED, "no valid X-Slack-Request-Timestamp")
        if abs(self._wall() - int(stamp)) > REPLAY_WINDOW:
            return Verdict(REJECT_UNSIGNED, "timestamp outside five minutes")
        expected = (
            "v0=" + hmac.new(self._secret, b"v0:" + stamp.encode() + b":" + body, hashlib.sha256).hexdigest()
        )
        if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")):
            return Verdict(REJECT_UNSIGNED, "bad signature")
        problem = self._malformed(headers.get("content-type", ""), body)
        if problem:
            return Verdict(REJECT_MALFORMED, problem)
        if headers.get("x-slack-retry-num"):
            # Slack redelivers an event it thinks went unanswered; the first delivery ran.
            return Verdict(retry=True, repeat_headers=(("X-Slack-No-Retry", "1"),))
        readable = bolt_readable(body)
        if readable is not body:
            resigned = (
                "v0="
                + hmac.new(
                    self._secret, b"v0:" + stamp.encode() + b":" + readable, hashlib.sha256
                ).hexdigest()
            )
            return Verdict(replay_key=signature, body=readable, headers=(("x-slack-signature", resigned),))
        return Verdict(replay_key=signature)

    def _malformed(self, content_type: str, body: bytes) -> str | None:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return "body is not UTF-8"
        if content_type.startswith("application/json"):
            return None if isinstance(_loads(text), dict) else "body is not a JSON object"
        fields = parse_qs(text, keep_blank_values=True)
        if "payload" in fields:
            return self._payload(fields["payload"][0])
        command = fields.get("command", [""])[0]
        if not command.startswith("/"):
            return "neither a slash command nor an interaction payload"
        if not fields.get("user_id", [""])[0]:
            return "slash command without user_id"
        return None

    def _payload(self, raw: str) -> str | None:
        payload = _loads(raw)
        if not isinstance(payload, dict) or not isinstance(payload.get("type"), str):
            return "payload is not a JSON object with a type"
        user = payload.get("user")
        if not isinstance(user, dict) or not isinstance(user.get("id"), str):
            return "payload without a user"
        kind = payload["type"]
        if kind == "block_actions":
            actions = payload.get("actions")
            if not isinstance(actions, list) or not actions:
                return "block_actions without actions"
            for action in actions:
                if not isinstance(action, dict) or not isinstance(action.get("action_id"), str):
                    return "an action without an action_id"
                if "value" in action and not isinstance(action["value"], str):
                    return "an action whose value is not text"
        elif kind in ("view_submission", "view_closed"):
            view = payload.get("view")
            if not isinstance(view, dict) or view.get("callback_id") not in self._views:
                return "a view this app never opened"
        return None


# Commands that only read: they never wait behind a burst of votes (awair_bot.dispatcher).
READ_COMMANDS = frozenset({"/next", "/schedule", "/readings", "/proposals"})
_COMMAND = re.compile(rb"(?:^|&)command=([^&]*)")


def is_write(path: str, body: bytes) -> bool:
    """Whether a request to the web process may write: a click, or a command that is not
    one of the reads. Anything else (the board, /healthz, a malformed body) is a read."""
    if path != "/slack/events":
        return False
    if _has_payload_field(body):
        return True
    found = _COMMAND.search(body)
    return found is not None and unquote_plus(found.group(1).decode("ascii", "replace")) not in READ_COMMANDS


def bolt_readable(body: bytes) -> bytes:
    """``body`` as Bolt will read it right: Bolt takes any form body with "payload" in it
    for an interaction and finds no command in it (a ``/propose payload design`` went
    unanswered). A slash command's "payload" is sent as ``%70ayload`` instead, which
    decodes to the same text. Bodies that are interactions come back as they were."""
    if b"payload" not in body or _has_payload_field(body):
        return body
    return body.replace(b"payload", b"%70ayload")


def _has_payload_field(body: bytes) -> bool:
    return any(part.startswith(b"payload=") for part in body.split(b"&"))


def _loads(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None
