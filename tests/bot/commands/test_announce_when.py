"""``/announce at …``: reading the time and resolving it in the workshop's zone."""

from __future__ import annotations

import pytest

from bot.commands.announce_when import parse_at, resolve
from bot.commands.base import Refusal, UsageError
from tests.bot.conftest import pt


@pytest.mark.parametrize(
    ("words", "now", "expected", "used"),
    [
        ("13:15 Lunch", "2023-08-05 10:00", "2023-08-05 13:15", 1),
        ("sun 9:00 Breakfast", "2023-08-05 10:00", "2023-08-06 09:00", 2),
        ("sunday 2:30 pm Walk", "2023-08-05 10:00", "2023-08-06 14:30", 3),
        ("2pm Tea", "2023-08-05 10:00", "2023-08-05 14:00", 1),
        ("tomorrow 8:45 Doors", "2023-08-05 10:00", "2023-08-06 08:45", 2),
        ("2023-08-06 12:00 Noon", "2023-08-05 10:00", "2023-08-06 12:00", 2),
    ],
)
def test_times_resolve_in_the_workshop_zone(awair, words, now, expected, used):
    when, took = parse_at(words.split())
    assert took == used
    assert resolve(when, awair, pt(now)).at == pt(expected)


@pytest.mark.parametrize("words", ["", "noon Lunch", "25:00 Late", "13:75 Odd", "13pm Nope", "13:15"])
def test_unreadable_times_get_the_usage(words):
    with pytest.raises(UsageError):
        parse_at(words.split())


def test_the_past_is_refused_with_the_time_now(awair):
    when, _ = parse_at(["9:00", "Too", "late"])
    with pytest.raises(Refusal, match=r"Sat 5 Aug 09:00 PT has already passed \(it is 10:00 PT now\)"):
        resolve(when, awair, pt("2023-08-05 10:00"))


@pytest.mark.parametrize(
    ("now", "suggested"), [("2023-08-05 10:00", "sun"), ("2023-08-06 10:00", "tomorrow")]
)
def test_the_day_suggested_for_a_past_time_is_one_that_resolves(awair, now, suggested):
    when, _ = parse_at(["9:00", "Too", "late"])
    with pytest.raises(Refusal, match=rf"e.g. `/announce at {suggested} 9:00 …`"):
        resolve(when, awair, pt(now))
    again, _ = parse_at([suggested, "9:00", "x"])
    assert resolve(again, awair, pt(now)).at > pt(now)


def test_digits_of_other_scripts_are_not_a_time(awair):
    with pytest.raises(UsageError):
        parse_at(["\uff13:00", "x"])
