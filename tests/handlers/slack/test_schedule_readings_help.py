"""/schedule, /readings and /awair through Bolt with signed requests."""

from __future__ import annotations

from tests.bot.conftest import pt


def test_schedule_today_marks_past_now_next(slack):
    slack.clock.set(pt("2023-08-05 11:30"))
    reply = slack.command("/schedule")
    assert reply.status == 200
    assert (
        reply.body["blocks"][0]["text"]["text"]
        == "Sat 5 Aug: Alignment Workshop for AI Researchers (AWAIR), August 2023"
    )
    text = reply.text
    assert "~`09:00-09:30 PT` 🍽️ Arrival + light breakfast~" in text
    assert "▶ *`11:00-12:10 PT` 📕 Misalignment*  _now_" in text
    assert "→ *`12:10-13:30 PT` 🍽️ Lunch*  _next_" in text


def test_schedule_named_day_and_unknown_day(slack):
    assert "Sun 6 Aug" in slack.command("/schedule", "sunday").body["blocks"][0]["text"]["text"]
    reply = slack.command("/schedule", "2023-08-09")
    assert (
        reply.body["text"] == "Nothing is scheduled on Wed 9 Aug. The workshop's days: Sat 5 Aug, Sun 6 Aug."
    )


def test_readings_lists_linked_titles(slack):
    reply = slack.command("/readings")
    section = next(b for b in reply.body["blocks"] if b["type"] == "section")["text"]["text"]
    assert section.splitlines()[0] == (
        "• <https://arxiv.org/abs/2209.00626|The Alignment Problem from a Deep Learning Perspective>"
        " · Richard Ngo et al., 2022 · 45 min · *required*"
    )
    assert "_optional_" in section
    assert reply.body["blocks"][-1]["elements"][0]["action_id"] == "share_answer"


def test_readings_search_text_never_pings_or_restyles(slack):
    reply = slack.command("/readings", "<!channel> & <@U123> *bold*")
    # Shown as typed, in plain text: Slack parses neither mentions nor markup there.
    assert reply.body["blocks"][0]["text"] == {
        "type": "plain_text",
        "text": "No readings match “<!channel> & <@U123> *bold*”. Try /readings all.",
        "emoji": True,
    }
    # The fallback text is mrkdwn: escaped.
    assert "&lt;!channel&gt; &amp; &lt;@U123&gt;" in reply.body["text"]
    assert "<!channel>" not in reply.body["text"]


def test_awair_help_and_unknown_argument(slack):
    reply = slack.command("/awair")
    assert "/next [N]" in reply.text and "/readings" in reply.text
    bad = slack.command("/awair", "dance")
    assert "I don't know `dance`." in bad.body["text"] and "Usage: `/awair [help]`" in bad.body["text"]
