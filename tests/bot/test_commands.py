"""Parsing arguments: good ones become requests, anything else the usage."""

from __future__ import annotations

from datetime import date

import pytest

from bot.answers import readings_answer, schedule_answer
from bot.commands import (
    NoSuchDay,
    UsageError,
    parse_help,
    parse_next,
    parse_readings,
    parse_schedule,
    resolve_day,
)
from tests.bot.conftest import pt


@pytest.mark.parametrize(("text", "count"), [("", 1), (None, 1), ("  3 ", 3), ("10", 10)])
def test_next_counts(text, count):
    assert parse_next(text) == count


@pytest.mark.parametrize("text", ["0", "11", "abc", "-1", "2 3", "<!channel>"])
def test_next_bad_arguments_get_the_usage(text):
    with pytest.raises(UsageError) as caught:
        parse_next(text)
    assert caught.value.usage.startswith("Usage: `/next [N]`")


def test_usage_never_echoes_backticks_or_long_text():
    with pytest.raises(UsageError) as caught:
        parse_next("`" + "x" * 500)
    assert "`'" in caught.value.problem and len(caught.value.problem) < 100


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
def test_schedule_days(awair, text, now, day):
    assert schedule_answer(awair, pt(now), text).day == date.fromisoformat(day)


def test_schedule_day_outside_the_workshop_lists_the_days(awair):
    with pytest.raises(
        NoSuchDay, match=r"Nothing is scheduled on Mon 7 Aug\. The workshop's days: Sat 5 Aug, Sun 6 Aug\."
    ):
        resolve_day("2023-08-07", awair, pt("2023-08-05 10:00"))
    with pytest.raises(NoSuchDay, match="Nothing is scheduled on Monday"):
        resolve_day("monday", awair, pt("2023-08-05 10:00"))


def test_schedule_filter_and_bad_date():
    assert parse_schedule("today Library").filter == "Library"
    assert parse_schedule("Library").day_word is None
    with pytest.raises(UsageError):
        parse_schedule("2023-13-45")


def test_readings_modes(awair):
    now = pt("2023-08-05 10:45")
    assert parse_readings("").mode == "current"
    assert parse_readings("ALL").mode == "all"
    assert (
        readings_answer(awair, now, "superposition").sections[0].readings[0].title
        == "Toy Models of Superposition"
    )
    # Authors are searched too, and every word must match.
    assert [r.title for r in readings_answer(awair, now, "christiano debate").sections[0].readings] == [
        "AI safety via debate"
    ]
    assert readings_answer(awair, now, "zebra").sections == ()


def test_help_takes_only_help():
    parse_help("")
    parse_help("help")
    with pytest.raises(UsageError):
        parse_help("reload now")
