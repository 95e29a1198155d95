"""``awair-bot import`` and ``awair-bot export ics``: every format in, the calendar out, errors
located and never a traceback."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from awair_bot.cli import main
from bot.db.engine import make_engine, make_sessionmaker
from bot.db.migrate import upgrade
from bot.schedule.loader import load_schedule
from bot.schedule.model import Workshop
from bot.unconference import make_draft, propose, publish
from tests.bot.conftest import pt
from tests.support.harness import REPO

FIXTURES = REPO / "tests" / "bot" / "formats" / "fixtures"


def sessions(workshop: Workshop, speakers: bool = True) -> list[tuple]:
    return [
        (s.id, s.title, s.start, s.end, s.room, s.kind, s.day, [r.url for r in s.readings])
        + ((s.speakers,) if speakers else ())
        for s in workshop.sessions
    ]


@pytest.fixture
def env(monkeypatch, tmp_path) -> Path:
    """A clean working folder (no .env) and settings naming the AWAIR schedule and a database
    that does not exist yet."""
    monkeypatch.chdir(tmp_path)
    for name in ("SCHEDULE_PATH", "DATABASE_URL", "AWAIR_NOW", "PUBLIC_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SCHEDULE_PATH", str(REPO / "schedule_data"))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    return tmp_path


# --- import ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "kind", "warning"),
    [
        ("nights.xml", "frab schedule.xml", "id '102' is used twice"),
        ("offsets.json", "pretalx/frab/Sessionize JSON", "the offsets (+02:00) agree with the clocks"),
        ("weekend.ics", "iCalendar", "is cancelled; left out"),
        ("google.ics", "iCalendar", None),
    ],
)
def test_import_writes_the_bots_own_files_with_the_same_sessions(env, capsys, fixture, kind, warning):
    assert main(["import", str(FIXTURES / fixture), "-o", "out"]) == 0
    out, err = capsys.readouterr()
    original = load_schedule(FIXTURES / fixture)
    assert out.startswith(f"Imported {original.name} from {FIXTURES / fixture} ({kind}): ")
    assert "out/workshop.yaml" in out and "awair-bot check out" in out
    assert (warning in err) if warning else (err == "")
    again = load_schedule(env / "out")
    assert sessions(again) == sessions(original)
    assert (again.timezone, again.day_change_hour) == (original.timezone, original.day_change_hour)


def test_import_names_the_folder_after_the_file(env, capsys):
    assert main(["import", str(FIXTURES / "nights.xml")]) == 0
    assert sorted(p.name for p in (env / "nights").iterdir()) == [
        "2024-08-01.yaml",
        "2024-08-02.yaml",
        "readings.yaml",
        "workshop.yaml",
    ]
    assert "Run the bot on it with SCHEDULE_PATH=nights" in capsys.readouterr().out


def test_import_refuses_to_overwrite_yaml(env, capsys):
    assert main(["import", str(FIXTURES / "nights.xml"), "-o", "camp"]) == 0
    (env / "camp" / "workshop.yaml").write_text("# edited by hand\n")
    capsys.readouterr()
    assert main(["import", str(FIXTURES / "offsets.json"), "-o", "camp"]) == 1
    _, err = capsys.readouterr()
    assert err.startswith("awair-bot import: not overwriting anything: camp already holds 2024-08-01.yaml")
    assert "choose an empty folder with -o DIR." in err
    assert (env / "camp" / "workshop.yaml").read_text() == "# edited by hand\n"
    assert not (env / "camp" / "2024-05-10.yaml").exists()


@pytest.mark.parametrize(
    ("fixture", "located"),
    [
        ("not_wellformed.xml", "not_wellformed.xml:11: not well-formed XML"),
    ],
)
def test_a_broken_file_is_located_and_nothing_is_written(env, capsys, fixture, located):
    assert main(["import", str(FIXTURES / fixture), "-o", "out"]) == 1
    _, err = capsys.readouterr()
    assert err.startswith(f"awair-bot import: {FIXTURES / fixture} cannot be imported (")
    assert located in err
    assert not (env / "out").exists()


def test_what_the_own_format_refuses_is_said_at_import(env, capsys):
    # Conference tools double-book rooms; the bot's own files, which organizers edit, may not.
    assert main(["import", str(FIXTURES / "double_booked.xml"), "-o", "out"]) == 1
    out, err = capsys.readouterr()
    assert "Wrote 2 files to out/" in out
    assert "the files are written, but `awair-bot check out` finds 1 problem" in err
    assert "out/2024-04-20.yaml:10: session 'One of the lightning talks': overlaps 'Lightning talks'" in err


def test_import_of_a_folder_or_nothing_says_what_it_takes(env, capsys):
    assert main(["import", str(FIXTURES)]) == 1
    assert "is a folder; import takes one file" in capsys.readouterr().err
    assert main(["import", "nowhere.xml"]) == 1
    assert "nowhere.xml: no such file or folder" in capsys.readouterr().err


def test_the_command_line_never_shows_a_traceback(env):
    result = subprocess.run(
        [sys.executable, "-m", "awair_bot", "import", str(FIXTURES / "not_wellformed.xml")],
        capture_output=True, text=True, cwd=env, timeout=60,
    )  # fmt: skip
    assert result.returncode == 1
    assert "not well-formed XML" in result.stderr and "Traceback" not in result.stderr


# --- export ------------------------------------------------------------------------------


def test_export_ics_writes_the_calendar_to_stdout(env, capfdbinary):
    assert main(["export", "ics"]) == 0
    out, err = capfdbinary.readouterr()
    assert out.startswith(b"BEGIN:VCALENDAR\r\n") and out.endswith(b"END:VCALENDAR\r\n")
    assert len(Calendar.from_ical(out).events) == 26
    # No database set up: said on stderr, and none created.
    assert b"there is no database yet" in err and b"schedule file's sessions only" in err
    assert not (env / "bot.sqlite3").exists()


def test_the_awair_weekend_exports_to_a_calendar_that_reimports_cleanly(env, capsys):
    assert main(["export", "ics", "-o", "awair.ics"]) == 0
    assert capsys.readouterr().out.startswith(
        "Wrote Alignment Workshop for AI Researchers (AWAIR), August 2023 to awair.ics: 26 events"
    )
    awair = load_schedule(REPO / "schedule_data")
    again = load_schedule(env / "awair.ics")
    assert again.warnings == ()
    # Speakers travel in the events' descriptions, which the importer keeps as descriptions.
    assert sessions(again, speakers=False) == sessions(awair, speakers=False)
    assert (again.name, again.timezone) == (awair.name, awair.timezone)
    hubinger = again.session("sat-deceptive-alignment")
    assert hubinger.description.startswith("talk + Q&A · Evan Hubinger (Anthropic)")


def test_export_includes_the_published_unconference_plan(env, capsys):
    url = f"sqlite:///{env / 'bot.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    awair = load_schedule(REPO / "schedule_data")
    now = pt("2023-08-05 12:00")
    with make_sessionmaker(engine)() as db:
        for i, title in enumerate(["Evals for deception", "Scalable oversight"]):
            propose(db, f"U{i}", f"Person {i}", title, "", now + timedelta(minutes=i), None)
        make_draft(db, awair, now, include_unvoted=True)
        assert publish(db, now).ok
    engine.dispose()
    assert main(["export", "ics", "-o", "with-plan.ics"]) == 0
    assert "with the published unconference plan (2 sessions)" in capsys.readouterr().err
    calendar = Calendar.from_ical((env / "with-plan.ics").read_bytes())
    titles = [str(e["SUMMARY"]) for e in calendar.events]
    assert {"Evals for deception", "Scalable oversight"} <= set(titles) and len(titles) == 28


def test_export_of_an_invalid_schedule_is_located(env, capsys, monkeypatch):
    (env / "bad").mkdir()
    (env / "bad" / "workshop.yaml").write_text("name: W\ntimezone: Nowhere/Land\n")
    monkeypatch.setenv("SCHEDULE_PATH", str(env / "bad"))
    assert main(["export", "ics"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and f"awair-bot export: the schedule at {env / 'bad'} is invalid" in err
    assert "workshop.yaml" in err
