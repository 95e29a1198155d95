"""The real AnnouncementScheduler and SlackPoster against the fake Slack for a few seconds, on
SQLite and PostgreSQL: on time, each once, across a restart, with two bots on one database,
and through a schedule edit.

The schedule file has minute times, so slots a second apart come from per-kind leads: a talk
at 10:00 (lead 0), a reading at 10:01 (lead 59 s) and a discussion at 10:02 (lead 118 s) are
due at 10:00:00, 10:00:01 and 10:00:02. The bots' clock starts at 09:59:59 and runs at real
speed (``ShiftedClock``, as AWAIR_NOW does), so they fall due 1, 2 and 3 seconds in."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED

from bot.announcements import ledger
from bot.announcements.ledger import Destination
from bot.announcements.plan import AnnouncementPolicy, due_announcements
from bot.announcements.scheduler import SWEEP, AnnouncementScheduler, make_background_scheduler
from bot.clock import ShiftedClock
from bot.db.engine import make_engine, make_sessionmaker
from bot.schedule.current import CurrentSchedule
from bot.schedule.model import Kind, Workshop
from bot.schedule.watch import ScheduleWatcher
from handlers.slack.pacing import unpaced
from handlers.slack.poster import SlackPoster, posting_client
from tests.bot.announcements.fakes import Sleeps
from tests.bot.conftest import pt
from tests.support.databases import migrated
from tests.support.fake_slack import FakeSlack, RecordedCall
from tests.support.harness import BOT_TOKEN
from tests.support.slack_spec import spec_checked_slack

pytestmark = pytest.mark.slow  # the real scheduler on real time: wall-clock assertions

CHANNEL = "C0ANNOUNCE"
POLICY = AnnouncementPolicy(
    lead=timedelta(0),
    lead_by_kind={Kind.READING: timedelta(seconds=59), Kind.DISCUSSION: timedelta(seconds=118)},
)
WORKSHOP = """\
name: Live camp
timezone: America/Los_Angeles
rooms: [{name: Main room, capacity: 30}, {name: Library, capacity: 12}, {name: Garden room, capacity: 8}]
"""
DAY = """\
date: 2023-08-05
sessions:
  - {{id: opening, title: Opening talk, start: "10:00", end: "10:30", kind: talk, room: Main room}}
  - {{id: parallel, title: "Parallel <b>talk</b> & more", start: "10:00", end: "10:30", kind: talk, room: Library}}
  - {{id: reading, title: Reading group, start: "10:01", end: "11:00", kind: reading, room: Garden room}}
  - {{id: discussion, title: Discussion, start: "10:02", end: "10:30", kind: discussion}}
  - {{id: walk, title: Walk, start: "{walk}", end: "11:00", kind: discussion}}
  - {{id: lunch, title: Lunch, start: "12:00", end: "13:00", kind: meal}}
"""
FIRST_DUE = pt("2023-08-05 10:00")


def write_schedule(folder: Path, walk: str = "10:30") -> None:
    folder.mkdir(exist_ok=True)
    (folder / "workshop.yaml").write_text(WORKSHOP)
    (folder / "2023-08-05.yaml").write_text(DAY.format(walk=walk))


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    """The fake Slack; every call it recorded is checked against Slack's spec at the end."""
    with spec_checked_slack() as fake:
        yield fake


@pytest.fixture
def schedule(tmp_path) -> CurrentSchedule:
    write_schedule(tmp_path / "camp")
    return CurrentSchedule.load(tmp_path / "camp")


