"""Answers are right for the instant they are given (issue 14, item 13): computed once per
half minute, yet never a relative time behind; the console and Slack say the same."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.text import render_next
from bot.timefmt import ends_in, until
from bot.whats_next import whats_next
from tests.bot.conftest import pt


def test_five_minutes_six_seconds_is_not_six_minutes(bot):
    # Misalignment starts at 11:00; at 10:54:54 it is 5 min 6 s away.
    answer = bot.at("2023-08-05 10:54:00").ask("/next")
    assert "in 6 min" in render_next(answer)
    later = bot.at("2023-08-05 10:54:54").ask("/next")
    assert "in 5 min" in render_next(later) and "in 6 min" not in render_next(later)


@pytest.mark.parametrize("start", ["2023-08-05 10:40", "2023-08-05 11:25", "2023-08-06 13:29"])
def test_every_second_gets_the_answer_of_its_own_instant(bot, start):
    for second in range(0, 181, 7):
        now = pt(start) + timedelta(seconds=second)
        memoised = render_next(bot.at(now.strftime("%Y-%m-%d %H:%M:%S")).ask("/next 3"))
        assert memoised == render_next(whats_next(bot.services.workshop, now, 3)), now


def test_one_computation_serves_a_half_minute(bot):
    first = bot.at("2023-08-05 10:45:00").ask("/next")
    assert bot.at("2023-08-05 10:45:29").ask("/next") is first
    assert bot.at("2023-08-05 10:45:30").ask("/next") is not first


@pytest.mark.parametrize(
    ("left", "says"),
    [
        (306, "in 5 min"),
        (330, "in 5 min"),
        (331, "in 6 min"),
        (29, "in under a minute"),
        (0, "now"),
        (-29, "now"),
    ],
)
def test_relative_times_round_to_the_nearest_minute(left, says):
    start = pt("2023-08-05 11:00")
    assert until(start, start - timedelta(seconds=left)) == says
    assert ends_in(start, start - timedelta(seconds=306)) == "ends in 5 min"
