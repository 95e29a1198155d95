"""Log lines cannot be forged by a newline in anything logged, as text or as JSON."""

from __future__ import annotations

import io
import json
import logging

import pytest

from awair_bot.logs import make_handler
from handlers.web.guard import REQUEST_ID


def logged(fmt: str, message: str, *args, exc: bool = False, **extra) -> str:
    stream = io.StringIO()
    log = logging.getLogger(f"test.logs.{fmt}")
    log.propagate = False
    log.handlers = [make_handler(stream, fmt)]
    token = REQUEST_ID.set("r42")
    try:
        if exc:
            try:
                raise ValueError("bad\nCRITICAL root: forged")
            except ValueError:
                log.exception(message, *args, extra=extra)
        else:
            log.warning(message, *args, extra=extra)
    finally:
        REQUEST_ID.reset(token)
    return stream.getvalue()


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_newline_in_a_logged_value_stays_on_its_line(fmt):
    out = logged(fmt, "rejected %s", "/x\nCRITICAL root: the database is gone\r\x1b[2J")
    assert out.count("\n") == 1
    assert not any(line.lstrip().startswith("CRITICAL") for line in out.splitlines())


def test_text_lines_carry_the_request_id_and_indent_tracebacks():
    out = logged("text", "failed", exc=True)
    first, *rest = out.rstrip("\n").split("\n")
    assert (
        first.endswith("WARNING test.logs.text [r42]: failed")
        or "ERROR test.logs.text [r42]: failed" in first
    )
    assert rest and all(line.startswith("    | ") for line in rest)
    assert not any(line.startswith("CRITICAL") for line in out.splitlines())


def test_json_lines_are_objects_with_the_events_ids():
    out = logged("json", "proposal #%d posted", 7, proposal=7, platform="slack")
    entry = json.loads(out)
    assert entry["message"] == "proposal #7 posted"
    assert (entry["level"], entry["request_id"], entry["proposal"], entry["platform"]) == (
        "WARNING",
        "r42",
        7,
        "slack",
    )
