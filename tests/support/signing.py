"""Build signed requests shaped like the ones Slack sends to the bot's HTTP endpoint.

Slack signs each request with the app's signing secret: ``v0=`` + hex HMAC-SHA256 of
``v0:{timestamp}:{raw body}``, sent as ``X-Slack-Signature`` with the timestamp in
``X-Slack-Request-Timestamp``. Slash commands arrive as form fields; interactive payloads
(``block_actions``) arrive as one form field ``payload`` holding JSON.

Default ``response_url`` values point at a closed loopback port, so a test that forgets to
pass ``FakeSlack.response_url(...)`` fails fast instead of reaching the internet.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from slack_bolt.request import BoltRequest

__all__ = [
    "UNSET_RESPONSE_URL",
    "block_action_body",
    "block_action_payload",
    "bolt_request",
    "sign",
    "signed_headers",
    "slash_command_body",
]

#: Used when no ``response_url`` is given: loopback port 9 (discard), normally closed.
UNSET_RESPONSE_URL = "http://127.0.0.1:9/response/unset"

_DEFAULT_MESSAGE_TS = "1700000000.000100"


def sign(body: str, secret: str, timestamp: int) -> str:
    """The ``X-Slack-Signature`` value for ``body`` sent at ``timestamp``."""
    base = f"v0:{timestamp}:{body}".encode()
    digest = hmac.new(secret.encode("utf-8"), base, hashlib.sha256).hexdigest()
    return f"v0={digest}"


def signed_headers(body: str, secret: str, timestamp: int | None = None) -> dict[str, str]:
    """Headers Slack would send with ``body``: signature, timestamp and form content type.

    Args:
        body: The exact raw request body.
        secret: The app's signing secret.
        timestamp: Unix seconds; defaults to now (Bolt rejects requests older than 5 min).
    """
    ts = int(time.time()) if timestamp is None else int(timestamp)
    return {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": str(ts),
        "X-Slack-Signature": sign(body, secret, ts),
    }


def slash_command_body(
    command: str,
    text: str,
    user_id: str = "U123",
    channel_id: str = "C123",
    response_url: str | None = None,
    trigger_id: str = "T1.1",
    team_id: str = "T1",
    user_name: str = "alice",
    **extra: str,
) -> str:
    """A form-encoded slash-command body with the fields (and order) Slack sends.

    ``extra`` adds or overrides fields (e.g. ``channel_name="general"``).
    """
    fields: dict[str, str] = {
        "token": "verification-token",
        "team_id": team_id,
        "team_domain": "test",
        "channel_id": channel_id,
        "channel_name": "test-channel",
        "user_id": user_id,
        "user_name": user_name,
        "command": command,
        "text": text,
        "api_app_id": "A1",
        "is_enterprise_install": "false",
        "response_url": response_url or UNSET_RESPONSE_URL,
        "trigger_id": trigger_id,
    }
    fields.update(extra)
    return urlencode(fields)


def block_action_payload(
    action_id: str,
    value: str,
    user_id: str = "U123",
    channel_id: str = "C123",
    message_ts: str | None = None,
    response_url: str | None = None,
    container: Mapping[str, Any] | None = None,
    block_id: str = "b",
    *,
    team_id: str = "T1",
    user_name: str = "alice",
    trigger_id: str = "T1.1",
    action_type: str = "button",
    message: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A ``block_actions`` interactive payload (as a dict) like Slack's.

    By default the action comes from a button in a bot message in ``channel_id`` at
    ``message_ts``. Pass ``container`` (e.g. ``{"type": "view", "view_id": "V1"}``) for
    actions in modals or App Home; then ``channel``/``message`` are included only if the
    container is a message.
    """
    ts = message_ts or _DEFAULT_MESSAGE_TS
    if container is None:
        container = {
            "type": "message",
            "message_ts": ts,
            "channel_id": channel_id,
            "is_ephemeral": False,
        }
    action: dict[str, Any] = {
        "action_id": action_id,
        "block_id": block_id,
        "type": action_type,
        "action_ts": f"{int(time.time())}.000001",
    }
    if action_type == "button":
        action["text"] = {"type": "plain_text", "text": "Button", "emoji": True}
        action["value"] = value
    elif action_type == "static_select":
        action["selected_option"] = {
            "text": {"type": "plain_text", "text": value, "emoji": True},
            "value": value,
        }
    else:
        action["value"] = value
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": user_id, "username": user_name, "name": user_name, "team_id": team_id},
        "api_app_id": "A1",
        "token": "verification-token",
        "container": dict(container),
        "trigger_id": trigger_id,
        "team": {"id": team_id, "domain": "test"},
        "enterprise": None,
        "is_enterprise_install": False,
        "state": {"values": {}},
        "response_url": response_url or UNSET_RESPONSE_URL,
        "actions": [action],
    }
    if container.get("type") == "message":
        payload["channel"] = {"id": container.get("channel_id", channel_id), "name": "test-channel"}
        payload["message"] = (
            dict(message)
            if message is not None
            else {
                "type": "message",
                "user": "UBOT",
                "bot_id": "BBOT",
                "ts": container.get("message_ts", ts),
                "text": "",
                "blocks": [],
            }
        )
    return payload


def block_action_body(
    action_id: str,
    value: str,
    user_id: str = "U123",
    channel_id: str = "C123",
    message_ts: str | None = None,
    response_url: str | None = None,
    container: Mapping[str, Any] | None = None,
    block_id: str = "b",
    **options: Any,
) -> str:
    """A ``payload=<json>`` form body for a ``block_actions`` interaction.

    Arguments are those of :func:`block_action_payload` (``options`` are its keyword-only
    ones).
    """
    payload = block_action_payload(
        action_id,
        value,
        user_id=user_id,
        channel_id=channel_id,
        message_ts=message_ts,
        response_url=response_url,
        container=container,
        block_id=block_id,
        **options,
    )
    return urlencode({"payload": json.dumps(payload)})


def bolt_request(body: str, secret: str, timestamp: int | None = None) -> BoltRequest:
    """A signed :class:`BoltRequest` for ``app.dispatch(...)``."""
    headers = signed_headers(body, secret, timestamp)
    return BoltRequest(body=body, headers={k.lower(): v for k, v in headers.items()})
