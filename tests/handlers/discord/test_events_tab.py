"""The Events tab through schedule edits and Discord's limit of 100 events: each session's
event created, moved and cancelled once, across syncs, restarts and two processes."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest

from bot.db.engine import make_engine, make_sessionmaker
from bot.events_tab import WINDOW, sync
from bot.schedule.current import CurrentSchedule
from bot.schedule.model import Kind
from handlers.discord.events_tab import DiscordCalendar
from handlers.discord.rest import DiscordRest
from tests.bot.conftest import pt
from tests.support.databases import migrated
from tests.support.discord_harness import GUILD

TALKS = frozenset({Kind.TALK})
NOW = pt("2023-08-05 09:00")
STAGE = "130000000000000001"


def write(
    folder: Path, talks: int, moved: dict[int, str] | None = None, gone: set[int] = frozenset()
) -> None:
    """``talks`` talks from 10:00, ten minutes apart, in the Main hall; a break between."""
    folder.mkdir(exist_ok=True)
    (folder / "workshop.yaml").write_text("name: Events camp\ntimezone: America/Los_Angeles\n")
    lines = []
    for n in range(talks):
        if n in gone:
            continue
        minutes = 10 * 60 + 10 * n
        start = (moved or {}).get(n) or f"{minutes // 60:02d}:{minutes % 60:02d}"
        h, m = map(int, start.split(":"))
        end = f"{(h * 60 + m + 10) // 60:02d}:{(h * 60 + m + 10) % 60:02d}"
        room = "Stage" if n == 0 else "Main hall"
        lines.append(
            f"  - {{id: t{n:03d}, title: Talk {n:03d}, start: '{start}', end: '{end}', kind: talk, room: {room}}}\n"
        )
    lines.append("  - {id: coffee, title: Coffee, start: '09:30', end: '09:45', kind: meal}\n")
    (folder / "2023-08-05.yaml").write_text("date: 2023-08-05\nsessions:\n" + "".join(lines))


@pytest.fixture
def setup(tmp_path, db_url, fake_discord):
    migrated(db_url)
    engine = make_engine(db_url)
    db = make_sessionmaker(engine)
    folder = tmp_path / "schedule"
    write(folder, 8)
    schedule = CurrentSchedule.load(folder)
    fake_discord.channel_types[STAGE] = 13
    calendar = DiscordCalendar(DiscordRest(fake_discord.token, fake_discord.url), GUILD, {"stage": STAGE})
    yield db, calendar, schedule, folder
    engine.dispose()


def run(setup, now=NOW, size=WINDOW):
    db, calendar, schedule, _ = setup
    return sync(db, calendar, "discord", schedule.workshop, TALKS, now, size)


def test_each_talk_becomes_one_event_and_a_second_sync_changes_nothing(setup, fake_discord):
    first = run(setup)
    assert first.created == [f"t{n:03d}" for n in range(8)]
    again = run(setup)
    assert (again.created, again.moved, again.cancelled) == ([], [], [])
    assert len(fake_discord.calls("POST", "/scheduled-events$")) == 8
    events = sorted(fake_discord.events.values(), key=lambda e: e["scheduled_start_time"])
    assert events[0]["entity_type"] == 1 and events[0]["channel_id"] == STAGE  # the room's stage channel
    assert events[1]["entity_type"] == 3 and events[1]["entity_metadata"] == {"location": "Main hall"}
    assert (
        events[1]["name"] == "Talk 001" and events[1]["scheduled_start_time"] == "2023-08-05T17:10:00+00:00"
    )
    assert "Coffee" not in {e["name"] for e in events}  # a kind not asked for


def test_a_moved_talk_is_moved_once_and_a_cancelled_one_cancelled_once(setup, fake_discord):
    run(setup)
    _, _, schedule, folder = setup
    write(folder, 8, moved={3: "16:00"}, gone={5})
    schedule.reload()
    report = run(setup)
    assert (report.moved, report.cancelled) == (["t003"], ["t005"])
    assert (run(setup).moved, run(setup).cancelled) == ([], [])
    moved = [e for e in fake_discord.events.values() if e["name"] == "Talk 003"]
    assert moved[0]["scheduled_start_time"] == "2023-08-05T23:00:00+00:00"
    (cancelled,) = [e for e in fake_discord.events.values() if e["name"] == "Talk 005"]
    assert cancelled["status"] == 4
    assert len(fake_discord.calls("PATCH", "/scheduled-events/")) == 2


def test_the_window_rolls_forward_and_stays_within_its_share(setup, fake_discord):
    _, _, schedule, folder = setup
    write(folder, 20)
    schedule.reload()
    assert len(run(setup, size=5).created) == 5
    later = run(setup, now=pt("2023-08-05 10:25"), size=5)  # t000-t002 have started
    assert later.created == ["t005", "t006", "t007"]


def test_at_discord_s_limit_it_stops_and_fills_in_as_room_frees_up(setup, fake_discord):
    for n in range(95):  # the organizers' own events
        fake_discord.events[str(n)] = {"id": str(n), "status": 1, "name": f"own {n}"}
    report = run(setup)
    assert report.full and len(report.created) == 5
    (refused,) = [r for r in fake_discord.requests if r.method == "POST"][-1:]
    assert refused.path.endswith("/scheduled-events")
    for n in range(10):
        del fake_discord.events[str(n)]
    assert run(setup).created == ["t005", "t006", "t007"]


def test_two_processes_syncing_at_once_create_each_event_once(setup, fake_discord, db_url):
    db, calendar, schedule, _ = setup
    other = make_sessionmaker(make_engine(db_url))
    threads = [
        threading.Thread(target=sync, args=(d, calendar, "discord", schedule.workshop, TALKS, NOW))
        for d in (db, other)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    names = [r.body["name"] for r in fake_discord.calls("POST", "/scheduled-events$")]
    assert sorted(names) == [f"Talk {n:03d}" for n in range(8)]


def test_a_refused_edit_is_tried_again_at_the_next_sync(setup, fake_discord):
    run(setup)
    _, _, schedule, folder = setup
    write(folder, 8, moved={2: "15:00"})
    schedule.reload()
    fake_discord.fail_next("PATCH /guilds", 500, {"message": "oops", "code": 0})
    assert run(setup).moved == []
    assert run(setup).moved == ["t002"]
    assert run(setup).moved == []


def test_sessions_about_to_start_are_left_alone(setup, fake_discord):
    report = run(setup, now=pt("2023-08-05 10:09:30"))
    # t000 has started and t001 starts within the minute: Discord would refuse either.
    assert report.created == [f"t{n:03d}" for n in range(2, 8)]


def test_a_creation_cut_off_by_a_crash_is_settled_not_repeated(setup, fake_discord):
    from sqlalchemy import update

    from bot.db.tables_events import PlatformEvent

    db = setup[0]
    run(setup)
    # Two creations a dead process claimed: one reached Discord, one never did.
    with db.begin() as session:
        session.execute(
            update(PlatformEvent).where(PlatformEvent.session_id.in_(["t001", "t002"])).values(event_id=None)
        )
    (t002,) = [k for k, e in fake_discord.events.items() if e["name"] == "Talk 002"]
    del fake_discord.events[t002]
    assert run(setup, now=NOW + timedelta(minutes=1)).created == []  # too fresh to judge
    later = NOW + timedelta(minutes=6)
    run(setup, now=later)  # t001 found, t002's claim released
    assert run(setup, now=later).created == ["t002"]
    names = sorted(e["name"] for e in fake_discord.events.values())
    assert names == [f"Talk {n:03d}" for n in range(8)]
