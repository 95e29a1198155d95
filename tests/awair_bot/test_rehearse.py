"""``awair-bot rehearse``: the weekend's posts at their simulated times, from the settings'
announcement rules, with clear errors for bad arguments; no Slack, no waiting."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from awair_bot.cli import build_parser, main
from awair_bot.commands import rehearse as rehearse_command
from bot.announcements.plan import AnnouncementPolicy, due_announcements
from bot.schedule.loader import load_schedule
from tests.bot.announcements.fakes import Sleeps
from tests.support.harness import REPO

HEADING = re.compile(r"^── (.+) ─+$", re.MULTILINE)


@pytest.fixture(autouse=True)
def clean_settings(monkeypatch, tmp_path):
    """No .env and none of this machine's announcement settings; the AWAIR schedule."""
    monkeypatch.chdir(tmp_path)
    for name in (
        "ANNOUNCE_LEAD_MINUTES",
        "ANNOUNCE_LEAD_BY_KIND",
        "ANNOUNCE_KINDS",
        "ANNOUNCE_GRACE_MINUTES",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SCHEDULE_PATH", str(REPO / "schedule_data"))


def rehearse(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["rehearse", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_whole_awair_weekend(capsys):
    awair = load_schedule(REPO / "schedule_data")
    code, out, err = rehearse(capsys)
    assert code == 0 and err == ""
    assert out.splitlines()[0] == (
        "Alignment Workshop for AI Researchers (AWAIR), August 2023 (America/Los_Angeles): announcements "
        "5 min before each session; kinds announced: discussion, logistics, reading, talk, unconference; "
        "missed ones are posted late for up to 10 min."
    )
    times = HEADING.findall(out)
    assert len(times) == len(due_announcements(awair, AnnouncementPolicy()))
    assert times[:3] == ["Sat 5 Aug 09:25 PT", "Sat 5 Aug 09:45 PT", "Sat 5 Aug 10:55 PT"]
    assert times[-1].startswith("Sun 6 Aug")
    assert "\n  ⏰ Starting at 09:30 PT (in 5 min):\n  📋 Opening  (09:30-09:50 PT)" in out
    assert "https://arxiv.org/abs/2209.00626" in out  # Misalignment's readings, linked
    assert "3 in parallel" in out and "Lunch" not in out  # meals are off by default
    assert out.endswith(f"\n{len(times)} posts.\n")


def test_the_settings_rules_are_followed(capsys, monkeypatch):
    monkeypatch.setenv("ANNOUNCE_LEAD_MINUTES", "10")
    monkeypatch.setenv("ANNOUNCE_LEAD_BY_KIND", "reading=15")
    monkeypatch.setenv("ANNOUNCE_KINDS", "all")
    _, out, _ = rehearse(capsys, "--to", "sat 12:00")
    assert "announcements 10 min before each session (reading 15 min before)" in out
    assert "meal" in out.splitlines()[0]
    assert HEADING.findall(out) == [
        "Sat 5 Aug 08:50 PT",  # breakfast at 09:00: meals are on
        "Sat 5 Aug 09:20 PT",
        "Sat 5 Aug 09:40 PT",
        "Sat 5 Aug 10:45 PT",  # the 11:00 reading, 15 min ahead
    ]


def test_starting_mid_way_posts_what_the_live_bot_would_catch_up(capsys):
    _, out, _ = rehearse(capsys, "--from", "sat 11:02", "--to", "2023-08-05 12:00")
    assert HEADING.findall(out) == ["Sat 5 Aug 11:02 PT"]
    assert "⏰ Started at 11:00 PT (started 2 min ago):\n  📕 Misalignment" in out
    assert "(Posted late: the bot was catching up.)" in out
    assert out.endswith("\n1 post from Sat 5 Aug 11:02 PT until Sat 5 Aug 12:00 PT.\n")


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2023-08-06T13:00:00-07:00", "2023-08-06T14:00:00-07:00"),
        ("2023-08-06T20:00:00Z", "2023-08-06 14:00"),
        ("2023-08-06 13:00", "sun 14:00"),
        ("Sunday 13:00", "sunday 14:00"),
    ],
)
def test_time_forms(capsys, start, end):
    code, out, _ = rehearse(capsys, "--from", start, "--to", end)
    assert code == 0 and HEADING.findall(out) == ["Sun 6 Aug 13:25 PT"]
    assert "3 in parallel" in out


def test_a_bare_day_is_the_whole_day(capsys):
    _, out, _ = rehearse(capsys, "--from", "sun", "--to", "sun")
    times = HEADING.findall(out)
    assert times and all(t.startswith("Sun 6 Aug") for t in times)


def test_nothing_in_the_window(capsys):
    code, out, _ = rehearse(capsys, "--from", "sat 21:00", "--to", "sat 23:00")
    assert code == 0 and out.endswith("\nNo posts from Sat 5 Aug 21:00 PT until Sat 5 Aug 23:00 PT.\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "someday"], "--from 'someday': not a time; write it as ISO 8601"),
        (["--to", "sat 25:00"], "--to 'sat 25:00': not a time"),
        (
            ["--from", "wed 10:00"],
            "--from 'wed 10:00': the workshop has no Wednesday (its days: Sat 5 Aug, Sun 6 Aug)",
        ),
        (["--from", "sun 10:00", "--to", "sat 10:00"], "--to must be after --from."),
    ],
)
def test_bad_times_are_clear_errors(capsys, args, message):
    code, out, err = rehearse(capsys, *args)
    assert code == 2 and message in err and "Traceback" not in err and out == ""


