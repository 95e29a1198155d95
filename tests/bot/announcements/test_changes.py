"""Schedule changes: which edits make a notice, and keys that post each change once."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from bot.announcements.changes import ChangeKind, diff_schedules
from bot.announcements.messages import ScheduleChange, render_text
from tests.bot.announcements.fakes import PT, session, workshop

T = datetime(2023, 8, 5, 15, 20, tzinfo=PT)
MIN = timedelta(minutes=1)
NOW = T - 60 * MIN
TALK = session("deceptive", T, 70, room="Main room", title="How likely is deceptive alignment?")
WALK = session("walk", T + 70 * MIN, 40)
OLD = workshop(TALK, WALK)


def kinds(changes):
    return [(c.kind, c.session.id) for c in changes]


def test_no_edit_no_changes():
    assert diff_schedules(OLD, OLD, NOW) == []


def test_moved_room_cancelled_and_added():
    moved = replace(TALK, start=T + 20 * MIN, end=T + 90 * MIN, room="Library")
    added = session("lightning", T + 3 * 60 * MIN)
    changes = diff_schedules(OLD, workshop(moved, added), NOW)
    assert kinds(changes) == [
        (ChangeKind.MOVED, "deceptive"),
        (ChangeKind.ROOM, "deceptive"),
        (ChangeKind.CANCELLED, "walk"),
        (ChangeKind.ADDED, "lightning"),
    ]


def test_started_sessions_are_history_unless_moved_past_now():
    started = T + 10 * MIN
    delayed = replace(TALK, start=T + 20 * MIN, end=T + 90 * MIN)
    assert kinds(diff_schedules(OLD, workshop(delayed, WALK), started)) == [(ChangeKind.MOVED, "deceptive")]
    other_room = replace(TALK, room="Library")
    assert kinds(diff_schedules(OLD, workshop(other_room), started)) == [(ChangeKind.CANCELLED, "walk")]


def test_a_session_cancelled_while_it_is_on_is_told_and_one_over_is_not():
    # People may be on their way to a session that is on now: its cancellation is news.
    during, after = T + 10 * MIN, T + 80 * MIN
    assert kinds(diff_schedules(OLD, workshop(WALK), during)) == [(ChangeKind.CANCELLED, "deceptive")]
    assert kinds(diff_schedules(OLD, workshop(WALK), after)) == []


def test_keys_are_stable_for_one_edit_and_new_for_the_next():
    once = replace(TALK, start=T + 20 * MIN, end=T + 90 * MIN)
    twice = replace(TALK, start=T + 40 * MIN, end=T + 110 * MIN)
    first = diff_schedules(OLD, workshop(once, WALK), NOW)
    again = diff_schedules(OLD, workshop(once, WALK), NOW + MIN)
    second = diff_schedules(workshop(once, WALK), workshop(twice, WALK), NOW)
    assert [c.key for c in first] == [c.key for c in again]
    assert first[0].key != second[0].key
    assert first[0].key.startswith("change:moved:deceptive:2023-08-05T22:20:00Z/")


def test_notice_text_says_what_changed():
    moved = replace(TALK, start=T + 20 * MIN, end=T + 90 * MIN, room="Library")
    changes = diff_schedules(OLD, workshop(moved, session("new", T + 200 * MIN, room="Garden")), NOW)
    text = render_text(ScheduleChange(tuple(changes), PT, NOW))
    assert text.splitlines() == [
        "📣 Schedule change:",
        "• \u2068How likely is deceptive alignment?\u2069 (Sat 5 Aug) moved: now 15:40-16:50 PT (was 15:20-16:30 PT).",
        "• \u2068How likely is deceptive alignment?\u2069 (Sat 5 Aug) at 15:40 PT: now in Library (was Main room).",
        "• \u2068Walk\u2069 (Sat 5 Aug) at 16:30 PT is cancelled.",
        "• New: \u2068New\u2069 (Sat 5 Aug) 18:40-19:10 PT, Garden (talk + Q&A).",
    ]
