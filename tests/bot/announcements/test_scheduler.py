"""The announcement scheduler, stepped under an injected clock (as APScheduler's own tests
do): on time, exactly once, across restarts, two processes, re-plans and platform failures.
Nothing here waits for the wall clock."""

from __future__ import annotations

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
from tests.support.stepping import StepScheduler

SEC = timedelta(seconds=1)
MIN = timedelta(minutes=1)
AT_START = AnnouncementPolicy(lead=timedelta(0))  # announce at the start: easy to time
CHANNEL = "C-ANN"
T0 = datetime(2023, 8, 5, 10, 0, tzinfo=PT)


@pytest.fixture
def poster() -> FakePoster:
    """The fake announcement channel."""
    return FakePoster()


@pytest.fixture
def clock() -> ManualClock:
    """The bot's clock, which the scheduler follows."""
    return ManualClock(T0)


@pytest.fixture
def steps(clock) -> StepScheduler:
    """The one scheduler every announcer of a test shares: jobs run when the test steps it."""
    return StepScheduler(clock)


@pytest.fixture
def new_scheduler(db_sessions, poster, clock, steps) -> Iterator[Callable[..., AnnouncementScheduler]]:
    """Builds announcers on the test database, stepped by ``steps``; kwargs override."""
    made: list[AnnouncementScheduler] = []

    def build(**kwargs) -> AnnouncementScheduler:
        own = kwargs.pop("own_steps", None)
        stepper = own or steps
        kwargs = {
            "sessions": db_sessions,
            "poster": poster,
            "channel": CHANNEL,
            "policy": AT_START,
            "sleep": Sleeps(),
            "clock": stepper.clock,
            "scheduler": stepper,
            "wall": stepper.clock.now,
            **kwargs,
        }
        scheduler = AnnouncementScheduler(**kwargs)
        made.append(scheduler)
        return scheduler

    yield build
    for scheduler in made:
        scheduler.shutdown(wait=False)


def test_posts_each_slot_once_on_time(new_scheduler, poster, db_sessions, steps, clock):
    t = T0 + MIN
    w = workshop(
        session("one", t),
        session("two-a", t + MIN),
        session("two-b", t + MIN),
        session("lunch", t + 90 * SEC, kind=Kind.MEAL),
        session("three", t + 2 * MIN),
    )
    new_scheduler().start(w)
    seen: list[tuple[datetime, int]] = []
    for at in (t - SEC, t, t + MIN - SEC, t + MIN, t + 2 * MIN, t + 10 * MIN):
        steps.advance_to(at)
        seen.append((at, len(poster.posts)))
    # Nothing early, each slot at its instant, the meal not at all, nothing twice later.
    assert [n for _, n in seen] == [0, 1, 1, 2, 3, 3]
    keys = {s.id: _key(s) for s in w.sessions}
    assert [p.keys for p in poster.posts] == [
        (keys["one"],),
        (keys["two-a"], keys["two-b"]),
        (keys["three"],),
    ]
    with db_sessions() as db:
        assert {r.status for r in ledger.entries(db)} == {"sent"}


def test_two_processes_post_each_once(new_scheduler, poster, other_process_db_sessions, steps, clock):
    t = T0 + MIN
    w = workshop(*(session(f"s{i}", t + i * 30 * SEC) for i in range(4)))
    second_clock = ManualClock(T0)
    second = StepScheduler(second_clock)
    new_scheduler().start(w)
    new_scheduler(sessions=other_process_db_sessions, own_steps=second).start(w)
    for i in range(4):
        at = t + i * 30 * SEC
        # Both processes fire every slot, in either order; the ledger lets one post.
        (steps, second)[i % 2].advance_to(at)
        (second, steps)[i % 2].advance_to(at)
    assert sorted(poster.posted_keys()) == sorted(_key(s) for s in w.sessions)
    assert len(poster.posts) == 4


def test_restart_in_the_middle_posts_nothing_twice(new_scheduler, poster, clock):
    t = T0 + MIN
    w = workshop(session("before", t), session("after", t + 2 * MIN))
    first = new_scheduler()
    first.start(w)
    first._scheduler.advance_to(t + SEC)
    assert poster.posted_keys() == [_key(w.sessions[0])]
    first.shutdown()
    restarted = StepScheduler(clock)  # the restarted bot: same database, a new process
    new_scheduler(own_steps=restarted).start(w)
    restarted.advance_to(t + 3 * MIN)
    assert poster.posted_keys() == [_key(s) for s in w.sessions]


