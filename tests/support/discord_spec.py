"""Hold the requests the bot makes to the fake Discord, and what its interactions endpoint
answers, to Discord's own OpenAPI description of its HTTP API (in
``../shared/discord-api-spec/``, beside the project; skipped, saying why, where absent).

A request passes when its method and path match an operation of the spec and its JSON body
validates against that operation's request schema (Draft 2020-12, ``$ref``s resolved). The
spec does not count the 6,000 characters across a message's embeds: ``check_limits`` does.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from tests.support.fake_discord import FakeDiscord, Request

SPEC_PATH = Path(__file__).resolve().parents[2].parent / "shared" / "discord-api-spec" / "openapi.json"
SPEC_MISSING_REASON = (
    f"Discord API spec not found at {SPEC_PATH} (it lives beside the project in ../shared/discord-api-spec/)"
)
requires_spec = pytest.mark.skipif(not SPEC_PATH.is_file(), reason=SPEC_MISSING_REASON)
CALLBACK_PATH = "/interactions/{interaction_id}/{interaction_token}/callback"


@functools.cache
def _spec() -> dict[str, Any]:
    return json.loads(SPEC_PATH.read_text(encoding="utf-8"))


@functools.cache
def _registry() -> Registry:
    return Registry().with_resource(
        "urn:discord", Resource.from_contents(_spec(), default_specification=_draft())
    )


def _draft():
    from referencing.jsonschema import DRAFT202012

    return DRAFT202012


@functools.cache
def _templates() -> list[tuple[re.Pattern[str], str]]:
    found = []
    for template in _spec()["paths"]:
        pattern = re.sub(r"\\\{[a-z_]+\\\}", "[^/]+", re.escape(template))
        found.append((re.compile(f"^{pattern}$"), template))
    # Literal paths (/applications/@me) before templated ones that also match them.
    return sorted(found, key=lambda p: p[1].count("{"))


def _template(path: str) -> str | None:
    return next((t for pattern, t in _templates() if pattern.match(path)), None)


def _pointer(template: str, method: str) -> str:
    """Where an operation's JSON request schema is in the spec, as a JSON pointer."""
    escaped = quote(template.replace("~", "~0").replace("/", "~1"), safe="~@")
    return f"#/paths/{escaped}/{method}/requestBody/content/application~1json/schema"


def _validate(pointer: str, body: Any) -> list[str]:
    schema = {"$ref": "urn:discord" + pointer}
    validator = Draft202012Validator(schema, registry=_registry())
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '(body)'}: {e.message[:300]}"
        for e in validator.iter_errors(body)
    ]


def check_limits(body: Any) -> list[str]:
    """Limits across fields that the spec leaves out: 6,000 characters over all embeds."""
    if not isinstance(body, dict):
        return []
    total = 0
    for e in body.get("embeds") or []:
        total += (
            len(e.get("title", ""))
            + len(e.get("description", ""))
            + len((e.get("footer") or {}).get("text", ""))
        )
        total += sum(len(f["name"]) + len(f["value"]) for f in e.get("fields", []))
    return [f"embeds total {total} characters, past Discord's 6,000"] if total > 6000 else []


def check_request(method: str, path: str, body: Any) -> list[str]:
    """Problems with one request measured against the spec; empty if it conforms."""
    template = _template(path)
    if template is None:
        return [f"{method} {path}: no such path in Discord's API"]
    operation = _spec()["paths"][template].get(method.lower())
    if operation is None:
        return [f"{method} {template}: no such method"]
    problems = check_limits(body)
    content = (operation.get("requestBody") or {}).get("content", {})
    if body is not None and "application/json" in content:
        problems += [f"{method} {template}: {p}" for p in _validate(_pointer(template, method.lower()), body)]
    return problems


def check_callback(response: dict[str, Any]) -> list[str]:
    """Problems with an interaction response the endpoint answered."""
    return check_limits(response.get("data")) + _validate(_pointer(CALLBACK_PATH, "post"), response)


def assert_requests_match_spec(requests: Iterable[Request]) -> None:
    """Assert that every request conforms, listing all problems if not."""
    problems = [f"#{i} {p}" for i, r in enumerate(requests) for p in check_request(r.method, r.path, r.body)]
    if problems:
        raise AssertionError("Discord requests do not match Discord's spec:\n  " + "\n  ".join(problems))


@contextmanager
def spec_checked_discord() -> Iterator[FakeDiscord]:
    """A running ``FakeDiscord`` whose requests are checked against the spec when the block
    ends without error (skipped, saying why, where the spec is absent)."""
    with FakeDiscord() as fake:
        yield fake
        if SPEC_PATH.is_file():
            assert_requests_match_spec(fake.requests)
        else:
            print(f"Discord spec check skipped: {SPEC_MISSING_REASON}")
