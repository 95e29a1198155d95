"""What is due when: grouping, leads per kind, meals off, grace, and DST."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.announcements.plan import (
    AnnouncementPolicy,
    Timing,
    bounded_key,
    classify,
    due_announcements,
    session_key,
)
from bot.schedule.model import Kind
from tests.bot.announcements.fakes import PT, session, workshop

T = datetime(2023, 8, 5, 11, 0, tzinfo=PT)
MIN = timedelta(minutes=1)
DEFAULT = AnnouncementPolicy()


def test_defaults_are_five_minutes_ten_minutes_grace_and_meals_off():
    assert DEFAULT.lead == 5 * MIN
    assert DEFAULT.grace == 10 * MIN
    assert not DEFAULT.announces(Kind.MEAL)
    assert all(DEFAULT.announces(k) for k in Kind if k is not Kind.MEAL)


def test_each_start_is_due_lead_time_before_in_utc():
    dues = due_announcements(workshop(session("a", T), session("b", T + 60 * MIN)), DEFAULT)
    assert [(d.due_at, [s.id for s in d.sessions]) for d in dues] == [
        (datetime(2023, 8, 5, 17, 55, tzinfo=UTC), ["a"]),
        (datetime(2023, 8, 5, 18, 55, tzinfo=UTC), ["b"]),
    ]
    assert all(d.due_at.tzinfo is UTC and d.start.tzinfo is UTC for d in dues)


def test_sessions_starting_together_are_one_announcement_with_a_key_each():
    w = workshop(session("x", T, room="Main"), session("y", T, room="Library"), session("z", T))
    [due] = due_announcements(w, DEFAULT)
    assert [s.id for s in due.sessions] == ["x", "y", "z"]
    assert due.key == "slot:2023-08-05T18:00:00Z"
    assert due.keys == tuple(f"start:{i}@2023-08-05T18:00:00Z" for i in "xyz")


def test_meals_are_skipped_unless_enabled():
    w = workshop(session("lunch", T, kind=Kind.MEAL), session("talk", T + 60 * MIN))
    assert [d.sessions[0].id for d in due_announcements(w, DEFAULT)] == ["talk"]
    with_meals = AnnouncementPolicy(kinds=frozenset(Kind))
    assert [d.sessions[0].id for d in due_announcements(w, with_meals)] == ["lunch", "talk"]


def test_per_kind_lead_and_a_mixed_slot_goes_out_at_the_longest_lead():
    policy = AnnouncementPolicy(lead_by_kind={Kind.READING: 15 * MIN})
    alone = workshop(session("r", T, kind=Kind.READING), session("t", T + 60 * MIN))
    assert [d.start - d.due_at for d in due_announcements(alone, policy)] == [15 * MIN, 5 * MIN]
    mixed = workshop(session("r", T, kind=Kind.READING), session("t", T))
    [due] = due_announcements(mixed, policy)
    assert (due.start - due.due_at, len(due.sessions)) == (15 * MIN, 2)


def test_zero_lead_is_allowed_and_negative_is_refused():
    assert AnnouncementPolicy(lead=timedelta(0)).lead_for(Kind.TALK) == timedelta(0)
    with pytest.raises(ValueError, match="lead for reading"):
        AnnouncementPolicy(lead_by_kind={Kind.READING: -MIN})


@pytest.mark.parametrize(
    ("now", "timing"),
    [
        (T - 6 * MIN, Timing.FUTURE),
        (T - 5 * MIN - timedelta(seconds=1), Timing.FUTURE),
        (T - 5 * MIN, Timing.DUE),
        (T - 4 * MIN - timedelta(seconds=1), Timing.DUE),
        (T - 4 * MIN, Timing.LATE),
        (T + 5 * MIN, Timing.LATE),  # due 10:55, grace 10 min: up to 11:05
        (T + 5 * MIN + timedelta(seconds=1), Timing.TOO_OLD),
        (T + 120 * MIN, Timing.TOO_OLD),
    ],
)
def test_classify(now, timing):
    [due] = due_announcements(workshop(session("a", T)), DEFAULT)
    assert classify(due, now, DEFAULT) is timing


def test_grace_is_settable():
    [due] = due_announcements(workshop(session("a", T)), DEFAULT)
    assert classify(due, T + 30 * MIN, AnnouncementPolicy(grace=60 * MIN)) is Timing.LATE


def test_key_follows_the_start_not_the_room():
    a = session("a", T, room="Main")
    assert session_key(a) == session_key(session("a", T, room="Library"))
    assert session_key(a) != session_key(session("a", T + 20 * MIN, room="Main"))


def test_long_keys_are_bounded_but_stay_distinct():
    one, two = bounded_key("start:" + "x" * 300), bounded_key("start:" + "x" * 299 + "y")
    assert len(one) <= 200 and len(two) <= 200 and one != two
    assert bounded_key("short") == "short"


def test_fall_back_in_los_angeles_both_one_oclocks_are_due_at_the_right_instants():
    # 5 Nov 2023: 01:00-02:00 PDT happens, then 01:00-02:00 PST again.
    first = datetime(2023, 11, 5, 1, 2, tzinfo=PT)  # fold=0: PDT, 08:02Z
    second = datetime(2023, 11, 5, 1, 2, fold=1, tzinfo=PT)  # PST, 09:02Z
    after = datetime(2023, 11, 5, 9, 0, tzinfo=PT)  # 17:00Z
    dues = due_announcements(
        workshop(session("first", first), session("second", second), session("after", after)),
        DEFAULT,
    )
    assert [d.due_at for d in dues] == [
        datetime(2023, 11, 5, 7, 57, tzinfo=UTC),
        datetime(2023, 11, 5, 8, 57, tzinfo=UTC),  # 01:57 PDT: wall-clock maths would say 00:57
        datetime(2023, 11, 5, 16, 55, tzinfo=UTC),
    ]
    assert dues[1].due_at.astimezone(PT).strftime("%H:%M %Z") == "01:57 PDT"


def test_spring_forward_in_berlin_due_time_skips_the_missing_hour():
    berlin = ZoneInfo("Europe/Berlin")
    # 26 Mar 2023: 02:00 CET jumps to 03:00 CEST; a 03:02 session is due 5 minutes before,
    # at 01:57 CET (00:57Z), not at the 02:57 that does not exist.
    start = datetime(2023, 3, 26, 3, 2, tzinfo=berlin)
    [due] = due_announcements(workshop(session("early", start), zone=berlin), DEFAULT)
    assert due.due_at == datetime(2023, 3, 26, 0, 57, tzinfo=UTC)
    assert due.due_at.astimezone(berlin).strftime("%H:%M %Z") == "01:57 CET"


def test_awair_schedule_plan(awair):
    dues = due_announcements(awair, DEFAULT)
    assert all(s.kind is not Kind.MEAL for d in dues for s in d.sessions)
    assert dues == sorted(dues, key=lambda d: d.due_at)
    parallel = [d for d in dues if len(d.sessions) > 1]
    assert [len(d.sessions) for d in parallel] == [3]
    assert parallel[0].start.astimezone(PT).strftime("%a %H:%M") == "Sun 13:30"
