"""What an operator sees of refused requests, through the real server on a loopback port:
the answer the sender gets, the count in ``GET /metrics`` and the one log line.

Waitress refused oversized bodies itself, so they reached neither /metrics nor the log;
404s to GET and Discord's refusals were not counted at all."""

from __future__ import annotations

import json
import logging
import socket
import urllib.error
import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families

from awair_bot import http_server
from awair_bot.http_server import EVENTS_PATH, make_wsgi_app, serve
from handlers.discord.endpoint import INTERACTIONS_PATH
from handlers.slack.request_check import SlackRequestCheck
from handlers.web import web_routes
from handlers.web.guard import MAX_BODY
from tests.bot.conftest import pt
from tests.handlers.slack.unconf_helpers import make_slack
from tests.support.discord_harness import DiscordHarness, sign
from tests.support.discord_spec import spec_checked_discord
from tests.support.harness import SIGNING_SECRET
from tests.support.slack_spec import spec_checked_slack
from tests.support.web import LoopbackServer

TOO_LARGE = f"Request body too large: this server takes at most {MAX_BODY} bytes.".encode()


@pytest.fixture
def slack(db_url):
    with spec_checked_slack() as fake:
        yield make_slack(fake, db_url)


@pytest.fixture
def discord(tmp_path):
    with spec_checked_discord() as fake:
        yield DiscordHarness(fake, pt("2023-08-05 10:45"), db_url=f"sqlite:///{tmp_path}/discord.sqlite3")


@pytest.fixture
def server(slack, discord):
    """Slack, Discord's endpoint and the pages, as ``awair-bot run --http`` serves them."""
    wsgi = make_wsgi_app(
        slack.app,
        slack.services,
        web_routes(slack.services),
        endpoints={INTERACTIONS_PATH: discord.endpoint},
        checks={EVENTS_PATH: SlackRequestCheck(SIGNING_SECRET)},
    )
    server = LoopbackServer(wsgi).start()
    yield server
    server.stop()