@pytest.mark.parametrize("speed", ["fast", "-1", "nan"])
def test_a_bad_speed_is_a_usage_error(capsys, speed):
    with pytest.raises(SystemExit) as exit_:
        main(["rehearse", "--speed", speed])
    assert exit_.value.code == 2
    assert f"argument --speed: '{speed}' is not a speed" in capsys.readouterr().err


def test_speed_paces_the_posts_in_real_time(capsys):
    sleeps = Sleeps()
    args = build_parser().parse_args(["rehearse", "--from", "sat 9:00", "--to", "sat 11:00", "--speed", "60"])
    assert rehearse_command.run(args, sleep=sleeps) == 0
    # 09:25, 09:45 and 10:55 PT: 20 and 70 simulated minutes apart, a minute a second.
    assert sleeps == [20.0, 70.0]
    assert len(HEADING.findall(capsys.readouterr().out)) == 3


def test_an_invalid_schedule_is_named_without_a_traceback(capsys, tmp_path):
    (tmp_path / "workshop.yaml").write_text("name: W\ntimezone: Nowhere/Land\n")
    code, out, err = rehearse(capsys, str(tmp_path))
    assert code == 1 and "the schedule at" in err and "Nowhere/Land" in err and "Traceback" not in err


def write_dst_weekend(folder: Path) -> None:
    """Berlin, the weekend the clocks go back (Sun 29 Oct 2023, 03:00 CEST -> 02:00 CET)."""
    folder.mkdir()
    (folder / "workshop.yaml").write_text("name: Herbst camp\ntimezone: Europe/Berlin\n")
    (folder / "2023-10-28.yaml").write_text(
        "date: 2023-10-28\nsessions:\n  - {id: sat, title: Saturday talk, start: '09:00', end: '10:00', kind: talk}\n"
    )
    (folder / "2023-10-29.yaml").write_text(
        "date: 2023-10-29\nsessions:\n"
        "  - {id: early, title: Early riser, start: '01:30', end: '02:30', kind: discussion}\n"
        "  - {id: sun, title: Sunday talk, start: '09:00', end: '10:00', kind: talk}\n"
    )


def test_a_weekend_across_a_clock_change_keeps_local_times(capsys, tmp_path):
    write_dst_weekend(tmp_path / "herbst")
    code, out, _ = rehearse(capsys, str(tmp_path / "herbst"))
    assert code == 0
    assert HEADING.findall(out) == ["Sat 28 Oct 08:55 CEST", "Sun 29 Oct 01:25 CEST", "Sun 29 Oct 08:55 CET"]
    assert "⏰ Starting at 09:00 CET (in 5 min):\n  🗣️ Sunday talk  (09:00-10:00 CET)" in out


def test_the_published_plan_and_organizer_announcements_are_rehearsed(capsys, monkeypatch, tmp_path):
    # What the live bot posts from its database (issue 14, item 9), read, never created.
    from bot.announcements import organizer
    from bot.db.engine import make_engine, make_sessionmaker
    from bot.unconference import make_draft, propose, publish, toggle_vote
    from tests.bot.conftest import pt
    from tests.support.databases import migrated

    url = migrated(f"sqlite:///{tmp_path}/live.sqlite3")
    engine = make_engine(url)
    workshop = load_schedule(REPO / "schedule_data")
    with make_sessionmaker(engine)() as db:
        morning = pt("2023-08-06 09:00")
        propose(db, "slack:UANN", "Ann", "Debate in practice", "", morning, None)
        toggle_vote(db, "slack:UBOB", 1, 3, morning)
        make_draft(db, workshop, morning, by="slack:UORG")
        publish(db, morning, by="slack:UORG")
        for platform in ("slack", "discord"):  # one announcement, two platforms: rehearsed once
            organizer.schedule(
                db, "Posters in the garden & tea", "slack:UORG", "Olive", platform, "C1",
                pt("2023-08-06 15:45"), morning, group_id=None if platform == "slack" else 1,
            )  # fmt: skip
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    code, out, _ = rehearse(capsys, "--from", "sun 15:30", "--to", "sun 16:30")
    assert code == 0
    assert "From the embedded SQLite database" in out and "1 session of the published plan" in out
    assert out.count("📢 Posters in the garden & tea") == 1 and "— Olive" in out
    assert "🧩 Debate in practice" in out  # its start is announced with the block's


def test_a_missing_database_is_not_created_by_a_rehearsal(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/none.sqlite3")
    code, out, _ = rehearse(capsys, "--from", "sun 15:30", "--to", "sun 16:30")
    assert code == 0 and not (tmp_path / "none.sqlite3").exists() and "From " not in out
