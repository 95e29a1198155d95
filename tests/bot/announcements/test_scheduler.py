"""The real APScheduler, for a few seconds, against the fake poster: on time, exactly once,
across restarts, two processes, re-plans and Slack failures."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from freezegun import freeze_time

from bot.announcements import ledger
from bot.announcements.plan import AnnouncementPolicy
from bot.announcements.plan import session_key as _key
from bot.announcements.poster import PostError
from bot.announcements.scheduler import AnnouncementScheduler, make_background_scheduler
from bot.clock import ManualClock, ShiftedClock, SystemClock
from bot.schedule.model import Kind
from tests.bot.announcements.fakes import PT, FakePoster, Sleeps, session, workshop

SEC = timedelta(seconds=1)
AT_START = AnnouncementPolicy(lead=timedelta(0))  # announce at the start: easy to time
CHANNEL = "C-ANN"


@pytest.fixture
def poster() -> FakePoster:
    """The fake announcement channel."""
    return FakePoster()


@pytest.fixture
def new_scheduler(db_sessions, poster) -> Iterator[Callable[..., AnnouncementScheduler]]:
    """Builds schedulers on the test database (shut down afterwards); kwargs override."""
    made: list[AnnouncementScheduler] = []

    def build(**kwargs) -> AnnouncementScheduler:
        kwargs = {
            "sessions": db_sessions,
            "poster": poster,
            "channel": CHANNEL,
            "policy": AT_START,
            "sleep": Sleeps(),
            **kwargs,
        }
        scheduler = AnnouncementScheduler(**kwargs)
        made.append(scheduler)
        return scheduler

    yield build
    for scheduler in made:
        scheduler.shutdown(wait=False)


def soon(seconds: float) -> datetime:
    """``seconds`` from now, real time, in the workshop's zone."""
    return (datetime.now(UTC) + timedelta(seconds=seconds)).astimezone(PT)


def test_posts_each_slot_once_on_time(new_scheduler, poster, db_sessions):
    t = soon(1)
    w = workshop(
        session("one", t),
        session("two-a", t + SEC),
        session("two-b", t + SEC),
        session("lunch", t + 1.5 * SEC, kind=Kind.MEAL),
        session("three", t + 2 * SEC),
    )
    started = time.monotonic() - datetime.now(UTC).timestamp()  # monotonic minus wall
    new_scheduler().start(w)
    posts = poster.wait_for(3)
    time.sleep(0.3)
    keys = {s.id: _key(s) for s in w.sessions}
    assert [p.keys for p in poster.posts] == [
        (keys["one"],),
        (keys["two-a"], keys["two-b"]),
        (keys["three"],),
    ]
    for post, due in zip(posts, [t, t + SEC, t + 2 * SEC], strict=True):
        lateness = post.at - (due.timestamp() + started)
        assert -0.05 < lateness < 0.5
    with db_sessions() as db:
        assert {r.status for r in ledger.entries(db)} == {"sent"}


def test_two_processes_post_each_once(new_scheduler, poster, other_process_db_sessions):
    t = soon(1)
    w = workshop(*(session(f"s{i}", t + i * 0.5 * SEC) for i in range(4)))
    new_scheduler().start(w)
    new_scheduler(sessions=other_process_db_sessions).start(w)
    poster.wait_for(4)
    time.sleep(0.3)
    assert sorted(poster.posted_keys()) == sorted(_key(s) for s in w.sessions)


def test_restart_in_the_middle_posts_nothing_twice(new_scheduler, poster):
    t = soon(0.5)
    w = workshop(session("before", t), session("after", t + 2 * SEC))
    first = new_scheduler()
    first.start(w)
    poster.wait_for(1)
    first.shutdown()
    new_scheduler().start(w)  # the restarted bot: same database, a new process
    poster.wait_for(2)
    time.sleep(0.3)
    assert poster.posted_keys() == [_key(s) for s in w.sessions]