class Bot:
    """One bot process's announcements: its own engine on the shared database, a scheduler
    with its one worker, and a poster on the fake Slack."""

    def __init__(self, db_url: str, fake: FakeSlack, clock: ShiftedClock):
        self.engine = make_engine(db_url)
        self.sessions = make_sessionmaker(self.engine)
        self._swept = threading.Event()
        apscheduler = make_background_scheduler()
        apscheduler.add_listener(
            lambda event: event.job_id == SWEEP and self._swept.set(), EVENT_JOB_EXECUTED | EVENT_JOB_ERROR
        )
        poster = SlackPoster(posting_client(BOT_TOKEN, fake.url), unpaced())
        self.announcer = AnnouncementScheduler(
            self.sessions, poster, CHANNEL, policy=POLICY, clock=clock, sleep=Sleeps(), scheduler=apscheduler
        )

    def start(self, workshop: Workshop) -> Bot:
        """Start announcing; returns once the first sweep ran, so a later ``stop`` cannot meet a
        sweep adding a job (APScheduler 3 deadlocks on that; the next sweep is 30 s away)."""
        self.announcer.start(workshop)
        assert self._swept.wait(5)
        return self

    def stop(self) -> None:
        """Shut down as the process would, letting a post in progress finish."""
        self.announcer.shutdown(wait=True)
        self.engine.dispose()


@pytest.fixture
def new_bot(db_url, fake) -> Iterator[Callable[[ShiftedClock], Bot]]:
    """Builds bots on one migrated database (SQLite file; PostgreSQL when configured)."""
    migrated(db_url)
    made: list[Bot] = []

    def build(clock: ShiftedClock) -> Bot:
        made.append(Bot(db_url, fake, clock))
        return made[-1]

    yield build
    for bot in made:
        bot.announcer.shutdown(wait=True)
        bot.engine.dispose()


def clock_at(instant: datetime) -> tuple[ShiftedClock, timedelta]:
    """A clock running from ``instant``, and its offset from real time."""
    clock = ShiftedClock(instant)
    return clock, clock.now() - datetime.now(UTC)


def keys(call: RecordedCall) -> list[str]:
    return call.args["metadata"]["event_payload"]["keys"]


def lateness(call: RecordedCall, due: datetime, offset: timedelta) -> float:
    """Seconds between the post reaching Slack and the real instant it was due."""
    return call.timestamp - (due.astimezone(UTC) - offset).timestamp()  # in UTC: no wall-clock sums


def test_each_slot_goes_out_once_on_time(new_bot, fake, schedule):
    clock, offset = clock_at(FIRST_DUE - timedelta(seconds=1))
    bot = new_bot(clock).start(schedule.workshop)
    posts = fake.wait_for_calls("chat.postMessage", 3)
    bot.stop()
    dues = due_announcements(schedule.workshop, POLICY)[:3]
    assert [keys(p) for p in posts] == [list(d.keys) for d in dues]
    assert [d.due_at for d in dues] == [FIRST_DUE + timedelta(seconds=s) for s in (0, 1, 2)]
    for post, due in zip(posts, dues, strict=True):
        assert -0.05 < lateness(post, due.due_at, offset) < 0.5
    first = posts[0].args
    assert first["channel"] == CHANNEL
    assert first["blocks"][0]["text"]["text"].endswith(" at 10:00 PT (now) · 2 in parallel")
    assert "*Parallel &lt;b&gt;talk&lt;/b&gt; &amp; more*" in first["blocks"][2]["text"]["text"]
    assert len(fake.calls_to("chat.postMessage")) == 3
    with bot.sessions() as db:
        rows = ledger.entries(db, Destination("slack", CHANNEL))
    assert [(r.status, r.ts) for r in rows] == [("sent", p.response["ts"]) for p in posts for _ in keys(p)]


def test_a_restart_in_the_middle_posts_nothing_twice_and_keeps_time(new_bot, fake, schedule):
    clock, offset = clock_at(FIRST_DUE - timedelta(seconds=1))
    first = new_bot(clock).start(schedule.workshop)
    fake.wait_for_calls("chat.postMessage", 1)
    first.stop()  # the process ends; the next one starts on the same database
    second = new_bot(clock).start(schedule.workshop)
    posts = fake.wait_for_calls("chat.postMessage", 3)
    second.stop()
    dues = due_announcements(schedule.workshop, POLICY)[:3]
    assert [keys(p) for p in posts] == [list(d.keys) for d in dues]
    assert all(-0.05 < lateness(p, d.due_at, offset) < 0.5 for p, d in zip(posts[1:], dues[1:], strict=True))
    assert len(fake.calls_to("chat.postMessage")) == 3


