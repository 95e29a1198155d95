"""The web process as a hostile client finds it (issue 13): every request here got a 500, a
traceback, a whole body in the log, or ran twice, before the guard."""

from __future__ import annotations

import io
import json
import logging
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from awair_bot.http_server import EVENTS_PATH, make_wsgi_app
from bot.db.tables import ScheduledAnnouncement
from handlers.slack.request_check import SlackRequestCheck
from tests.handlers.slack.test_announce import start_announcer
from tests.handlers.slack.unconf_helpers import counts, make_slack
from tests.support.harness import SIGNING_SECRET
from tests.support.signing import block_action_body, signed_headers, slash_command_body
from tests.support.slack_spec import spec_checked_slack

FORM = "application/x-www-form-urlencoded"


class Unreadable(io.RawIOBase):
    """A body that fails the test if anyone reads it."""

    def read(self, size=-1):
        raise AssertionError("the body was read")


@pytest.fixture
def fake_slack():
    with spec_checked_slack() as fake:
        yield fake


@pytest.fixture
def slack(fake_slack, db_url):
    slack = make_slack(fake_slack, db_url, announce_channel="CANNOUNCE")
    slack.command("/propose", "Debate hands-on", user="UAUTHOR")
    return slack


@pytest.fixture
def wsgi(slack):
    return make_wsgi_app(slack.app, slack.services, checks={EVENTS_PATH: SlackRequestCheck(SIGNING_SECRET)})


def post(
    wsgi,
    body: bytes | str,
    headers: dict[str, str] | None = None,
    path: str = EVENTS_PATH,
    stream=None,
    terminated: bool = False,
):
    """One request in process: (status code, headers, body); ``terminated`` is the server's
    word that the body stream ends on its own (``wsgi.input_terminated``)."""
    data = body.encode() if isinstance(body, str) else body
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "SERVER_NAME": "bot",
        "SERVER_PORT": "3000",
        "REMOTE_ADDR": "203.0.113.9",
        "wsgi.url_scheme": "http",
        "wsgi.input": stream or io.BytesIO(data),
        "CONTENT_LENGTH": str(len(data)),
        "CONTENT_TYPE": FORM,
        "wsgi.input_terminated": terminated,
    }
    for name, value in (headers or {}).items():
        key = name.upper().replace("-", "_")
        environ[key if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else f"HTTP_{key}"] = value
    seen = {}

    def start_response(status, response_headers, exc_info=None):
        seen.update(status=int(status.split()[0]), headers=dict(response_headers))

    out = b"".join(wsgi(environ, start_response))
    return seen["status"], seen["headers"], out


def signed(body: str, **extra: str) -> dict[str, str]:
    return {**signed_headers(body, SIGNING_SECRET), **extra}


def test_a_body_over_the_limit_gets_413_before_it_is_read(wsgi, caplog):
    status, _, _ = post(wsgi, b"", {"Content-Length": str(100 * 1024 * 1024)}, stream=Unreadable())
    assert status == 413
    (line,) = [r.getMessage() for r in caplog.records if r.name == "handlers.web.guard"]
    assert line == (
        "rejected POST /slack/events: 413 body over 65536 bytes (Content-Length 104857600, from 203.0.113.9)"
    )


