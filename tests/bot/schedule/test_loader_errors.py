"""A broken schedule is refused with every error located: file, line, session, field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.schedule.errors import ScheduleError
from bot.schedule.loader import load_schedule

REPO = Path(__file__).resolve().parents[3]

WORKSHOP = """\
name: Test Workshop
timezone: Europe/Berlin
rooms:
  - {name: Hall, capacity: 50}
  - {name: Lab, capacity: 10}
"""

READINGS = """\
readings:
  - id: paper-a
    title: Paper A
    url: https://arxiv.org/abs/1234.5678
"""


def make_folder(tmp_path: Path, day: str, workshop: str = WORKSHOP, readings: str = READINGS) -> Path:
    folder = tmp_path / "schedule"
    folder.mkdir()
    (folder / "workshop.yaml").write_text(workshop)
    (folder / "readings.yaml").write_text(readings)
    (folder / "2024-05-04.yaml").write_text(day)
    return folder


def problems_of(path: Path) -> list[str]:
    with pytest.raises(ScheduleError) as caught:
        load_schedule(path)
    return [str(p) for p in caught.value.problems]


def day(*sessions: str) -> str:
    return "date: 2024-05-04\nsessions:\n" + "".join(sessions)


GOOD = "  - {id: a, title: Opening, start: '9:00', end: '9:30', kind: logistics, room: Hall}\n"


def test_a_good_folder_loads(tmp_path):
    workshop = load_schedule(make_folder(tmp_path, day(GOOD)))
    assert [s.title for s in workshop.sessions] == ["Opening"]


def test_end_before_start_names_file_line_session_and_times(tmp_path):
    folder = make_folder(
        tmp_path, day(GOOD, "  - {title: Misalignment, start: '11:00', end: '10:10', kind: reading}\n")
    )
    assert problems_of(folder) == [
        f"{folder}/2024-05-04.yaml:4: session 'Misalignment': end 10:10 is before start 11:00"
    ]


def test_malformed_yaml_names_the_line(tmp_path):
    folder = make_folder(tmp_path, "date: 2024-05-04\nsessions:\n  - title: [unclosed\n")
    (problem,) = problems_of(folder)
    assert problem.startswith(f"{folder}/2024-05-04.yaml:")
    assert "not valid YAML" in problem


def test_unknown_time_zone(tmp_path):
    folder = make_folder(tmp_path, day(GOOD), workshop="name: W\ntimezone: Mars/Olympus_Mons\n")
    (problem,) = problems_of(folder)
    assert problem.startswith(f"{folder}/workshop.yaml:1: ")
    assert "unknown time zone 'Mars/Olympus_Mons'" in problem


@pytest.mark.parametrize("bad", ["25:00", "9.30", "noon", "9:75"])
def test_bad_time(tmp_path, bad):
    folder = make_folder(tmp_path, day(f"  - {{title: Talk, start: '{bad}', end: '10:00', kind: talk}}\n"))
    (problem,) = problems_of(folder)
    assert problem.startswith(f"{folder}/2024-05-04.yaml:3: session 'Talk': start:")
    assert bad in problem


def test_duplicate_ids_point_at_both(tmp_path):
    folder = make_folder(
        tmp_path, day(GOOD, "  - {id: a, title: Again, start: '10:00', end: '10:30', kind: talk}\n")
    )
    (problem,) = problems_of(folder)
    assert "session 'Again': duplicate id 'a' (also used at" in problem
    assert "2024-05-04.yaml:3)" in problem


def test_two_sessions_overlapping_in_one_room(tmp_path):
    folder = make_folder(
        tmp_path,
        day(
            "  - {title: Talk A, start: '9:00', end: '10:00', kind: talk, room: Hall}\n",
            "  - {title: Talk B, start: '9:30', end: '10:30', kind: talk, room: Hall}\n",
            "  - {title: Talk C, start: '9:30', end: '10:30', kind: talk, room: Lab}\n",
        ),
    )
    assert problems_of(folder) == [
        f"{folder}/2024-05-04.yaml:4: session 'Talk B': overlaps 'Talk A' in room 'Hall' (09:00-10:00)"
    ]


def test_reading_reference_that_does_not_exist(tmp_path):
    folder = make_folder(
        tmp_path,
        day(
            "  - {title: Reading, start: '9:00', end: '10:00', kind: reading, readings: [paper-a, paper-z]}\n"
        ),
    )
    assert problems_of(folder) == [
        f"{folder}/2024-05-04.yaml:3: session 'Reading': reading 'paper-z' is not in the readings list"
    ]


def test_unknown_kind_lists_the_kinds(tmp_path):
    folder = make_folder(tmp_path, day("  - {title: Keynote, start: '9:00', end: '10:00', kind: lecture}\n"))
    (problem,) = problems_of(folder)
    assert problem.startswith(
        f"{folder}/2024-05-04.yaml:3: session 'Keynote': kind 'lecture' is unknown; use one of"
    )
    assert "'talk'" in problem and "'unconference'" in problem


def test_unknown_key_and_missing_field(tmp_path):
    folder = make_folder(tmp_path, day("  - {title: Talk, start: '9:00', ends: '10:00'}\n"))
    found = problems_of(folder)
    assert f"{folder}/2024-05-04.yaml:3: session 'Talk': unknown key 'ends' (a typo?)" in found
    assert f"{folder}/2024-05-04.yaml:3: session 'Talk': kind: missing (required)" in found


def test_unknown_room(tmp_path):
    folder = make_folder(
        tmp_path, day("  - {title: Talk, start: '9:00', end: '10:00', kind: talk, room: Attic}\n")
    )
    (problem,) = problems_of(folder)
    assert "session 'Talk': room 'Attic' is not one of the rooms in" in problem


def test_every_problem_is_reported_at_once(tmp_path):
    folder = make_folder(
        tmp_path,
        day(
            "  - {title: One, start: '11:00', end: '10:00', kind: talk}\n",
            "  - {title: Two, start: '9:00', end: '10:00', kind: reading, readings: [nope]}\n",
        ),
    )
    assert len(problems_of(folder)) == 2


def test_missing_workshop_file(tmp_path):
    (tmp_path / "empty").mkdir()
    assert problems_of(tmp_path / "empty") == [
        f"{tmp_path}/empty/workshop.yaml: missing: a schedule folder needs a workshop.yaml"
    ]


def test_unquoted_times_are_times_not_base_60_numbers(tmp_path):
    folder = make_folder(tmp_path, day("  - {title: Talk, start: 9:30, end: 13:30, kind: talk}\n"))
    (session,) = load_schedule(folder).sessions
    assert (session.start.hour, session.start.minute, session.end.hour) == (9, 30, 13)


def test_single_file_schedule(tmp_path):
    path = tmp_path / "one.yaml"
    path.write_text(
        WORKSHOP
        + "days:\n  - date: 2024-05-04\n    sessions:\n      - {title: T, start: '9:00', end: '9:30', kind: talk}\n"
    )
    assert [s.title for s in load_schedule(path).sessions] == ["T"]


def test_the_shipped_schedule_is_valid_when_copied(tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(REPO / "schedule_data", copy)
    assert len(load_schedule(copy).sessions) == 26


def test_every_class_of_problem_is_reported_in_one_run(tmp_path):
    # A schema error in one day file no longer hides the cross-session problems of another.
    folder = make_folder(
        tmp_path,
        day(
            GOOD,
            "  - {title: Backwards, start: '11:00', end: '10:10', kind: talk}\n",
            "  - {title: Unread, start: '12:00', end: '13:00', kind: reading, readings: [no-such-paper]}\n",
        ),
    )
    (folder / "2024-05-05.yaml").write_text(
        "date: 2024-05-05\nsessions:\n  - {title: Odd, start: '9:00', kind: juggling}\n"
    )
    found = problems_of(folder)
    assert len(found) == 3, found
    assert any("2024-05-05.yaml" in p and "kind 'juggling' is unknown" in p for p in found)
    assert any("session 'Backwards': end 10:10 is before start 11:00" in p for p in found)
    assert any("session 'Unread': reading 'no-such-paper' is not in the readings list" in p for p in found)


def test_a_broken_readings_file_does_not_make_every_reading_unknown(tmp_path):
    folder = make_folder(
        tmp_path,
        day("  - {title: Read, start: '12:00', end: '13:00', kind: reading, readings: [paper-a]}\n"),
        readings="readings:\n  - {id: paper-a, title: Paper A}\n",  # no url
    )
    found = problems_of(folder)
    assert found and all("readings.yaml" in p for p in found), found


def test_a_twelve_hour_time_in_the_small_hours_is_warned_about(tmp_path):
    # The page writes 13:30 as "1:30"; out of file order it reads as half past one at night.
    folder = make_folder(
        tmp_path,
        day(GOOD, "  - {title: After lunch, start: '1:30', end: '2:00', kind: talk}\n"),
    )
    workshop = load_schedule(folder)
    (warning,) = workshop.warnings
    assert "2024-05-04.yaml:4: session 'After lunch': starts at 01:30, in the small hours" in warning
    assert "after 'Opening' at 09:00" in warning and 'write start: "13:30"' in warning


def test_sessions_in_file_order_after_midnight_are_not_warned_about(tmp_path):
    folder = make_folder(
        tmp_path, day("  - {title: Night owls, start: '1:00', end: '2:00', kind: talk}\n", GOOD)
    )
    assert load_schedule(folder).warnings == ()
