"""``POST /discord/interactions``: Discord's HTTP interactions, each checked against the
application's Ed25519 public key before anything else reads it.

A missing, forged or stale signature gets 401 (Discord itself sends forged ones to check
that the endpoint refuses them); a body past 64 KiB 413; a signed body that is not an
interaction 400; the answer is the interaction response as JSON.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

from nacl.exceptions import BadSignatureError
from nacl.signing import VerifyKey

from handlers.discord.interactions import Interactions, Malformed

logger = logging.getLogger(__name__)

INTERACTIONS_PATH = "/discord/interactions"
MAX_BODY = 64 * 1024
# A signature older than this is a replay (Discord's own libraries allow a few minutes).
MAX_AGE_SECONDS = 300


def verify(key: VerifyKey, signature: str, stamp: str, body: bytes, now: float) -> bool:
    """Whether ``signature`` signs ``stamp + body`` with ``key``, and ``stamp`` is recent."""
    if not stamp.isdigit() or abs(now - int(stamp)) > MAX_AGE_SECONDS:
        return False
    try:
        key.verify(stamp.encode() + body, bytes.fromhex(signature))
    except (BadSignatureError, ValueError):
        return False
    return True


def _answer(
    start_response, status: str, body: bytes, kind: str = "text/plain; charset=utf-8"
) -> Iterable[bytes]:
    start_response(status, [("Content-Type", kind), ("Content-Length", str(len(body)))])
    return [body]


def make_endpoint(
    interactions: Interactions, public_key: str, wall: Callable[[], float] = time.time
) -> Callable[..., Iterable[bytes]]:
    """The WSGI application of the endpoint. ``wall`` is real time: ``AWAIR_NOW`` never
    weakens the signature check."""
    key = VerifyKey(bytes.fromhex(public_key))
    # The last reply made once (a warm /next), encoded once: one reference, swapped whole.
    encoded: tuple[str, bytes] = ("", b"")

    def endpoint(environ: dict[str, Any], start_response) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "POST":
            return _answer(start_response, "405 Method Not Allowed", b"POST only")
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _answer(start_response, "400 Bad Request", b"bad length")
        if length > MAX_BODY:
            return _answer(start_response, "413 Payload Too Large", b"too large")
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        signature = environ.get("HTTP_X_SIGNATURE_ED25519", "")
        stamp = environ.get("HTTP_X_SIGNATURE_TIMESTAMP", "")
        if not verify(key, signature, stamp, body, wall()):
            logger.info("interaction refused: missing, forged or stale signature")
            return _answer(start_response, "401 Unauthorized", b"invalid request signature")
        try:
            response = interactions.handle(json.loads(body.decode()))
        except (ValueError, UnicodeDecodeError, Malformed) as exc:
            logger.info("a signed request that is not an interaction: %s", str(exc)[:80])
            return _answer(start_response, "400 Bad Request", b"not an interaction")
        nonlocal encoded
        if isinstance(response, str):
            last = encoded
            if last[0] is not response:
                last = encoded = (response, response.encode())
            return _answer(start_response, "200 OK", last[1], "application/json")
        return _answer(start_response, "200 OK", json.dumps(response).encode(), "application/json")

    return endpoint
