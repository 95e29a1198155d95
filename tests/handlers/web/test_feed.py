"""GET /cal/<token>.ics: one person's sessions; wrong, old or malformed tokens get a plain 404."""

from __future__ import annotations

import pytest
from icalendar import Calendar
from sqlalchemy import select

from awair_bot.http_server import make_wsgi_app
from bot.db.tables_agenda import AgendaPerson
from handlers.web import web_routes
from tests.awair_bot.test_http_calendar import call
from tests.bot.commands.conftest import ADA, BOB, Bot
from tests.bot.conftest import pt

BASE = "https://bot.example.org"


@pytest.fixture
def bot(db_url):
    made = Bot(pt("2023-08-05 10:45"), db_url=db_url, public_base_url=BASE)
    yield made
    made.engine.dispose()


@pytest.fixture
def wsgi(bot):
    return make_wsgi_app(None, bot.services, web_routes(bot.services))


def feed_path(bot, caller=ADA, text="/mine calendar") -> str:
    return bot.ask(text, caller).url.removeprefix(BASE)


def titles(body: bytes) -> set[str]:
    return {str(e["SUMMARY"]) for e in Calendar.from_ical(body).events}


def test_the_feed_holds_just_your_sessions_and_follows_your_picks(bot, wsgi):
    bot.click("pick", "+sat-misalignment", ADA)
    bot.click("pick", "+sat-red-teaming", BOB)
    path = feed_path(bot)
    status, headers, body = call(wsgi, path)
    assert status == "200 OK" and headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert headers["Cache-Control"].startswith("private")
    assert titles(body) == {"Misalignment"}
    bot.click("pick", "+sun-arc-evals", ADA)
    assert titles(call(wsgi, path)[2]) == {"Misalignment", "ARC's current evals work"}
    assert call(wsgi, path, HTTP_IF_NONE_MATCH=call(wsgi, path)[1]["ETag"])[0] == "304 Not Modified"


def test_the_token_is_stored_hashed(bot):
    token = feed_path(bot).removeprefix("/cal/").removesuffix(".ics")
    assert len(token) >= 32
    with bot.services.db() as db:
        stored = db.scalars(select(AgendaPerson.feed_token_hash)).all()
    assert token not in stored and len(stored[0]) == 64


def test_a_reset_link_replaces_the_old_one(bot, wsgi):
    old = feed_path(bot)
    new = feed_path(bot, text="/mine calendar reset")
    assert call(wsgi, old)[0] == "404 Not Found"
    assert call(wsgi, new)[0] == "200 OK"


@pytest.mark.parametrize(
    "path",
    [
        "/cal/" + "Zq3x_J9kWmT4vB7nR2pLs8dF6hY1cU0aE5gK" + ".ics",  # well-formed, nobody's
        "/cal/.ics",
        "/cal/../schedule.ics",
        "/cal/abc.ics",
        "/cal/" + "A" * 300 + ".ics",
        "/cal/%00%00%00%00%00%00%00%00%00%00.ics",
        "/cal/",
    ],
)
def test_wrong_tokens_get_the_same_404_as_any_missing_page(bot, wsgi, path):
    feed_path(bot)  # someone's feed exists
    status, _headers, body = call(wsgi, path)
    assert (status, body) == ("404 Not Found", b"Not Found")
    assert (status, body) == call(wsgi, "/no-such-page")[::2]
