"""The help's columns, and what the app says (or reads) when it starts (issue 14, item 16)."""

from __future__ import annotations

import logging

from bot.commands.awair import HELP_COLUMN
from tests.bot.conftest import pt
from tests.support.harness import BOT_TOKEN, ORGANIZER, SlackHarness


def test_the_help_keeps_its_columns_where_it_shows_angle_brackets(slack):
    reply = slack.command("/awair", "help", user=ORGANIZER)
    (rich,) = [b for b in reply.body["blocks"] if b["type"] == "rich_text"]
    (preformatted,) = rich["elements"]
    text = preformatted["elements"][0]["text"]
    assert "/propose <title> [-- text]" in text and "&lt;" not in text  # shown as written
    assert "`" not in text and "; all for every session" in text  # code already: no backticks shown
    entries = [line for line in text.splitlines() if line.startswith("/")]
    assert len(entries) > 8
    for line in entries:
        assert line[HELP_COLUMN] == " " and line[HELP_COLUMN + 1] != " ", line


def test_bolt_neither_reads_the_token_from_the_environment_nor_warns_about_it(
    fake_slack, monkeypatch, caplog
):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-from-the-environment")
    with caplog.at_level(logging.WARNING, logger="slack_bolt"):
        slack = SlackHarness(fake_slack, pt("2023-08-05 10:45"))
    assert not [r for r in caplog.records if r.name.startswith("slack_bolt")], caplog.text
    assert slack.app.client.token == BOT_TOKEN
    (auth,) = fake_slack.calls_to("auth.test")
    assert auth.token == BOT_TOKEN
