"""Hold recorded Web API calls to Slack's own OpenAPI 2.0 description of the Web API.

The spec (``slack_web_openapi_v2_without_examples.json``, from ``slackapi/slack-api-specs``,
frozen in 2021) lives beside the project in ``../shared/slack-web-api-spec/``, not in it.
Where it is absent (a fresh clone elsewhere) tests that need it should skip, e.g. with
:data:`requires_spec` or ``pytest.skip(SPEC_MISSING_REASON)``.

A call passes when its method is a path ``/<method>`` in the spec and it carries every
argument the spec marks ``required`` in ``query`` or ``formData`` (``token`` travels as a
header, so it is not checked). Methods newer than the spec are allow-listed by name in
:data:`NEWER_THAN_SPEC`; for those, the arguments Slack's current documentation requires are
checked instead.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

import pytest

from tests.support.fake_slack import FakeSlack

__all__ = [
    "NEWER_THAN_SPEC",
    "SPEC_MISSING_REASON",
    "SPEC_PATH",
    "assert_calls_match_spec",
    "check_call",
    "known_methods",
    "required_args",
    "requires_spec",
    "spec_available",
]

SPEC_PATH: Path = (
    Path(__file__).resolve().parents[2].parent
    / "shared"
    / "slack-web-api-spec"
    / "slack_web_openapi_v2_without_examples.json"
)
"""Where the spec is expected: ``<repo>/../shared/slack-web-api-spec/...``."""

SPEC_MISSING_REASON: str = (
    f"Slack Web API spec not found at {SPEC_PATH} "
    "(it lives beside the project in ../shared/slack-web-api-spec/, not in the repo)"
)

NEWER_THAN_SPEC: frozenset[str] = frozenset({"files.getUploadURLExternal", "files.completeUploadExternal"})
"""Methods absent from the 2021 spec that the bot may legitimately call."""

# Required arguments of the NEWER_THAN_SPEC methods, per Slack's current method reference.
_NEWER_REQUIRED: dict[str, frozenset[str]] = {
    "files.getUploadURLExternal": frozenset({"filename", "length"}),
    "files.completeUploadExternal": frozenset({"files"}),
}

_CHECKED_LOCATIONS = frozenset({"query", "formData"})

requires_spec = pytest.mark.skipif(not SPEC_PATH.is_file(), reason=SPEC_MISSING_REASON)
"""Mark a test (or module, via ``pytestmark``) that needs the spec file."""


class _CallLike(Protocol):
    """Anything with a method name and arguments, e.g. ``fake_slack.RecordedCall``."""

    @property
    def method(self) -> str: ...

    @property
    def args(self) -> Mapping[str, Any]: ...


def spec_available() -> bool:
    """Whether the spec file is present."""
    return SPEC_PATH.is_file()


@functools.cache
def _spec() -> dict[str, Any]:
    """The parsed spec, loaded once per process."""
    if not spec_available():
        raise FileNotFoundError(SPEC_MISSING_REASON)
    with SPEC_PATH.open(encoding="utf-8") as handle:
        spec: dict[str, Any] = json.load(handle)
    return spec


@functools.cache
def known_methods() -> frozenset[str]:
    """Every method named in the spec's ``paths`` (without the leading slash)."""
    return frozenset(path.lstrip("/") for path in _spec()["paths"])


@functools.cache
def required_args(method: str) -> frozenset[str]:
    """The arguments the spec marks required for ``method`` (excluding ``token``).

    Raises:
        KeyError: if ``method`` is neither in the spec nor in :data:`NEWER_THAN_SPEC`.
    """
    if method in NEWER_THAN_SPEC:
        return _NEWER_REQUIRED.get(method, frozenset())
    operations = _spec()["paths"][f"/{method}"]
    required: set[str] = set()
    for operation in operations.values():
        if not isinstance(operation, dict):
            continue
        for param in operation.get("parameters", []):
            if (
                param.get("required") is True
                and param.get("in") in _CHECKED_LOCATIONS
                and param.get("name") != "token"
            ):
                required.add(param["name"])
    return frozenset(required)


def check_call(method: str, args: Mapping[str, Any]) -> list[str]:
    """Problems with one call measured against the spec; empty if it conforms.

    An argument counts as missing when it is absent, ``None`` or ``""``.

    Raises:
        FileNotFoundError: if the spec is absent (skip with :data:`SPEC_MISSING_REASON`).
    """
    if method not in NEWER_THAN_SPEC and method not in known_methods():
        return [f"{method}: unknown Web API method (not in the spec's paths)"]
    return [
        f"{method}: missing required argument {name!r}"
        for name in sorted(required_args(method))
        if args.get(name) in (None, "")
    ]


def assert_calls_match_spec(calls: Iterable[_CallLike]) -> None:
    """Assert that every call conforms to the spec, listing all problems if not.

    Raises:
        AssertionError: naming each non-conforming call by its position and method.
        FileNotFoundError: if the spec is absent.
    """
    problems = [
        f"call #{index}: {problem}"
        for index, call in enumerate(calls)
        for problem in check_call(call.method, call.args)
    ]
    if problems:
        raise AssertionError("Slack Web API calls do not match Slack's spec:\n  " + "\n  ".join(problems))


@contextmanager
def spec_checked_slack(rate_limits: bool = False) -> Iterator[FakeSlack]:
    """A running ``FakeSlack`` whose recorded calls are checked against Slack's spec when the
    block ends without error (the check is skipped, saying why, where the spec is absent).
    Slack's rate limits are off (the harness's bot is unpaced) unless ``rate_limits``."""
    with FakeSlack(rate_limits=rate_limits) as fake:
        yield fake
        if spec_available():
            assert_calls_match_spec(fake.calls)
        else:
            print(f"Slack spec check skipped: {SPEC_MISSING_REASON}")