def test_down_for_two_minutes_the_missed_ones_go_out_once_marked_late(new_bot, fake, schedule):
    clock, _ = clock_at(FIRST_DUE - timedelta(seconds=1))
    first = new_bot(clock).start(schedule.workshop)
    fake.wait_for_calls("chat.postMessage", 1)
    first.stop()
    later, _ = clock_at(FIRST_DUE + timedelta(minutes=2))  # back two minutes on
    second = new_bot(later).start(schedule.workshop)
    posts = fake.wait_for_calls("chat.postMessage", 3)
    second.stop()
    assert [keys(p) for p in posts] == [
        list(d.keys) for d in due_announcements(schedule.workshop, POLICY)[:3]
    ]
    assert "Posted late" not in str(posts[0].args["blocks"])
    for post in posts[1:]:
        assert post.args["blocks"][-1]["elements"][0]["text"] == "Posted late: the bot was catching up."
        assert post.args["blocks"][0]["text"]["text"].startswith("⏰ Started at 10:0")
    assert len(fake.calls_to("chat.postMessage")) == 3


def test_two_bots_on_one_database_post_each_announcement_once(new_bot, fake, schedule):
    clock, _ = clock_at(FIRST_DUE - timedelta(seconds=1))
    one = new_bot(clock).start(schedule.workshop)
    two = new_bot(clock).start(schedule.workshop)
    # An organizer's announcement stored through one bot; the other finds it in its sweep.
    one.announcer.schedule_organizer(
        "Coffee is in the hall", "U0ADA", "Ada", (clock.now() + timedelta(seconds=2.5)).astimezone(UTC)
    )
    two.announcer.sweep()
    assert "org:1" in one.announcer.job_ids() and "org:1" in two.announcer.job_ids()
    fake.wait_for_calls("chat.postMessage", 4)
    one.stop()
    two.stop()
    posted = [k for call in fake.calls_to("chat.postMessage") for k in keys(call)]
    expected = [k for d in due_announcements(schedule.workshop, POLICY)[:3] for k in d.keys]
    assert sorted(posted) == sorted([*expected, "organizer:1"])  # each exactly once


def test_a_schedule_edit_posts_one_change_notice_and_moves_the_announcement(new_bot, fake, schedule):
    clock, offset = clock_at(FIRST_DUE - timedelta(seconds=1))
    bot = new_bot(clock).start(schedule.workshop)
    schedule.subscribe(lambda _old, new: bot.announcer.replan(new))
    watcher = ScheduleWatcher(schedule)
    write_schedule(schedule.path, walk="10:02")  # the walk moves from 10:30 to 10:02
    assert watcher.check()  # the edited file is noticed and reloaded
    posts = fake.wait_for_calls("chat.postMessage", 4)
    assert not watcher.check()  # nothing changed since: no second notice
    assert "slot:2023-08-05T17:30:00Z" not in bot.announcer.job_ids()  # the walk's old time
    bot.stop()
    notice = posts[0].args
    assert (
        notice["text"]
        == "📣 Schedule change:\n• \u2068Walk\u2069 (Sat 5 Aug) moved: now 10:02-11:00 PT (was 10:30-11:00 PT)."
    )
    walk = schedule.workshop.session("walk")
    assert walk is not None
    [with_walk] = [p for p in posts if any(k.startswith("start:walk@") for k in keys(p))]
    assert sorted(keys(with_walk)) == [
        "start:discussion@2023-08-05T17:02:00Z",
        "start:walk@2023-08-05T17:02:00Z",
    ]
    assert -0.05 < lateness(with_walk, walk.start - timedelta(seconds=118), offset) < 0.5
    assert len(fake.calls_to("chat.postMessage")) == 4
