"""The board's data as a table of instants across the AWAIR weekend, agreeing with /next."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from bot.board import (
    NOTICE_SHOWN_FOR,
    BoardState,
    Notice,
    board_changes,
    build_board,
    find_room,
    room_names,
    time_left,
)
from bot.board_text import headline, next_label, render_board
from bot.schedule.current import CurrentSchedule
from bot.text import render_next
from bot.whats_next import whats_next
from tests.bot.conftest import REPO, pt
from tests.support.board_fixtures import published_plan

VENUE = "Constellation, Downtown Berkeley"


@pytest.fixture(scope="module")
def with_plan():
    """AWAIR with a published unconference plan (six sessions in three rooms, Sunday 16-18)."""
    schedule = CurrentSchedule.load(REPO / "schedule_data")
    return schedule.set_extra_sessions(published_plan(schedule.workshop))


# instant, state, headline, {room: titles on now}, next start (HH:MM of the venue's next start)
WEEKEND = [
    (
        "2023-08-04 12:00",
        BoardState.BEFORE,
        "Alignment Workshop for AI Researchers (AWAIR), August 2023 starts Sat 5 Aug at 09:00 PT (in 21 h).",
        {},
        "Sat 5 Aug, 09:00 PT (in 21 h)",
    ),
    (
        "2023-08-05 09:10",
        BoardState.ON,
        "On now",
        {None: ["Arrival + light breakfast"]},
        "09:30 PT (in 20 min)",
    ),
    (
        "2023-08-05 10:45",
        BoardState.BREAK,
        "Break: nothing on until 11:00 PT (in 15 min).",
        {},
        "11:00 PT (in 15 min)",
    ),
    ("2023-08-05 11:30", BoardState.ON, "On now", {None: ["Misalignment"]}, "12:10 PT (in 40 min)"),
    (
        "2023-08-05 19:45",
        BoardState.ON,
        "On now",
        {None: ["Dinner, happy hour, and socializing", "The Plan for AI alignment"]},
        "Sun 6 Aug, 09:00 PT (in 13 h 15 min)",
    ),
    (
        "2023-08-06 03:00",
        BoardState.NOT_YET,
        "Today starts at 09:00 PT (in 6 h).",
        {},
        "09:00 PT (in 6 h)",
    ),
    (
        "2023-08-06 13:45",
        BoardState.ON,
        "On now",
        {None: ["Impact stories for model internals research", "Forecasting AI misbehavior", "AI Takeover"]},
        "14:40 PT (in 55 min)",
    ),
    (
        "2023-08-06 16:20",
        BoardState.ON,
        "On now",
        {
            None: ["Unconference block"],
            "Main room": ["Evals for deception"],
            "Library": ["Interpretability tooling"],
            "Garden room": ["Governance and compute"],
        },
        "17:00 PT (in 40 min)",
    ),
    (
        "2023-08-07 01:00",
        BoardState.OVER,
        "Alignment Workshop for AI Researchers (AWAIR), August 2023 is over: it ran Sat 5 Aug to Sun 6 Aug 2023. Thanks for coming!",
        {},
        None,
    ),
]


@pytest.mark.parametrize(
    ("at", "state", "words", "on_now", "next_start"), WEEKEND, ids=[w[0] for w in WEEKEND]
)
def test_the_board_across_the_weekend(with_plan, at, state, words, on_now, next_start):
    board = build_board(with_plan, pt(at))
    assert board.state is state
    assert headline(board) == words
    assert {r.room: [i.session.title for i in r.on_now] for r in board.rooms if r.on_now} == on_now
    assert next_label(board) == next_start


def test_rooms_are_the_days_own_roomless_first_then_the_venues_order(with_plan):
    board = build_board(with_plan, pt("2023-08-06 16:20"))
    assert [r.room for r in board.rooms] == [None, "Main room", "Library", "Garden room"]
    main = board.room("Main room")
    assert [s.title for s in main.next] == ["Debate in practice"]
    assert main.later == ()
    assert [s.title for s in board.room(None).next] == ["Closing"]
    assert [s.title for s in board.room(None).later] == ["Dinner and happy hour"]
    # Saturday has no sessions in rooms: only the venue's row.
    assert [r.room for r in build_board(with_plan, pt("2023-08-05 11:30")).rooms] == [None]


def test_a_door_sign_before_its_rooms_first_session_lists_the_rest_of_the_day(with_plan):
    library = build_board(with_plan, pt("2023-08-06 09:00")).room("Library")
    assert library.on_now == ()
    assert [s.title for s in library.next] == ["Interpretability tooling"]
    assert [s.title for s in library.later] == ["Reward hacking stories"]
    after = build_board(with_plan, pt("2023-08-06 18:10")).room("Library")
    assert after.done_for_the_day
    # A room with nothing today is an empty sign, not an error.
    assert build_board(with_plan, pt("2023-08-05 11:00")).room("Library").done_for_the_day


def test_it_agrees_with_next_at_every_ten_minutes_of_the_weekend(with_plan):
    at, end = pt("2023-08-04 23:00"), pt("2023-08-07 01:00")
    while at < end:
        board, answer = build_board(with_plan, at), whats_next(with_plan, at)
        on_board = [i.session for r in board.rooms for i in r.on_now]
        assert sorted(s.id for s in on_board) == sorted(s.id for s in answer.current), at
        assert board.next_slot == (answer.upcoming[0] if answer.upcoming else None), at
        if board.state is BoardState.BREAK:
            assert render_next(answer).splitlines()[0] == headline(board)
        at += timedelta(minutes=10)


def test_time_left_as_a_fraction(awair):
    misalignment = awair.session("sat-misalignment")  # 11:00-12:10
    assert time_left(misalignment, pt("2023-08-05 11:00")).left_fraction == 1.0
    item = time_left(misalignment, pt("2023-08-05 11:35"))
    assert item.left == timedelta(minutes=35) and item.left_fraction == pytest.approx(0.5)
    assert time_left(misalignment, pt("2023-08-05 12:10")).left_fraction == 0.0
    dinner = time_left(awair.session("sat-dinner"), pt("2023-08-05 19:00"))
    assert (dinner.end, dinner.left, dinner.left_fraction) == (None, None, None)


def test_the_day_is_over_when_todays_last_session_has_ended(awair):
    # AWAIR's evenings are open-ended; give Saturday's dinner an end to see the day close.
    dinner = awair.session("sat-dinner")
    ended = replace(
        awair,
        sessions=tuple(replace(s, end=pt("2023-08-05 21:00")) if s is dinner else s for s in awair.sessions),
    )
    board = build_board(ended, pt("2023-08-05 22:00"))
    assert board.state is BoardState.DAY_OVER
    assert headline(board) == "That's all for today. Sun 6 Aug starts at 09:00 PT (in 11 h)."
    assert all(r.done_for_the_day for r in board.rooms)


def test_an_announcement_is_news_for_a_while(awair):
    notice = Notice("Lunch is in the garden today", "Alice", pt("2023-08-05 12:00"))
    assert build_board(awair, pt("2023-08-05 12:05"), notice).notice == notice
    assert build_board(awair, pt("2023-08-05 11:59"), notice).notice is None  # not yet sent
    assert build_board(awair, notice.at + NOTICE_SHOWN_FOR, notice).notice is None


def test_rooms_are_found_by_name_or_slug(with_plan):
    assert find_room(with_plan, "garden room") == "Garden room"
    assert find_room(with_plan, "garden-room") == "Garden room"
    assert find_room(with_plan, " LIBRARY ") == "Library"
    assert find_room(with_plan, "Kitchen") is None
    assert room_names(with_plan) == ("Main room", "Library", "Garden room")


def test_board_changes_are_every_start_and_end(awair):
    moments = board_changes(awair, pt("2023-08-05 10:30"), pt("2023-08-05 12:30"))
    assert [m.astimezone(pt("2023-08-05 00:00").tzinfo).strftime("%H:%M") for m in moments] == [
        "10:30",
        "10:40",
        "11:00",
        "12:10",
    ]


def test_the_plain_text_board(with_plan):
    text = render_board(build_board(with_plan, pt("2023-08-06 16:20")))
    assert text.splitlines()[:2] == [
        "Sun 6 Aug 16:20 PT · Alignment Workshop for AI Researchers (AWAIR), August 2023",
        "On now",
    ]
    assert f"[{VENUE}]" in text and "[Garden room]" in text
    assert (
        "  Now: 🧩 Evals for deception · Proposer 1 (16:00-17:00 PT, ends in 40 min) ▓▓▓▓▓▓▓░░░ 67% left"
        in text
    )
    assert (
        "Next start: 17:00 PT (in 40 min): Debate in practice, Reward hacking stories, Careers in alignment"
        in text
    )
    door = render_board(build_board(with_plan, pt("2023-08-06 09:00")), room="Library")
    assert door.splitlines()[2:] == [
        "[Library]",
        "  Next: 16:00 PT 🧩 Interpretability tooling · Proposer 2",
        "  Later: 17:00 PT Reward hacking stories",
    ]