def test_start_catches_up_within_grace_and_skips_older(new_scheduler, poster, db_sessions, steps, clock):
    now = datetime(2023, 8, 5, 11, 3, tzinfo=PT)
    clock.set(now)
    w = workshop(
        session("missed", now - 3 * MIN),
        session("ancient", now - 20 * MIN),
        session("later", now + 60 * MIN),
    )
    scheduler = new_scheduler()
    scheduler.start(w)
    steps.run_due()
    [post] = poster.posts
    assert post.keys == (_key(w.session("missed")),) and post.message.late
    assert "(Posted late: the bot was catching up.)" in post.text
    with db_sessions() as db:
        statuses = {r.key.split("@")[0]: (r.status, r.late) for r in ledger.entries(db)}
    assert statuses == {"start:missed": ("sent", True), "start:ancient": ("skipped", False)}
    assert "slot:2023-08-05T19:03:00Z" in scheduler.job_ids()


def test_replan_moves_the_announcement_and_posts_one_change_notice(new_scheduler, poster, steps, clock):
    talk = session("talk", datetime(2023, 8, 5, 11, 0, tzinfo=PT), room="Main room")
    w = workshop(talk, session("other", datetime(2023, 8, 5, 12, 0, tzinfo=PT)))
    scheduler = new_scheduler()
    scheduler.start(w)
    assert "slot:2023-08-05T18:00:00Z" in scheduler.job_ids()
    moved = workshop(replace(talk, start=talk.start + 30 * MIN, end=talk.end + 30 * MIN), w.sessions[1])
    changes = scheduler.replan(moved)
    assert [c.kind.value for c in changes] == ["moved"]
    steps.run_due()
    [notice] = poster.posts
    assert notice.text.startswith("📣 Schedule change:")
    assert "slot:2023-08-05T18:00:00Z" not in scheduler.job_ids()
    assert "slot:2023-08-05T18:30:00Z" in scheduler.job_ids()
    scheduler.replan(moved)  # reloading the same file again changes nothing
    steps.advance_to(datetime(2023, 8, 5, 11, 10, tzinfo=PT))  # past the old start
    assert len(poster.posts) == 1
    steps.advance_to(datetime(2023, 8, 5, 11, 30, tzinfo=PT))
    assert [p.text.splitlines()[0] for p in poster.posts][1] == "⏰ Started at 11:30 PT (now):"


def test_organizer_announcements_scheduled_cancelled_and_kept_over_a_restart(new_scheduler, poster, clock):
    first = new_scheduler()
    first.start(workshop())
    due = T0 + 2 * MIN
    kept = first.schedule_organizer("Lunch is on the roof", "slack:U1", "Ada", due)
    dropped = first.schedule_organizer("Never mind", "slack:U1", "Ada", due)
    assert first.cancel(dropped.id) and not first.cancel(dropped.id)
    assert [r.id for r in first.organizer_announcements()] == [kept.id]
    first.shutdown()
    restarted = StepScheduler(clock)
    second = new_scheduler(own_steps=restarted)
    second.start(workshop())
    restarted.advance_to(due - SEC)
    assert poster.posts == []  # not early
    restarted.advance_to(due + MIN)
    [post] = poster.posts
    assert post.message.text == "Lunch is on the roof"
    statuses = {r.text: r.status for r in second.organizer_announcements(include_done=True)}
    assert statuses == {"Lunch is on the roof": "sent", "Never mind": "cancelled"}


def test_another_platforms_organizer_announcements_are_not_ours(new_scheduler, poster, db_sessions, steps):
    from bot.announcements import organizer

    with db_sessions() as db:
        theirs = organizer.schedule(db, "Hi", "discord:1", "Ada", "discord", CHANNEL, T0 + MIN, T0)
    new_scheduler().start(workshop())
    steps.advance_to(T0 + 5 * MIN)
    assert poster.posts == []  # the same channel id on another platform is another channel
    with db_sessions() as db:
        assert organizer.get(db, theirs.id).status == "pending"


