"""GET /metrics in the Prometheus format and GET /healthz for a platform's health check."""

from __future__ import annotations

import io
import json

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.orm import sessionmaker

from awair_bot.http_server import EVENTS_PATH, make_wsgi_app
from handlers.slack.request_check import SlackRequestCheck
from tests.handlers.slack.unconf_helpers import make_slack
from tests.support.harness import SIGNING_SECRET
from tests.support.slack_spec import spec_checked_slack


@pytest.fixture
def slack(db_url):
    with spec_checked_slack() as fake:
        yield make_slack(fake, db_url)


@pytest.fixture
def wsgi(slack):
    return make_wsgi_app(slack.app, slack.services, checks={EVENTS_PATH: SlackRequestCheck(SIGNING_SECRET)})


def get(wsgi, path: str):
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen.update(status=status, headers=dict(headers))

    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "wsgi.input": io.BytesIO()}
    body = b"".join(wsgi(environ, start_response))
    return seen["status"], seen["headers"], body


def samples(wsgi) -> dict[tuple[str, tuple], float]:
    status, headers, body = get(wsgi, "/metrics")
    assert status == "200 OK" and headers["Content-Type"].startswith("text/plain; version=")
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(body.decode())
        for s in family.samples
    }


def test_metrics_count_commands_by_name_and_outcome_with_their_time(wsgi, slack):
    before = samples(wsgi)
    slack.command("/next")
    slack.command("/next", "banana")
    slack.command("/propose", "Debate hands-on", user="UAUTHOR")
    slack.click("unconf_vote", "1", user="UVOTER")
    after = samples(wsgi)

    def delta(name, **labels):
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0) - before.get(key, 0)

    assert delta("awair_commands_total", command="/next", outcome="ok") == 1
    assert delta("awair_commands_total", command="/next", outcome="usage") == 1
    assert delta("awair_commands_total", command="/propose", outcome="ok") == 1
    assert delta("awair_commands_total", command="vote button", outcome="ok") == 1
    assert delta("awair_command_seconds_count", command="/next") == 2
    assert after[("awair_schedule_last_reload_ok", ())] == 1
    assert after[("awair_schedule_age_seconds", ())] >= 0
    _, _, text = get(wsgi, "/metrics")
    for name in ("announcements", "reminders", "database_errors", "rejected_requests"):
        assert f"\nawair_{name}_total" in text.decode()


def test_healthz_says_the_database_is_up(wsgi):
    status, headers, body = get(wsgi, "/healthz")
    assert status == "200 OK" and headers["Cache-Control"] == "no-store"
    assert json.loads(body) == {
        "ok": True,
        "schedule": "Alignment Workshop for AI Researchers (AWAIR), August 2023",
        "sessions": 26,
        "database": "up",
        "scheduler": "none",
    }


def test_healthz_is_503_when_the_database_is_down(wsgi, slack, tmp_path):
    from sqlalchemy import create_engine

    gone = tmp_path / "no-such-folder" / "db.sqlite3"
    slack.services.db = sessionmaker(create_engine(f"sqlite:///{gone}"))
    status, _, body = get(wsgi, "/healthz")
    assert status == "503 Service Unavailable"
    assert json.loads(body)["database"] == "down" and json.loads(body)["ok"] is False


def test_healthz_is_503_when_the_scheduler_stopped(wsgi, slack):
    class Stopped:
        running = False

    slack.platform.announcer = Stopped()
    status, _, body = get(wsgi, "/healthz")
    assert status == "503 Service Unavailable" and json.loads(body)["scheduler"] == "down"