def test_start_catches_up_within_grace_and_skips_older(new_scheduler, poster, db_sessions):
    now = datetime(2023, 8, 5, 11, 3, tzinfo=PT)
    w = workshop(
        session("missed", now - 3 * 60 * SEC),
        session("ancient", now - 20 * 60 * SEC),
        session("later", now + 3600 * SEC),
    )
    scheduler = new_scheduler(clock=ManualClock(now))
    scheduler.start(w)
    [post] = poster.wait_for(1)
    time.sleep(0.3)
    assert post.keys == (_key(w.session("missed")),) and post.message.late
    assert "(Posted late: the bot was catching up.)" in post.text
    with db_sessions() as db:
        statuses = {r.key.split("@")[0]: (r.status, r.late) for r in ledger.entries(db)}
    assert statuses == {"start:missed": ("sent", True), "start:ancient": ("skipped", False)}
    assert "slot:2023-08-05T19:03:00Z" in scheduler.job_ids()


def test_replan_moves_the_announcement_and_posts_one_change_notice(new_scheduler, poster):
    clock = ManualClock(datetime(2023, 8, 5, 10, 0, tzinfo=PT))
    talk = session("talk", datetime(2023, 8, 5, 11, 0, tzinfo=PT), room="Main room")
    w = workshop(talk, session("other", datetime(2023, 8, 5, 12, 0, tzinfo=PT)))
    scheduler = new_scheduler(clock=clock)
    scheduler.start(w)
    assert "slot:2023-08-05T18:00:00Z" in scheduler.job_ids()
    moved = workshop(replace(talk, start=talk.start + 1800 * SEC, end=talk.end + 1800 * SEC), w.sessions[1])
    changes = scheduler.replan(moved)
    assert [c.kind.value for c in changes] == ["moved"]
    [notice] = poster.wait_for(1)
    assert notice.text.startswith("📣 Schedule change:")
    assert "slot:2023-08-05T18:00:00Z" not in scheduler.job_ids()
    assert "slot:2023-08-05T18:30:00Z" in scheduler.job_ids()
    scheduler.replan(moved)  # reloading the same file again changes nothing
    time.sleep(0.3)
    assert len(poster.posts) == 1


def test_organizer_announcements_scheduled_cancelled_and_kept_over_a_restart(new_scheduler, poster):
    first = new_scheduler(sweep_every=timedelta(seconds=0.5))
    first.start(workshop())
    due = datetime.now(UTC) + 1.5 * SEC
    kept = first.schedule_organizer("Lunch is on the roof", "U1", "Ada", due)
    dropped = first.schedule_organizer("Never mind", "U1", "Ada", due)
    assert first.cancel(dropped.id) and not first.cancel(dropped.id)
    assert [r.id for r in first.organizer_announcements()] == [kept.id]
    first.shutdown()
    second = new_scheduler(sweep_every=timedelta(seconds=0.5))
    second.start(workshop())
    [post] = poster.wait_for(1)
    time.sleep(0.3)
    assert post.message.text == "Lunch is on the roof" and len(poster.posts) == 1
    statuses = {r.text: r.status for r in second.organizer_announcements(include_done=True)}
    assert statuses == {"Lunch is on the roof": "sent", "Never mind": "cancelled"}


def test_slack_failing_retries_without_really_sleeping_or_stopping(new_scheduler, poster, db_sessions):
    t = soon(0.5)
    sleeps = Sleeps()
    poster.members = set()  # the bot is not in the channel yet
    poster.fail_next(
        PostError("ratelimited", retryable=True, retry_after=30),
        PostError("internal_error", retryable=True),
        PostError("timeout", retryable=True, maybe_posted=True),
    )
    w = workshop(session("one", t), session("two", t + SEC))
    scheduler = new_scheduler(sleep=sleeps)
    scheduler.start(w)
    poster.wait_for(2)
    time.sleep(0.3)
    assert poster.posted_keys() == [_key(s) for s in w.sessions] and poster.joins == [CHANNEL]
    assert sleeps == [30, 1, 2]
    with db_sessions() as db:
        attempts = [r.attempts for r in ledger.entries(db)]
    assert attempts == [5, 1]


