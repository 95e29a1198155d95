"""Any schedule written as the bot's own files loads back to the same sessions."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bot.formats.export_own import own_format_files, write_own_format
from bot.schedule.errors import ScheduleError
from bot.schedule.loader import load_schedule
from bot.schedule.model import Workshop

FIXTURES = Path(__file__).parent / "fixtures"


def test_the_awair_weekend_round_trips_exactly(awair, tmp_path):
    written = write_own_format(awair, tmp_path / "own", source="schedule_data")
    assert sorted(p.name for p in written) == [
        "2023-08-05.yaml",
        "2023-08-06.yaml",
        "readings.yaml",
        "workshop.yaml",
    ]
    again = load_schedule(tmp_path / "own")
    assert again == awair  # sessions, readings, rooms, unconference block: all of it


@pytest.mark.parametrize("name", ["nights.xml", "offsets.json", "weekend.ics", "google.ics"])
def test_imports_round_trip_but_for_the_original_type(tmp_path, name):
    imported = load_schedule(FIXTURES / name)
    write_own_format(imported, tmp_path / "own", source=name)
    again = load_schedule(tmp_path / "own")
    # The own format has no field for the other tool's type name; everything else comes back.
    assert again.sessions == tuple(dataclasses.replace(s, original_kind=None) for s in imported.sessions)
    assert (again.day_change_hour, again.timezone, again.rooms) == (
        imported.day_change_hour,
        imported.timezone,
        imported.rooms,
    )
    assert again.warnings == ()


def test_the_files_say_where_they_came_from_and_hold_clock_times():
    files = own_format_files(load_schedule(FIXTURES / "nights.xml"), source="nights.xml")
    assert set(files) == {"workshop.yaml", "readings.yaml", "2024-08-01.yaml", "2024-08-02.yaml"}
    assert files["workshop.yaml"].startswith("# Written by awair-bot import from nights.xml; edit freely.\n")
    assert "day_change_hour: 4" in files["workshop.yaml"]
    assert (
        "- id: '105'\n  start: 00:30\n  end: 01:15\n  title: Midnight lightning talks"
        in files["2024-08-01.yaml"]
    )


def test_a_double_booked_import_is_written_and_its_overlap_then_reported(tmp_path):
    imported = load_schedule(FIXTURES / "double_booked.xml")
    write_own_format(imported, tmp_path / "own")
    # The organizer now edits these files, so the bot's own check applies: overlaps are errors.
    with pytest.raises(ScheduleError, match="overlaps 'Lightning talks' in room 'Saal 1'"):
        load_schedule(tmp_path / "own")


def test_a_folder_with_yaml_files_is_refused(awair, tmp_path):
    (tmp_path / "old.yaml").write_text("date: 2020-01-01\n", encoding="utf-8")
    with pytest.raises(FileExistsError, match="already holds old.yaml; choose an empty folder"):
        write_own_format(awair, tmp_path)


def test_a_time_the_format_cannot_hold_is_refused_with_its_session(awair: Workshop):
    first = awair.sessions[0]
    odd = dataclasses.replace(first, start=first.start.replace(second=30))
    with pytest.raises(ScheduleError) as caught:
        own_format_files(dataclasses.replace(awair, sessions=(odd, *awair.sessions[1:])))
    (problem,) = caught.value.problems
    assert (problem.file, problem.where) == ("2023-08-05.yaml", "session 'Arrival + light breakfast'")
    assert problem.message == (
        f"{first.start.replace(second=30):%Y-%m-%d %H:%M:%S} cannot be written as a time of 2023-08-05 "
        "(days change at 00:00, times are HH:MM)"
    )
