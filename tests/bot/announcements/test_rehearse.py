"""Rehearsal: the weekend's posts on a simulated clock, with no Slack and no real waiting."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from bot.announcements.plan import AnnouncementPolicy, due_announcements
from bot.announcements.rehearse import PlannedNote, rehearse
from tests.bot.announcements.fakes import PT, Sleeps, session, workshop

MIN = timedelta(minutes=1)


def test_awair_weekend(awair):
    posts = list(rehearse(awair))
    dues = due_announcements(awair, AnnouncementPolicy())
    assert [when for when, _ in posts] == [d.due_at for d in dues]
    first_time, first_text = posts[0]
    assert first_time.astimezone(PT) == datetime(2023, 8, 5, 9, 25, tzinfo=PT)
    assert first_text.startswith("⏰ Starting at 09:30 PT (in 5 min):\n📋 Opening")
    assert not any("Lunch" in text for _, text in posts)  # meals are off by default
    misalignment = next(text for _, text in posts if "Misalignment" in text)
    assert "https://arxiv.org/abs/2209.00626" in misalignment
    assert sum("3 in parallel" in text for _, text in posts) == 1


def test_window(awair):
    start = datetime(2023, 8, 6, 0, 0, tzinfo=PT)
    end = datetime(2023, 8, 6, 12, 0, tzinfo=PT)
    posts = list(rehearse(awair, start=start, end=end))
    assert posts and all(start <= when < end for when, _ in posts)


def test_starting_mid_way_posts_what_the_live_bot_would_catch_up(awair):
    posts = list(rehearse(awair, start=datetime(2023, 8, 5, 10, 58, tzinfo=PT)))
    when, text = posts[0]
    assert when == datetime(2023, 8, 5, 10, 58, tzinfo=PT)
    assert "Misalignment" in text and "Posted late" in text


@pytest.mark.parametrize("speed", [0, math.inf])
def test_instant_replay_never_sleeps(awair, speed):
    sleeps = Sleeps()
    list(rehearse(awair, speed=speed, sleep=sleeps))
    assert sleeps == []


def test_paced_replay_sleeps_simulated_gaps_divided_by_speed():
    t = datetime(2023, 8, 5, 11, 0, tzinfo=PT)
    w = workshop(session("a", t), session("b", t + 10 * MIN), session("c", t + 40 * MIN))
    sleeps = Sleeps()
    list(rehearse(w, speed=60, sleep=sleeps))
    assert sleeps == [10.0, 30.0]


def test_a_reload_posts_a_notice_and_moves_the_announcement():
    t = datetime(2023, 8, 5, 11, 0, tzinfo=PT)
    talk = session("talk", t, room="Main room", title="Deceptive alignment")
    w = workshop(talk, session("walk", t + 60 * MIN))
    moved = workshop(replace(talk, start=t + 20 * MIN, end=t + 50 * MIN), w.sessions[1])
    posts = list(rehearse(w, reloads=[(t - 30 * MIN, moved)]))
    assert [(when.astimezone(PT).strftime("%H:%M"), text.splitlines()[0]) for when, text in posts] == [
        ("10:30", "📣 Schedule change:"),
        ("11:15", "⏰ Starting at 11:20 PT (in 5 min):"),
        ("11:55", "⏰ Starting at 12:00 PT (in 5 min):"),
    ]


def test_a_room_change_after_the_announcement_is_a_notice_not_a_second_announcement():
    t = datetime(2023, 8, 5, 11, 0, tzinfo=PT)
    talk = session("talk", t, room="Main room")
    other_room = workshop(replace(talk, room="Library"))
    posts = list(rehearse(workshop(talk), reloads=[(t - 2 * MIN, other_room)]))
    assert [text.splitlines()[0] for _, text in posts] == [
        "⏰ Starting at 11:00 PT (in 5 min):",
        "📣 Schedule change:",
    ]


def test_organizer_notes_are_included():
    t = datetime(2023, 8, 5, 11, 0, tzinfo=PT)
    posts = list(rehearse(workshop(session("a", t)), notes=[PlannedNote(t - 30 * MIN, "Coffee!", "Ada")]))
    assert posts[0] == (t - 30 * MIN, "📢 Coffee!\n— Ada")