def test_hard_error_is_recorded_and_the_next_slot_still_goes_out(new_scheduler, poster, db_sessions):
    t = soon(0.5)
    poster.fail_next(PostError("channel_not_found"))
    w = workshop(session("one", t), session("two", t + SEC))
    new_scheduler().start(w)
    poster.wait_for(1)
    time.sleep(0.3)
    assert poster.posted_keys() == [_key(w.sessions[1])]
    with db_sessions() as db:
        rows = ledger.entries(db)
    assert [r.status for r in rows] == ["failed", "sent"] and "ANNOUNCE_CHANNEL" in rows[0].error


def test_awair_now_rehearsal_fires_at_the_shifted_instant(new_scheduler, poster, awair):
    # AWAIR_NOW=Sat 10:54:59 PT: the Misalignment reading (11:00, due 10:55) goes out in ~1 s.
    clock = ShiftedClock(datetime(2023, 8, 5, 10, 54, 59, tzinfo=PT))
    new_scheduler(clock=clock, policy=AnnouncementPolicy()).start(awair)
    started = time.monotonic()
    [post] = poster.wait_for(1, timeout=3)
    assert 0.8 < post.at - started < 1.5
    assert post.text.startswith("⏰ Starting at 11:00 PT (in 5 min):\n📕 Misalignment")


def test_planning_reads_the_system_clock_once(new_scheduler, awair):
    # freezegun only here: the one place that reads the real clock is the scheduler's
    # conversion of due instants to real time, and its catch-up decision at start.
    apscheduler = make_background_scheduler()
    with freeze_time("2023-08-05 18:03:00", tz_offset=0):
        apscheduler.start(paused=True)
        scheduler = new_scheduler(clock=SystemClock(), policy=AnnouncementPolicy(), scheduler=apscheduler)
        scheduler.start(awair)
        jobs = {job.id: job.next_run_time for job in apscheduler.get_jobs()}
    assert jobs["slot:2023-08-05T18:00:00Z"] == datetime(2023, 8, 5, 17, 55, tzinfo=UTC)  # catch-up
    assert "slot:2023-08-05T16:50:00Z" not in jobs  # 09:50's talk: too old, only recorded
    assert "skip-old" in jobs
    assert jobs["slot:2023-08-05T20:30:00Z"] == datetime(2023, 8, 5, 20, 25, tzinfo=UTC)


def test_a_session_moved_sooner_gets_its_notice_first_then_its_announcement(new_scheduler, poster):
    clock = ManualClock(datetime(2023, 8, 5, 10, 57, tzinfo=PT))
    talk = session("talk", datetime(2023, 8, 5, 11, 10, tzinfo=PT))
    scheduler = new_scheduler(clock=clock, policy=AnnouncementPolicy())
    scheduler.start(workshop(talk))
    sooner = replace(talk, start=talk.start - 600 * SEC, end=talk.end - 600 * SEC)
    scheduler.replan(workshop(sooner))
    posts = poster.wait_for(2)
    time.sleep(0.3)
    assert [p.text.splitlines()[0] for p in posts] == [
        "📣 Schedule change:",
        "⏰ Starting at 11:00 PT (in 3 min):",
    ]
    assert not posts[1].message.late  # a re-plan, not the bot catching up


def test_due_times_convert_to_real_time_across_a_daylight_saving_change(new_scheduler):
    # The bot's clock says August (PDT, UTC-7); the real date is in winter (PST, UTC-8).
    with freeze_time("2026-11-29 12:00:00"):
        scheduler = new_scheduler(clock=ShiftedClock(datetime(2023, 8, 5, 10, 0, tzinfo=PT)))
        due = datetime(2023, 8, 5, 10, 5, tzinfo=PT)
        assert scheduler._to_real(due) == datetime(2026, 11, 29, 12, 5, tzinfo=UTC)