def test_platform_failing_retries_without_really_sleeping_or_stopping(
    new_scheduler, poster, db_sessions, steps
):
    t = T0 + MIN
    sleeps = Sleeps()
    poster.members = set()  # the bot is not in the channel yet
    poster.fail_next(
        PostError("ratelimited", retryable=True, retry_after=30),
        PostError("internal_error", retryable=True),
        PostError("timeout", retryable=True, maybe_posted=True),
    )
    w = workshop(session("one", t), session("two", t + MIN))
    new_scheduler(sleep=sleeps).start(w)
    steps.advance_to(t + 2 * MIN)
    assert poster.posted_keys() == [_key(s) for s in w.sessions] and poster.joins == [CHANNEL]
    assert sleeps == [30, 1, 2]
    with db_sessions() as db:
        attempts = [r.attempts for r in ledger.entries(db)]
    assert attempts == [5, 1]


def test_hard_error_is_recorded_and_the_next_slot_still_goes_out(new_scheduler, poster, db_sessions, steps):
    t = T0 + MIN
    poster.fail_next(PostError("channel_not_found", hint="set the channel's id"))
    w = workshop(session("one", t), session("two", t + MIN))
    new_scheduler().start(w)
    steps.advance_to(t + 2 * MIN)
    assert poster.posted_keys() == [_key(w.sessions[1])]
    with db_sessions() as db:
        rows = ledger.entries(db)
    assert [r.status for r in rows] == ["failed", "sent"]
    assert rows[0].error == "channel_not_found: set the channel's id"


def test_a_session_moved_sooner_gets_its_notice_first_then_its_announcement(
    new_scheduler, poster, steps, clock
):
    clock.set(datetime(2023, 8, 5, 10, 57, tzinfo=PT))
    talk = session("talk", datetime(2023, 8, 5, 11, 10, tzinfo=PT))
    scheduler = new_scheduler(policy=AnnouncementPolicy())
    scheduler.start(workshop(talk))
    sooner = replace(talk, start=talk.start - 10 * MIN, end=talk.end - 10 * MIN)
    scheduler.replan(workshop(sooner))
    steps.run_due()
    assert [p.text.splitlines()[0] for p in poster.posts] == [
        "📣 Schedule change:",
        "⏰ Starting at 11:00 PT (in 3 min):",
    ]
    assert not poster.posts[1].message.late  # a re-plan, not the bot catching up


# -- the real APScheduler and the real clock ------------------------------------------


def test_planning_reads_the_system_clock_once(db_sessions, poster, awair):
    # freezegun only here: the one place that reads the real clock is the scheduler's
    # conversion of due instants to real time, and its catch-up decision at start.
    apscheduler = make_background_scheduler()
    with freeze_time("2023-08-05 18:03:00", tz_offset=0):
        apscheduler.start(paused=True)
        scheduler = AnnouncementScheduler(
            db_sessions,
            poster,
            CHANNEL,
            clock=SystemClock(),
            policy=AnnouncementPolicy(),
            scheduler=apscheduler,
        )
        scheduler.start(awair)
        jobs = {job.id: job.next_run_time for job in apscheduler.get_jobs()}
        # A reload before the start-up's recording of too-old slots has run queues its own
        # beside it, instead of replacing a running job (which APScheduler skips, warning).
        scheduler.replan(awair)
        recordings = [job.id for job in apscheduler.get_jobs() if job.id.startswith("skip-old:")]
    scheduler.shutdown(wait=False)
    assert jobs["slot:2023-08-05T18:00:00Z"] == datetime(2023, 8, 5, 17, 55, tzinfo=UTC)  # catch-up
    assert "slot:2023-08-05T16:50:00Z" not in jobs  # 09:50's talk: too old, only recorded
    assert recordings == ["skip-old:1", "skip-old:2"]
    assert jobs["slot:2023-08-05T20:30:00Z"] == datetime(2023, 8, 5, 20, 25, tzinfo=UTC)


def test_due_times_convert_to_real_time_across_a_daylight_saving_change(db_sessions, poster):
    # The bot's clock says August (PDT, UTC-7); the real date is in winter (PST, UTC-8).
    with freeze_time("2026-11-29 12:00:00"):
        scheduler = AnnouncementScheduler(
            db_sessions, poster, CHANNEL, clock=ShiftedClock(datetime(2023, 8, 5, 10, 0, tzinfo=PT))
        )
        due = datetime(2023, 8, 5, 10, 5, tzinfo=PT)
        assert scheduler._to_real(due) == datetime(2026, 11, 29, 12, 5, tzinfo=UTC)
