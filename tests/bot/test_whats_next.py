"""/next as a table of instants across the AWAIR weekend."""

from __future__ import annotations

import pytest

from bot.text import render_next
from bot.whats_next import Phase, whats_next
from tests.bot.conftest import pt


def titles(sessions) -> list[str]:
    return [s.title for s in sessions]


@pytest.mark.parametrize(
    ("now", "phase", "current", "next_titles"),
    [
        # Before the workshop: the first session, on its day.
        ("2023-08-01 12:00", Phase.BEFORE, [], ["Arrival + light breakfast"]),
        ("2023-08-05 08:59", Phase.BEFORE, [], ["Arrival + light breakfast"]),
        # The first session, at its very first minute.
        ("2023-08-05 09:00", Phase.DURING, ["Arrival + light breakfast"], ["Opening"]),
        # End is exclusive: at 09:30 breakfast is over and the opening is on.
        ("2023-08-05 09:30", Phase.DURING, ["Opening"], ["Decomposing AI Safety"]),
        # A gap (10:40-11:00) reads as a break until the reading session.
        ("2023-08-05 10:45", Phase.DURING, [], ["Misalignment"]),
        ("2023-08-05 11:30", Phase.DURING, ["Misalignment"], ["Lunch"]),
        # 1:30 on the page is 13:30.
        ("2023-08-05 13:31", Phase.DURING, ["Directions in scalable oversight"], ["Scalable oversight"]),
        ("2023-08-05 15:10", Phase.DURING, [], ["How likely is deceptive alignment?"]),
        ("2023-08-05 18:10", Phase.DURING, ["Lightning Talks"], ["Dinner, happy hour, and socializing"]),
        # The open-ended dinner runs alongside the optional 19:30 talk.
        (
            "2023-08-05 19:45",
            Phase.DURING,
            ["Dinner, happy hour, and socializing", "The Plan for AI alignment"],
            ["Light breakfast"],
        ),
        # Overnight: dinner is still on until the day ends; next is Sunday breakfast.
        ("2023-08-05 23:30", Phase.DURING, ["Dinner, happy hour, and socializing"], ["Light breakfast"]),
        ("2023-08-06 03:00", Phase.DURING, [], ["Light breakfast"]),
        # Three parallel discussions, all listed.
        (
            "2023-08-06 13:00",
            Phase.DURING,
            ["Lunch"],
            ["Impact stories for model internals research", "Forecasting AI misbehavior", "AI Takeover"],
        ),
        ("2023-08-06 14:35", Phase.DURING, [], ["My approach to scalable oversight"]),
        ("2023-08-06 16:30", Phase.DURING, ["Unconference block"], ["Closing"]),
        # The last session is open-ended: on, with nothing after it.
        ("2023-08-06 20:00", Phase.DURING, ["Dinner and happy hour"], []),
        # After the last day: over.
        ("2023-08-07 00:00", Phase.AFTER, [], []),
        ("2024-01-01 12:00", Phase.AFTER, [], []),
    ],
)
def test_next_across_the_weekend(awair, now, phase, current, next_titles):
    answer = whats_next(awair, pt(now), 1)
    assert answer.phase is phase
    assert titles(answer.current) == current
    upcoming = answer.upcoming[0].sessions if answer.upcoming else ()
    assert titles(upcoming) == next_titles


def test_next_n_shows_n_start_times_with_parallel_sessions_grouped(awair):
    answer = whats_next(awair, pt("2023-08-06 12:00"), 3)
    assert [len(slot.sessions) for slot in answer.upcoming] == [1, 3, 1]
    assert [f"{slot.start:%H:%M}" for slot in answer.upcoming] == ["12:30", "13:30", "14:40"]


def test_break_is_only_within_a_day(awair):
    assert whats_next(awair, pt("2023-08-05 10:45"), 1).in_break
    assert not whats_next(awair, pt("2023-08-06 03:00"), 1).in_break


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (
            "2023-08-05 10:45",
            [
                "Break: nothing on until 11:00 PT (in 15 min).",
                "📕 Misalignment  (11:00-12:10 PT)",
                "5 readings: type /readings",
            ],
        ),
        (
            "2023-08-05 11:50",
            ["Misalignment  (11:00-12:10 PT, ends in 20 min)", "Next: 12:10 PT (in 20 min)"],
        ),
        ("2023-08-05 15:21", ["Evan Hubinger (Anthropic)", "ends in 1 h 9 min"]),
        ("2023-08-05 19:45", ["18:30-late PT, open-ended", "optional", "Next: Sun 6 Aug, 09:00 PT"]),
        ("2023-08-06 13:00", ["Next: 13:30 PT (in 30 min) (3 in parallel)"]),
        ("2023-08-02 09:00", ["starts Sat 5 Aug at 09:00 PT (in 3 days)"]),
        ("2023-08-07 09:00", ["is over: it ran Sat 5 Aug to Sun 6 Aug 2023"]),
        ("2023-08-06 20:00", ["Nothing else is scheduled after this."]),
    ],
)
def test_next_reads_well(awair, now, expected):
    text = render_next(whats_next(awair, pt(now), 1))
    for fragment in expected:
        assert fragment in text
