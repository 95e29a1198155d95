"""Fixtures for the web board: the core on the AWAIR schedule with a published plan, a
database for announcements, and in-process WSGI requests."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest

from awair_bot.http_server import make_wsgi_app
from bot.announcements import organizer
from bot.clock import ManualClock
from bot.db.engine import make_engine, make_sessionmaker
from bot.db.migrate import upgrade
from bot.schedule.current import CurrentSchedule
from bot.services import Services
from bot.settings import Settings
from handlers.web import web_routes
from tests.bot.conftest import pt
from tests.support.board_fixtures import published_plan
from tests.support.harness import REPO

TOKEN = "venue-screens-only-2023"


def make_services(db_url: str | None, now, **settings) -> Services:
    """The core at ``now`` on AWAIR with the published unconference plan."""
    chosen = Settings(schedule_path=REPO / "schedule_data", **settings)
    schedule = CurrentSchedule.load(chosen.schedule_path)
    schedule.set_extra_sessions(published_plan(schedule.workshop))
    db = None
    if db_url:
        upgrade(db_url)
        db = make_sessionmaker(make_engine(db_url))
    return Services(chosen, ManualClock(now), schedule, db=db)


def announce(services: Services, text: str, at, author: str = "Alice Organizer") -> None:
    """An organizer announcement, posted at ``at``."""
    with services.db() as db:
        row = organizer.schedule(db, text, "slack:UORGANIZER1", author, "slack", "C0ANNOUNCE", at, at)
        organizer.claim(db, row.id, at)
        organizer.mark_sent(db, row.id, "1691000000.0001", at, 1)


@pytest.fixture
def services(tmp_path) -> Services:
    """Sunday 16:20: the unconference is on in three rooms."""
    return make_services(f"sqlite:///{tmp_path}/board.sqlite3", pt("2023-08-06 16:20"))


@pytest.fixture
def wsgi(services):
    return make_wsgi_app(None, services, web_routes(services, notice_seconds=0))


def call(wsgi, path: str, query: str = "", method: str = "GET", **headers: str):
    """One in-process request: (status, headers, body text)."""
    seen: dict = {}

    def start_response(status, response_headers):
        seen.update(status=status, headers=dict(response_headers))

    environ = {
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "REQUEST_METHOD": method,
        "wsgi.input": io.BytesIO(b""),
        **headers,
    }
    body = b"".join(wsgi(environ, start_response))
    return seen["status"], seen["headers"], body.decode()


def with_title(services: Services, session_id: str, title: str) -> None:
    """Retitle one published session (as a proposal's title would read)."""
    sessions = tuple(
        replace(s, title=title) if s.id == session_id else s for s in published_plan(services.workshop)
    )
    services.schedule.set_extra_sessions(sessions)
