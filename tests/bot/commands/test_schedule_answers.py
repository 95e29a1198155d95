"""/next, /schedule and /readings as tables: (text, now) -> the answer a user would see."""

from __future__ import annotations

from datetime import date

import pytest

from bot.agenda import Status
from bot.commands.base import Notice, Usage
from bot.commands.next_up import parse_next
from bot.commands.schedule import Agenda, CalendarLink, CalendarSending, parse_schedule
from bot.text import render_next
from bot.whats_next import NextAnswer, Phase


@pytest.mark.parametrize(
    ("now", "text", "first_line"),
    [
        ("2023-08-05 10:45", "", "Break: nothing on until 11:00 PT (in 15 min)."),
        ("2023-08-05 11:30", "", "Now:"),
        (
            "2023-08-01 12:00",
            "",
            "Alignment Workshop for AI Researchers (AWAIR), August 2023 starts Sat 5 Aug",
        ),
        ("2023-09-01 12:00", "", "Alignment Workshop for AI Researchers (AWAIR), August 2023 is over"),
        ("2023-08-06 13:00", "2", "Now:"),
    ],
)
def test_next_at_instants(bot, now, text, first_line):
    answer = bot.at(now).ask(f"/next {text}")
    assert isinstance(answer, NextAnswer)
    assert render_next(answer).startswith(first_line)


def test_next_n_counts_start_times(bot):
    answer = bot.at("2023-08-06 13:00").ask("/next 2")
    assert [len(slot.sessions) for slot in answer.upcoming] == [3, 1]  # three discussions at 13:30
    assert answer.phase is Phase.DURING


@pytest.mark.parametrize("text", ["0", "11", "abc", "-1", "2 3", "<!channel>"])
def test_next_bad_arguments_get_the_usage(bot, text):
    answer = bot.ask(f"/next {text}")
    assert isinstance(answer, Usage) and answer.usage.startswith("Usage: `/next [N]`")


def test_usage_never_echoes_backticks_or_long_text(bot):
    answer = bot.ask("/next `" + "x" * 500)
    assert "`'" in answer.problem and len(answer.problem) < 100


@pytest.mark.parametrize(("text", "count"), [("", 1), (None, 1), ("  3 ", 3), ("10", 10)])
def test_next_counts(text, count):
    assert parse_next(text) == count


@pytest.mark.parametrize(
    ("text", "now", "day"),
    [
        ("", "2023-08-01 12:00", "2023-08-05"),  # before: the first day
        ("", "2023-08-06 10:00", "2023-08-06"),  # today
        ("", "2023-09-01 10:00", "2023-08-06"),  # after: the last day
        ("tomorrow", "2023-08-05 10:00", "2023-08-06"),
        ("Sunday", "2023-08-05 10:00", "2023-08-06"),
        ("sat", "2023-08-06 10:00", "2023-08-05"),
        ("2023-08-05", "2023-08-06 10:00", "2023-08-05"),
    ],
)
def test_schedule_days(bot, text, now, day):
    answer = bot.at(now).ask(f"/schedule {text}")
    assert isinstance(answer, Agenda) and answer.agenda.day == date.fromisoformat(day)


def test_schedule_marks_now_and_next(bot):
    items = bot.at("2023-08-05 11:30").ask("/schedule").agenda.items
    marks = {i.session.title: i.status for i in items}
    assert marks["Misalignment"] is Status.NOW
    assert [i.status for i in items].count(Status.NEXT) >= 1


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("2023-08-07", "Nothing is scheduled on Mon 7 Aug. The workshop's days: Sat 5 Aug, Sun 6 Aug."),
        ("monday", "Nothing is scheduled on Monday"),
    ],
)
def test_a_day_outside_the_workshop_lists_the_days(bot, text, said):
    answer = bot.ask(f"/schedule {text}")
    assert isinstance(answer, Notice) and answer.text.startswith(said)


def test_schedule_filter_and_bad_date(bot):
    assert parse_schedule("today Library").filter == "Library"
    assert parse_schedule("Library").day_word is None
    assert isinstance(bot.ask("/schedule 2023-13-45"), Usage)


@pytest.mark.parametrize("word", ["ics", "ICS", "ical"])
def test_the_calendar_is_one_detection_on_every_platform(bot, word):
    # A platform that sends files gets the file; one that can't, says how else to get it.
    assert isinstance(bot.ask(f"/schedule {word}"), CalendarSending)
    (user, file), *_ = bot.files.sent
    assert user == "ada" and file.filename.endswith(".ics") and b"BEGIN:VCALENDAR" in file.content
    bot.platform.files = None
    answer = bot.ask(f"/schedule {word}")
    assert isinstance(answer, Notice) and "awair-bot export ics" in answer.text


def test_with_a_public_url_the_calendar_is_a_link(bot):
    from dataclasses import replace

    bot.services.settings = replace(bot.settings, public_base_url="https://bot.example.org")
    answer = bot.ask("/schedule ics")
    assert isinstance(answer, CalendarLink) and answer.url == "https://bot.example.org/schedule.ics"
    assert bot.files.sent == []


def test_a_refused_file_is_told_to_the_caller(bot):
    from bot.ports import PortError

    bot.files.refuse = PortError("missing_scope", "I can't send files yet.")
    bot.ask("/schedule ics")
    (told,) = bot.told
    assert told.what == "the calendar file" and told.hint == "I can't send files yet."


def test_readings_modes(bot):
    assert bot.ask("/readings").sections[0].session.title == "Misalignment"
    assert bot.ask("/readings ALL").mode == "all"
    assert bot.ask("/readings superposition").sections[0].readings[0].title == "Toy Models of Superposition"
    # Authors are searched too, and every word must match.
    found = bot.ask("/readings christiano debate").sections[0].readings
    assert [r.title for r in found] == ["AI safety via debate"]
    assert bot.ask("/readings zebra").sections == ()
    assert isinstance(bot.ask("/readings " + "x" * 201), Usage)


def test_the_same_answer_is_made_once_a_minute(bot):
    first = bot.ask("/next")
    assert bot.ask("/next") is first
    bot.clock.advance(__import__("datetime").timedelta(minutes=1))
    assert bot.ask("/next") is not first
