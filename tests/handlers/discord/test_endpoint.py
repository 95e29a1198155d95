"""POST /discord/interactions: signatures, PING, bounds, malformed bodies."""

from __future__ import annotations

import json
import time

from nacl.signing import SigningKey

from tests.support.discord_harness import sign


def test_ping_is_answered_with_pong(discord):
    answer = discord.send({"id": "1", "type": 1, "application_id": "1", "token": "t", "version": 1})
    assert (answer.status, answer.body) == (200, {"type": 1})


def test_missing_forged_and_stale_signatures_get_401(discord):
    body = json.dumps({"type": 1}).encode()
    assert discord.raw(body, {}).status == 401
    forged = sign(body, key=SigningKey(bytes(range(1, 33))))
    assert discord.raw(body, forged).status == 401
    assert discord.raw(body, sign(body, stamp=str(int(time.time()) - 3600))).status == 401
    assert discord.raw(body, {**sign(body), "X-Signature-Ed25519": "zz"}).status == 401
    # A signature for another body does not carry over.
    assert discord.raw(b'{"type": 2}', sign(body)).status == 401


def test_signed_but_malformed_bodies_get_400_never_500(discord):
    for body in (
        b"not json",
        b"[]",
        b'{"type": "1"}',
        b'{"type": 99, "data": {}}',
        b'{"type": 2, "data": 7}',
    ):
        assert discord.raw(body, sign(body)).status == 400, body


def test_an_oversized_body_gets_413_before_its_signature_is_read(discord):
    body = b"{" + b" " * 70_000 + b"}"
    assert discord.raw(body, sign(body)).status == 413


def test_only_post_is_served(discord):
    assert discord.raw(b"", {}, method="GET").status == 405
