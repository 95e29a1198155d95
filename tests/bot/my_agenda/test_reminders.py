"""Personal reminders: the plan as a table of picks, leads and instants; the runner through
the ledger with a fake platform (once each, moves, cancellations, refusals, rate limits)."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.announcements.poster import PostError, RetryPolicy
from bot.clock import ManualClock
from bot.db.engine import make_engine, make_sessionmaker
from bot.db.tables_agenda import AgendaPerson
from bot.db.tables_announce import LedgerEntry
from bot.my_agenda import store
from bot.my_agenda.messages import personal_text
from bot.my_agenda.reminders import AgendaChange, Reminder, reminder_plan
from bot.my_agenda.sender import RemindersRunner
from bot.my_agenda.store import Wanted
from bot.schedule.current import CurrentSchedule
from tests.bot.announcements.fakes import FakePoster, Sleeps
from tests.bot.conftest import REPO, pt
from tests.support.databases import migrated


@pytest.mark.parametrize(
    ("now", "wanted", "due", "next_due"),
    [
        # Misalignment at 11:00: a 10-minute lead is due at 10:50, not before.
        ("2023-08-05 10:45", [("a", "sat-misalignment", 10)], [], "2023-08-05 10:50"),
        ("2023-08-05 10:50", [("a", "sat-misalignment", 10)], [("a", "2023-08-05 10:50")], None),
        # Picked late (10:58, lead 10): due at once, while it has not started.
        ("2023-08-05 10:58", [("a", "sat-misalignment", 10)], [("a", "2023-08-05 10:50")], None),
        # Started: never reminded of late.
        ("2023-08-05 11:00", [("a", "sat-misalignment", 10)], [], None),
        # Each person's own lead.
        (
            "2023-08-05 10:45",
            [("a", "sat-misalignment", 10), ("b", "sat-misalignment", 15)],
            [("b", "2023-08-05 10:45")],
            "2023-08-05 10:50",
        ),
        # A session gone from the schedule is nobody's reminder.
        ("2023-08-05 10:50", [("a", "no-such-session", 10)], [], None),
    ],
)
def test_the_plan_is_a_function_of_now_and_the_picks(awair, now, wanted, due, next_due):
    planned, upcoming = reminder_plan(awair, [Wanted(p, s, m) for p, s, m in wanted], pt(now))
    assert [(d.person, d.due_at) for d in planned] == [(p, pt(t)) for p, t in due]
    assert upcoming == (pt(next_due) if next_due else None)


class World:
    """A database, the schedule, a fake platform, and a runner (or two) over them."""

    def __init__(self, db_url: str):
        migrated(db_url)
        self.engine = make_engine(db_url)
        self.db = make_sessionmaker(self.engine)
        self.clock = ManualClock(pt("2023-08-05 10:45"))
        self.schedule = CurrentSchedule.load(REPO / "schedule_data")
        self.poster = FakePoster()
        self.poster.platform = "slack"
        self.runners: list[RemindersRunner] = []

    def runner(self) -> RemindersRunner:
        made = RemindersRunner(
            self.db,
            self.schedule,
            self.poster,
            self.clock,
            unreachable=frozenset({"cannot_dm_bot", "user_not_found"}),
            rate=0,
            sleep=Sleeps(),
            retry=RetryPolicy(backoff=0),
        )
        self.runners.append(made)
        return made

    def pick(self, user: str, session_id: str, lead: int | None = 10) -> None:
        with self.db() as db:
            store.add_pick(db, f"slack:{user}", session_id, self.clock.now())
            if lead != 10:
                store.set_lead(db, f"slack:{user}", lead)

    def reminders(self) -> list[tuple[str, str]]:
        return [
            (p.channel, p.message.session.id) for p in self.poster.posts if isinstance(p.message, Reminder)
        ]

    def close(self) -> None:
        for r in self.runners:
            r.shutdown(wait=False)
        self.engine.dispose()


@pytest.fixture
def world(db_url):
    made = World(db_url)
    yield made
    made.close()


def test_a_reminder_goes_once_with_where_and_the_readings(world):
    world.pick("UADA", "sat-misalignment")
    runner = world.runner()
    assert runner.tick(pt("2023-08-05 10:49")).sent == 0
    assert runner.tick(pt("2023-08-05 10:50")).sent == 1
    assert runner.tick(pt("2023-08-05 10:51")).sent == 0
    assert world.reminders() == [("UADA", "sat-misalignment")]
    text = personal_text(world.poster.posts[0].message)
    assert "Misalignment" in text and "starts in 10 min" in text and "•" in text  # its readings


def test_another_persons_pick_and_another_platform_are_not_mine(world):
    world.pick("UADA", "sat-misalignment")
    with world.db() as db:
        store.add_pick(db, "discord:123", "sat-misalignment", world.clock.now())
    world.runner().tick(pt("2023-08-05 10:55"))
    assert world.reminders() == [("UADA", "sat-misalignment")]


def test_two_processes_send_each_reminder_once(world):
    for i in range(30):
        world.pick(f"U{i:03d}", "sat-misalignment")
    a, b = world.runner(), world.runner()
    barrier = threading.Barrier(2)

    def run(r):
        barrier.wait()
        r.tick(pt("2023-08-05 10:50"))

    threads = [threading.Thread(target=run, args=(r,)) for r in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(world.reminders()) == sorted((f"U{i:03d}", "sat-misalignment") for i in range(30))


def test_removing_a_pick_cancels_its_reminder_and_off_means_off(world):
    world.pick("UADA", "sat-misalignment")
    world.pick("UBOB", "sat-misalignment", lead=None)
    with world.db() as db:
        store.remove_pick(db, "slack:UADA", "sat-misalignment")
    world.runner().tick(pt("2023-08-05 10:55"))
    assert world.reminders() == []


def test_a_moved_session_sends_one_note_and_the_reminder_follows_it(world):
    world.pick("UADA", "sat-misalignment")
    runner = world.runner()
    old = world.schedule.workshop
    session = old.session("sat-misalignment")
    moved = replace(
        session, start=session.start + timedelta(minutes=30), end=session.end + timedelta(minutes=30)
    )
    new = replace(
        old,
        sessions=tuple(
            sorted((moved if s.id == moved.id else s for s in old.sessions), key=lambda s: s.start)
        ),
    )
    from bot.announcements.changes import diff_schedules

    changes = diff_schedules(old, new, world.clock.now())
    world.schedule.install(new)
    assert runner.notify_changes(changes, world.clock.now()) == 1
    assert runner.notify_changes(changes, world.clock.now()) == 0  # once
    (note,) = [p for p in world.poster.posts if isinstance(p.message, AgendaChange)]
    assert note.channel == "UADA" and "moved" in personal_text(note.message)
    assert runner.tick(pt("2023-08-05 10:50")).sent == 0  # not at the old time
    assert runner.tick(pt("2023-08-05 11:20")).sent == 1  # at the new one
    assert world.reminders() == [("UADA", "sat-misalignment")]


def test_a_cancelled_session_is_told_and_never_reminded(world):
    world.pick("UADA", "sat-misalignment")
    runner = world.runner()
    old = world.schedule.workshop
    new = replace(old, sessions=tuple(s for s in old.sessions if s.id != "sat-misalignment"))
    from bot.announcements.changes import diff_schedules

    runner.notify_changes(diff_schedules(old, new, world.clock.now()), world.clock.now())
    world.schedule.install(new)
    assert runner.tick(pt("2023-08-05 10:50")).sent == 0
    (note,) = world.poster.posts
    assert "cancelled" in personal_text(note.message)


@pytest.mark.parametrize("code", ["cannot_dm_bot", "user_not_found"])
def test_a_refused_dm_is_recorded_and_not_retried(world, code):
    world.pick("UBOT", "sat-misalignment")
    world.pick("UBOT", "sat-red-teaming")
    runner = world.runner()
    world.poster.fail_next(PostError(code))
    assert runner.tick(pt("2023-08-05 10:50")).refused == 1
    assert runner.tick(pt("2023-08-05 17:00")).sent == 0  # their next session: no more tries
    assert world.poster.calls == 1
    with world.db() as db:
        assert db.get(AgendaPerson, "slack:UBOT").dm_refused == code
        (entry,) = db.scalars(select(LedgerEntry)).all()
        assert entry.status == "failed" and entry.channel == "UBOT"
        # Asking for reminders again tries again.
        store.set_lead(db, "slack:UBOT", 10)
    assert runner.tick(pt("2023-08-05 17:00")).sent == 1


def test_a_rate_limit_is_waited_out_and_the_reminder_still_goes_once(world):
    world.pick("UADA", "sat-misalignment")
    runner = world.runner()
    world.poster.fail_next(PostError("ratelimited", retryable=True, retry_after=3))
    assert runner.tick(pt("2023-08-05 10:50")).sent == 1
    assert world.reminders() == [("UADA", "sat-misalignment")]
    assert 3 in runner._sleep  # noqa: SLF001 - the wait the platform asked for


def test_a_claim_left_by_a_dead_process_is_never_sent_blind(world):
    from bot.announcements import ledger
    from bot.announcements.ledger import Destination
    from bot.my_agenda.reminders import reminder_key

    world.pick("UADA", "sat-misalignment")
    session = world.schedule.workshop.session("sat-misalignment")
    with world.db() as db:
        ledger.claim(
            db, reminder_key(session), Destination("slack", "UADA"), pt("2023-08-05 10:50"), kind="remind"
        )
    runner = world.runner()
    runner.tick(pt("2023-08-05 10:51"))
    assert world.reminders() == []
    runner.tick(pt("2023-08-05 10:58"))  # past the stale age: settled as unknown
    with world.db() as db:
        assert db.scalars(select(LedgerEntry.status)).all() == ["unknown"]
    assert world.reminders() == []


def test_a_reminder_carries_the_readers_zone_when_it_differs_from_the_workshops(world):
    world.pick("ULON", "sat-misalignment")
    world.pick("UVAN", "sat-misalignment")
    with world.db() as db:
        store.remember_zone(db, "slack:ULON", "Europe/London")
        store.remember_zone(db, "slack:UVAN", "America/Vancouver")  # the same clock as the workshop's
    world.runner().tick(pt("2023-08-05 10:50"))
    zones = {p.channel: p.message.reader_zone for p in world.poster.posts}
    assert zones == {"ULON": ZoneInfo("Europe/London"), "UVAN": None}
    (london,) = [p.message for p in world.poster.posts if p.channel == "ULON"]
    assert personal_text(london).startswith(
        "⏰ \u2068Misalignment\u2069 starts in 10 min (11:00-12:10 PT) (19:00 BST your time)"
    )
