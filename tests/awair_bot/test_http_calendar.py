"""GET /schedule.ics in HTTP mode: the running schedule as a calendar, built once per version."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from icalendar import Calendar
from slack_bolt import App

import awair_bot.http_server as http_server
from awair_bot.http_server import EVENTS_PATH, make_wsgi_app
from handlers.slack.request_check import SlackRequestCheck


def call(wsgi, path: str, method: str = "GET", **headers: str) -> tuple[str, dict[str, str], bytes]:
    """One in-process WSGI request."""
    seen: dict = {}

    def start_response(status, response_headers):
        seen.update(status=status, headers=dict(response_headers))

    environ = {"PATH_INFO": path, "REQUEST_METHOD": method, "wsgi.input": io.BytesIO(b""), **headers}
    body = b"".join(wsgi(environ, start_response))
    return seen["status"], seen["headers"], body


@pytest.fixture
def builds(monkeypatch) -> list[int]:
    """Counts calendar builds."""
    counted: list[int] = []
    real = http_server.workshop_to_ics

    def counting(workshop, now):
        counted.append(len(workshop.sessions))
        return real(workshop, now)

    monkeypatch.setattr(http_server, "workshop_to_ics", counting)
    return counted


@pytest.fixture
def wsgi(awair_services):
    app = App(token="xoxb-test", signing_secret="0" * 32, token_verification_enabled=False)
    return make_wsgi_app(app, awair_services, checks={EVENTS_PATH: SlackRequestCheck("0" * 32)})


def test_the_calendar_is_served_with_its_type_and_a_filename(wsgi, builds):
    status, headers, body = call(wsgi, "/schedule.ics")
    assert status == "200 OK"
    assert headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert headers["Content-Disposition"] == (
        'attachment; filename="alignment-workshop-for-ai-researchers-awair-august-2023.ics"'
    )
    assert int(headers["Content-Length"]) == len(body)
    assert len(Calendar.from_ical(body).events) == 26


def test_it_is_built_once_per_schedule_version(wsgi, builds, awair_services):
    first = call(wsgi, "/schedule.ics")[2]
    assert call(wsgi, "/schedule.ics")[2] is first and builds == [26]
    # A new version of the schedule (here: a published unconference session) is a new build.
    extra = replace(awair_services.workshop.sessions[-1], id="unconf-1", title="Evals, unconferenced")
    awair_services.schedule.set_extra_sessions((extra,))
    body = call(wsgi, "/schedule.ics")[2]
    assert builds == [26, 27] and b"SUMMARY:Evals\\, unconferenced" in body


def test_a_poller_with_the_etag_hears_not_modified(wsgi, builds):
    _, headers, _ = call(wsgi, "/schedule.ics")
    status, again, body = call(wsgi, "/schedule.ics", HTTP_IF_NONE_MATCH=headers["ETag"])
    assert (status, body, again["ETag"]) == ("304 Not Modified", b"", headers["ETag"])
    assert call(wsgi, "/schedule.ics", HTTP_IF_NONE_MATCH='"other"')[0] == "200 OK"


def test_head_has_the_headers_and_no_body(wsgi):
    status, headers, body = call(wsgi, "/schedule.ics", method="HEAD")
    assert status == "200 OK" and body == b"" and int(headers["Content-Length"]) > 10_000
