"""A person's day as a table: picks and instants in, statuses and clashes out."""

from __future__ import annotations

import pytest

from bot.agenda import Status
from bot.my_agenda.view import clashes_of, my_day, picked_sessions
from tests.bot.conftest import pt

SUNDAY_PICKS = {"sun-model-internals", "sun-impact-stories", "sun-ai-takeover", "sun-arc-evals"}


@pytest.mark.parametrize(
    ("now", "statuses"),
    [
        (
            "2023-08-06 09:00",
            {
                "sun-model-internals": Status.NEXT,
                "sun-impact-stories": Status.LATER,
                "sun-arc-evals": Status.LATER,
            },
        ),
        (
            "2023-08-06 10:30",
            {
                "sun-model-internals": Status.NOW,
                "sun-impact-stories": Status.NEXT,
                "sun-arc-evals": Status.LATER,
            },
        ),
        (
            "2023-08-06 13:45",
            {
                "sun-model-internals": Status.PAST,
                "sun-impact-stories": Status.NOW,
                "sun-arc-evals": Status.NEXT,
            },
        ),
        (
            "2023-08-06 17:00",
            {
                "sun-model-internals": Status.PAST,
                "sun-impact-stories": Status.PAST,
                "sun-arc-evals": Status.PAST,
            },
        ),
    ],
)
def test_statuses_follow_now(awair, now, statuses):
    day = my_day(awair, SUNDAY_PICKS, pt(now), None, 10)
    got = {i.session.id: i.status for i in day.items}
    assert {k: got[k] for k in statuses} == statuses


def test_two_picks_at_once_clash_and_others_do_not(awair):
    day = my_day(awair, SUNDAY_PICKS, pt("2023-08-06 09:00"), None, 10)
    clash = {i.session.id: {c.id for c in i.clashes} for i in day.items}
    assert clash["sun-impact-stories"] == {"sun-ai-takeover"}
    assert clash["sun-ai-takeover"] == {"sun-impact-stories"}
    assert clash["sun-model-internals"] == set() and clash["sun-arc-evals"] == set()
    assert day.clashes == 2


def test_back_to_back_sessions_do_not_clash(awair):
    sessions, _ = picked_sessions(
        awair, {"sat-lunch", "sat-directions-scalable-oversight", "sat-scalable-oversight"}
    )
    assert all(not c for c in clashes_of(awair, sessions).values())


def test_an_open_ended_session_clashes_with_what_follows_it_that_evening(awair):
    sessions, _ = picked_sessions(awair, {"sat-dinner", "sat-the-plan"})
    assert {c.id for c in clashes_of(awair, sessions)["sat-dinner"]} == {"sat-the-plan"}


@pytest.mark.parametrize(
    ("now", "picks", "day"),
    [
        ("2023-08-05 10:00", {"sat-misalignment", "sun-arc-evals"}, "2023-08-05"),  # today has a pick
        ("2023-08-05 10:00", {"sun-arc-evals"}, "2023-08-06"),  # else the next day that has one
        ("2023-08-05 10:00", set(), "2023-08-05"),  # none at all: today
        ("2023-08-01 10:00", {"sun-arc-evals"}, "2023-08-06"),  # before the workshop
    ],
)
def test_the_day_shown_is_the_one_you_want(awair, now, picks, day):
    assert my_day(awair, picks, pt(now), None, 10).day.isoformat() == day


def test_picks_gone_from_the_schedule_are_counted_not_shown(awair):
    day = my_day(
        awair, {"sun-arc-evals", "no-such-session"}, pt("2023-08-06 09:00"), None, 10, every_day=True
    )
    assert [i.session.id for i in day.items] == ["sun-arc-evals"] and day.gone == 1 and day.day is None