def exchange(server: LoopbackServer, request: bytes) -> tuple[bytes, bytes]:
    """Send raw bytes, read the whole answer (the server closes after a refusal): (head, body)."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    return head, body


def post_head(path: str, length: str, close: bool = True) -> bytes:
    connection = b"Connection: close\r\n" if close else b""
    return (
        (
            f"POST {path} HTTP/1.1\r\nHost: bot\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {length}\r\n"
        ).encode()
        + connection
        + b"\r\n"
    )


def refusals(server: LoopbackServer) -> dict[tuple[str, str], float]:
    """``awair_rejected_requests_total`` by (route, status), as a scrape reads it."""
    with urllib.request.urlopen(server.url + "/metrics", timeout=10) as response:
        text = response.read().decode()
    return {
        (s.labels["route"], s.labels["status"]): s.value
        for family in text_string_to_metric_families(text)
        if family.name == "awair_rejected_requests"
        for s in family.samples
        if s.name == "awair_rejected_requests_total"
    }


def counted(before: dict, after: dict) -> dict[tuple[str, str], float]:
    """The refusals counted between two scrapes."""
    return {key: value - before.get(key, 0) for key, value in after.items() if value != before.get(key, 0)}


def guard_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "handlers.web.guard"]


@pytest.mark.parametrize(
    ("declared", "sent"),
    [
        # Far past waitress's own cap: waitress refuses it after the headers, unread.
        (str(100 * 1024 * 1024), b""),
        # Just past the guard's limit, under waitress's cap: the guard refuses it.
        (str(MAX_BODY + 1), b"payload=" + b"A" * (MAX_BODY - 7)),
    ],
    ids=["100 MB declared", "one byte over"],
)
def test_an_oversized_body_gets_a_clear_413_counted_and_logged_in_one_line(server, caplog, declared, sent):
    before = refusals(server)
    head, body = exchange(server, post_head(EVENTS_PATH, declared) + sent)
    assert head.startswith(b"HTTP/1.1 413 ")
    assert body == TOO_LARGE
    assert b"nosniff" in head
    assert counted(before, refusals(server)) == {(EVENTS_PATH, "413"): 1}
    assert guard_lines(caplog) == [
        f"rejected POST /slack/events: 413 body over {MAX_BODY} bytes (Content-Length {declared}, from 127.0.0.1)"
    ]
    assert not any("AAAA" in r.getMessage() for r in caplog.records)


def test_a_body_at_the_limit_is_not_refused_for_its_size(server, caplog):
    body = b"payload=" + b"A" * (MAX_BODY - 8)
    head, _ = exchange(server, post_head(EVENTS_PATH, str(MAX_BODY)) + body)
    assert head.startswith(b"HTTP/1.1 401 ")  # it got as far as its (missing) signature
    assert len(guard_lines(caplog)) == 1 and ": 401 " in guard_lines(caplog)[0]


def test_a_chunked_body_past_waitress_cap_gets_the_same_413(server, caplog):
    before = refusals(server)
    chunk = b"1000\r\n" + b"A" * 4096 + b"\r\n"
    head = (
        f"POST {EVENTS_PATH} HTTP/1.1\r\nHost: bot\r\nTransfer-Encoding: chunked\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n\r\n"
    ).encode()
    # Just enough chunks to pass waitress's cap, and no more: the sender stops there.
    cap = http_server.SERVER_LIMITS["max_request_body_size"]
    answer_head, body = exchange(server, head + chunk * (cap // len(chunk) + 1))
    assert answer_head.startswith(b"HTTP/1.1 413 ") and body == TOO_LARGE
    assert counted(before, refusals(server)) == {(EVENTS_PATH, "413"): 1}
    assert guard_lines(caplog) == [
        f"rejected POST /slack/events: 413 body over {MAX_BODY} bytes (chunked, from 127.0.0.1)"
    ]


def test_a_chunked_body_under_waitress_cap_but_over_the_limit_gets_413_from_the_guard(server, caplog):
    before = refusals(server)
    chunk = b"1000\r\n" + b"A" * 4096 + b"\r\n"
    head = (
        f"POST {EVENTS_PATH} HTTP/1.1\r\nHost: bot\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n\r\n"
    ).encode()
    answer_head, body = exchange(server, head + chunk * 17 + b"0\r\n\r\n")
    assert answer_head.startswith(b"HTTP/1.1 413 ") and body == TOO_LARGE
    assert counted(before, refusals(server)) == {(EVENTS_PATH, "413"): 1}
    # Waitress hands on a chunked body with the length it counted.
    assert guard_lines(caplog) == [
        f"rejected POST /slack/events: 413 body over {MAX_BODY} bytes (Content-Length {17 * 4096}, from 127.0.0.1)"
    ]


def test_gets_to_unknown_paths_are_counted_under_one_label(server):
    before = refusals(server)
    for path in ("/admin", "/.env", "/wp-login.php", "/x" * 40, "/slack/events/../../etc"):
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(server.url + path, timeout=10)
        assert caught.value.code == 404
    after = refusals(server)
    assert counted(before, after) == {("other", "404"): 5}
    assert {route for route, _ in after} <= {
        EVENTS_PATH,
        INTERACTIONS_PATH,
        "other",
        "/board",
        "/day/",
        "/cal/",
    }


def test_a_404_under_a_known_route_is_counted_by_that_route(server):
    before = refusals(server)
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(server.url + "/day/2023-13-45", timeout=10)
    assert caught.value.code == 404
    assert counted(before, refusals(server)) == {("/day/", "404"): 1}


def test_discords_refusals_are_counted(server, caplog):
    before = refusals(server)

    def post(body: bytes, headers: dict[str, str]) -> int:
        request = urllib.request.Request(
            server.url + INTERACTIONS_PATH,
            data=body,
            headers={"Content-Type": "application/json", **headers},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    ping = json.dumps({"id": "1", "type": 1, "application_id": "1", "token": "t", "version": 1}).encode()
    assert post(ping, {}) == 401  # no signature
    assert post(ping, {**sign(ping), "X-Signature-Timestamp": "1"}) == 401  # stale
    assert post(b"not json", sign(b"not json")) == 400
    assert post(ping, sign(ping)) == 200
    assert counted(before, refusals(server)) == {(INTERACTIONS_PATH, "401"): 2, (INTERACTIONS_PATH, "400"): 1}


def test_a_request_waitress_cannot_parse_is_counted_and_logged(server, caplog):
    before = refusals(server)
    head, body = exchange(server, b"POST /slack/events HTTP/1.1\r\nHost: bot\r\nContent-Length: x\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 ") and body == b"Bad Request"
    assert counted(before, refusals(server)) == {(EVENTS_PATH, "400"): 1}
    (line,) = guard_lines(caplog)
    assert line.startswith("rejected POST /slack/events: 400 Bad Request (")


def test_the_refusals_to_expect_show_as_zero_before_the_first(server):
    seen = refusals(server)
    for route in (EVENTS_PATH, INTERACTIONS_PATH):
        for status in ("400", "401", "413"):
            assert (route, status) in seen
    assert ("other", "404") in seen


def test_the_listening_line_names_every_route_served(slack, discord, monkeypatch, caplog):
    class Started:
        def run(self):
            pass

    monkeypatch.setattr(http_server, "make_server", lambda *args, **kwargs: Started())
    caplog.set_level(logging.INFO, logger="awair_bot.http_server")
    wsgi = make_wsgi_app(
        slack.app,
        slack.services,
        web_routes(slack.services),
        endpoints={INTERACTIONS_PATH: discord.endpoint},
        checks={EVENTS_PATH: SlackRequestCheck(SIGNING_SECRET)},
    )
    serve(wsgi, "127.0.0.1", 3000)
    (line,) = [r.getMessage() for r in caplog.records if "listening" in r.getMessage()]
    assert line == (
        "HTTP mode: listening on http://127.0.0.1:3000: POST /slack/events, /discord/interactions; "
        "GET /healthz, /metrics, /schedule.ics, /board, /board/live, /day, /day/*, /board/static/*, /cal/*"
    )
