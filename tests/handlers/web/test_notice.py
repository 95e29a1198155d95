"""An organizer's announcement reads right on the board, stored as Slack mrkdwn or as typed."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError

from handlers.web.notice import latest_notice, plain_announcement
from tests.bot.conftest import pt
from tests.handlers.web.conftest import announce


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("<!here> Lunch &amp; talks", "@here Lunch & talks"),
        ("<!channel|channel> and <!everyone>: doors close", "@channel and @everyone: doors close"),
        ("Ask <@U0ABC123|alice> or <@U0DEF456> in <#C0123|help>", "Ask @alice or @U0DEF456 in #help"),
        (
            "Slides: <https://example.org/s?a=1&amp;b=2|the deck>",
            "Slides: the deck (https://example.org/s?a=1&b=2)",
        ),
        ("Wiki: <https://example.org/wiki>", "Wiki: https://example.org/wiki"),
        ("a &lt;b&gt; tag, and &amp;lt; stays one level", "a <b> tag, and &lt; stays one level"),
        # As typed (the coming storage): nothing to undo, nothing lost.
        ("x < y & z > w, @here", "x < y & z > w, @here"),
        ("Two lines\nof news", "Two lines\nof news"),
    ],
)
def test_plain_text_from_either_form(stored, shown):
    assert plain_announcement(stored) == shown


def test_the_latest_notice_comes_from_the_database(services):
    assert latest_notice(services, pt("2023-08-06 16:20")) is None
    announce(services, "<!here> Pizza &amp; drinks", pt("2023-08-06 16:00"), author="Bob")
    notice = latest_notice(services, pt("2023-08-06 16:20"))
    assert (notice.text, notice.author, notice.at) == ("@here Pizza & drinks", "Bob", pt("2023-08-06 16:00"))


def test_a_database_outage_leaves_the_board_without_a_notice(services, caplog):
    def down():
        raise OperationalError("SELECT", {}, Exception("connection refused"))

    services.db = down
    assert latest_notice(services, pt("2023-08-06 16:20")) is None
    assert "database is unavailable" in caplog.text