@pytest.mark.parametrize(
    ("label", "body", "headers"),
    [
        ("non-numeric timestamp", "command=/next", {"X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": "v0=1"}),
        ("payload not JSON", "payload={not json", {}),
        ("payload a list", "payload=[1]", {}),
        ("not UTF-8", b"\xff\xfe\xfd payload", {}),
        ("JSON body {{{", "{{{", {"Content-Type": "application/json"}),
        ("a forged log line", "text=x\nCRITICAL root: the database is gone", {}),
    ],
)  # fmt: skip
def test_unsigned_malformed_requests_get_401_and_one_line_without_the_body(
    wsgi, caplog, label, body, headers
):
    caplog.set_level(logging.DEBUG)
    status, _, _ = post(wsgi, body, headers)
    assert status == 401
    lines = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.name for r in lines] == ["handlers.web.guard"], label
    assert lines[0].getMessage().startswith("rejected POST /slack/events: 401 ")
    assert not any(r.exc_info for r in caplog.records)
    text = body if isinstance(body, str) else body.decode("latin-1")
    assert not any(text in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(
    ("label", "payload"),
    [
        ("actions null", {"type": "block_actions", "actions": None, "user": {"id": "U1"}}),
        ("actions empty", {"type": "block_actions", "actions": [], "user": {"id": "U1"}}),
        ("an action not an object", {"type": "block_actions", "actions": [7], "user": {"id": "U1"}}),
        ("a value not text", {"type": "block_actions", "actions": [{"action_id": "unconf_vote", "value": 1}], "user": {"id": "U1"}}),
        ("no user", {"type": "block_actions", "actions": [{"action_id": "unconf_vote", "value": "1"}]}),
        ("unknown view", {"type": "view_submission", "view": {"callback_id": "zzz"}, "user": {"id": "U1"}}),
        ("no type", {"user": {"id": "U1"}}),
    ],
)  # fmt: skip
def test_signed_malformed_payloads_get_400_and_change_nothing(wsgi, slack, caplog, label, payload):
    before = counts(slack)
    body = urlencode({"payload": json.dumps(payload)})
    status, _, _ = post(wsgi, body, signed(body))
    assert status == 400, label
    assert counts(slack) == before
    assert not any(r.exc_info for r in caplog.records)


@pytest.mark.parametrize(
    "body", ["payload=[1]", "token=x&team_id=T1", "command=next&user_id=U1", "command=/next", b"\xc3\x28"]
)
def test_signed_bodies_that_are_no_slack_request_get_400(wsgi, body):
    text = body if isinstance(body, str) else body.decode("latin-1")
    headers = signed_headers(text, SIGNING_SECRET) if isinstance(body, str) else _signed_bytes(body)
    assert post(wsgi, body, headers)[0] == 400


def _signed_bytes(body: bytes) -> dict[str, str]:
    import hashlib
    import hmac
    import time

    ts = str(int(time.time()))
    digest = hmac.new(SIGNING_SECRET.encode(), f"v0:{ts}:".encode() + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


def test_a_replayed_announce_posts_once(wsgi, slack):
    from tests.support.harness import ORGANIZER

    body = slash_command_body(
        "/announce", "now Lunch is ready", user_id=ORGANIZER, response_url=slack.fake.response_url("cmd")
    )
    headers = signed(body)
    start_announcer(slack)
    try:
        answers = [post(wsgi, body, headers) for _ in range(3)]
    finally:
        slack.announcer.shutdown(wait=True)
    assert [a[0] for a in answers] == [200, 200, 200]
    assert json.loads(answers[0][2])["text"] == "Announcement #1 is on its way."
    assert answers[1][2] == answers[2][2] == b""
    with slack.services.db() as db:  # each stored announcement is posted once
        assert db.scalar(select(func.count(ScheduledAnnouncement.id))) == 1
    assert len(slack.fake.responses_to("cmd")) <= 1


def test_a_replayed_vote_is_counted_once_not_toggled(wsgi, slack):
    body = block_action_body("unconf_vote", "1", user_id="UVOTER", response_url=slack.fake.response_url("a"))
    headers = signed(body)
    for _ in range(3):
        assert post(wsgi, body, headers)[0] == 200
    assert counts(slack) == (1, 1)


def test_slacks_own_retries_are_acknowledged_without_running(wsgi, slack):
    body = block_action_body("unconf_vote", "1", user_id="UVOTER", response_url=slack.fake.response_url("a"))
    status, headers, _ = post(
        wsgi, body, signed(body, **{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    )
    assert status == 200 and headers["X-Slack-No-Retry"] == "1"
    assert counts(slack) == (1, 0)


@pytest.mark.parametrize("path", ["/admin", "/slack/events/../x", "/.env", "/slack"])
def test_unknown_paths_are_404_with_security_headers(wsgi, path):
    status, headers, _ = post(wsgi, b"x", {}, path=path)
    assert status == 404
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"


def test_every_answer_carries_the_security_headers(wsgi, slack):
    body = slash_command_body("/next", "", response_url=slack.fake.response_url("cmd"))
    status, headers, answer = post(wsgi, body, signed(body))
    assert status == 200 and json.loads(answer)["response_type"] == "ephemeral"
    for name in ("X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy", "Content-Security-Policy"):
        assert name in headers


def test_a_slash_command_saying_payload_is_answered_not_lost(wsgi, slack):
    # Bolt took any form body with "payload" in it for an interaction: 404, nothing stored.
    body = slash_command_body(
        "/propose", "payload design review", user_id="UP", response_url=slack.fake.response_url("c")
    )
    status, _, answer = post(wsgi, body, signed(body))
    assert status == 200 and "payload design review" in json.loads(answer)["text"] + answer.decode()
    assert counts(slack)[0] == 2


def test_an_endpoint_that_checks_its_own_requests_keeps_the_guards_limit_and_headers(slack):
    seen = []

    def discord_like(environ, start_response):
        seen.append(environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"])))
        start_response("200 OK", [("Content-Type", "application/json")])
        return [b'{"type": 1}']

    wsgi = make_wsgi_app(None, slack.services, endpoints={"/discord/interactions": discord_like})
    status, headers, _ = post(
        wsgi,
        b"",
        {"Content-Length": str(100 * 1024 * 1024)},
        path="/discord/interactions",
        stream=Unreadable(),
    )
    assert status == 413 and seen == []
    status, headers, answer = post(
        wsgi, b'{"type": 1}', {"Content-Type": "application/json"}, path="/discord/interactions"
    )
    assert (status, answer, seen) == (200, b'{"type": 1}', [b'{"type": 1}'])
    assert headers["X-Content-Type-Options"] == "nosniff"


class Counting(io.RawIOBase):
    """An endless body that counts what was read of it."""

    def __init__(self):
        self.read_bytes = 0

    def read(self, size=-1):
        assert size >= 0, "an endless body was read to its end"
        self.read_bytes += size
        return b"A" * size


# A chunked request as a server that passes its chunks on gives it: no Content-Length.
CHUNKED = {"Transfer-Encoding": "chunked", "Content-Length": ""}


def test_a_chunked_body_with_no_length_is_read_one_byte_past_the_limit_at_most(wsgi, caplog):
    stream = Counting()
    status, _, answer = post(wsgi, b"", CHUNKED, stream=stream, terminated=True)
    assert status == 413 and answer == b"Request body too large: this server takes at most 65536 bytes."
    assert stream.read_bytes <= 64 * 1024 + 1
    (line,) = [r.getMessage() for r in caplog.records if r.name == "handlers.web.guard"]
    assert line == "rejected POST /slack/events: 413 body over 65536 bytes (chunked, from 203.0.113.9)"


def test_a_small_chunked_body_with_no_length_goes_on_to_its_check(wsgi):
    status, _, _ = post(wsgi, b"", CHUNKED, stream=io.BytesIO(b"command=/next"), terminated=True)
    assert status == 401  # read whole, then refused for its missing signature


def test_a_chunked_body_the_server_does_not_say_is_terminated_is_not_read(wsgi):
    assert post(wsgi, b"", CHUNKED, stream=Unreadable())[0] == 411
