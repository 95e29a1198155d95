"""pretalx/frab schedule.json: offsets against the zone name, derived values, typed refusals."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from bot.schedule.errors import ScheduleError
from bot.schedule.loader import load_schedule
from bot.schedule.model import Kind, Room, Workshop

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def meetup() -> Workshop:
    return load_schedule(FIXTURES / "offsets.json")


def test_a_zone_name_that_contradicts_the_clocks_beside_the_instants_loses(meetup):
    # time_zone_name says UTC, but <start> says 09:30 beside 09:30+02:00: the name is the slip.
    assert meetup.timezone.key == "Etc/GMT-2"
    keynote = meetup.session("11")
    assert keynote.start == datetime.fromisoformat("2024-05-10T09:30:00+02:00")
    assert f"{keynote.start:%H:%M}" == "09:30"  # shown at the wall-clock time the file means
    assert meetup.warnings == (
        f"{FIXTURES / 'offsets.json'}: conference: time_zone_name 'UTC' contradicts the start times "
        "written beside the instants (2 of 2; e.g. 09:30 is written for 07:30 in UTC); the offsets "
        "(+02:00) agree with the clocks, so times are in Etc/GMT-2; set SCHEDULE_TIMEZONE (or "
        "--timezone) to the conference's zone, an IANA name such as Europe/Berlin to be sure",
    )


def test_the_conference_room_list_gives_capacities(meetup):
    assert meetup.rooms == (Room("Big Room", 120), Room("Small Room"))


def test_names_from_pretalx_and_frab_persons(meetup):
    assert [p.name for p in meetup.session("11").speakers] == ["Sam Speaker", "Kim Cospeaker"]


def test_description_and_readings(meetup):
    keynote = meetup.session("11")
    assert keynote.description == "Why small tools win.\n\nLine one\nLine two > line one"
    assert [(r.title, r.url) for r in keynote.readings] == [
        ("Slides", "https://slides.example.org/11"),
        ("Paper", "https://pretalx.example.org/media/meetup24/paper-11.pdf"),  # relative to base_url
    ]


def test_an_event_without_guid_or_date_runs_past_midnight(meetup):
    late = meetup.session("12")
    assert late.start == datetime.fromisoformat("2024-05-10T23:30:00+02:00")
    assert late.end - late.start == timedelta(hours=1)
    assert (late.day, late.kind, late.original_kind) == (date(2024, 5, 10), Kind.DISCUSSION, "Workshop")
    assert meetup.day_change_hour == 2  # the day ends at 02:00


def test_an_explicit_end_and_an_empty_room_field(meetup):
    group = meetup.session("13")
    assert group.end == datetime.fromisoformat("2024-05-10T12:30:00+02:00")
    assert (group.room, group.kind) == ("Small Room", Kind.READING)  # the room it is listed in


def test_values_of_another_common_shape_are_read_so_with_a_warning_on_their_line():
    path = FIXTURES / "wrong_types.json"
    workshop = load_schedule(path)
    assert [s.id for s in workshop.sessions] == ["A1", "2", "3"]  # a text id is an id too
    assert workshop.session("2").end - workshop.session("2").start == timedelta(minutes=30)
    assert workshop.warnings == (
        f"{path}:25: event 2 'Duration as a number': duration 30 is a number, not HH:MM; read as 30 minutes",
    )


def test_text_that_is_not_json_is_refused_with_its_line(tmp_path):
    path = tmp_path / "schedule.json"
    path.write_text('{\n  "schedule": {\n    "version": 1,,\n  }\n}\n', encoding="utf-8")
    with pytest.raises(ScheduleError) as caught:
        load_schedule(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.message) == (
        3,
        "not valid JSON: Expecting property name enclosed in double quotes",
    )


def test_json_that_is_not_a_schedule_is_refused(tmp_path):
    path = tmp_path / "other.json"
    path.write_text('{"events": []}', encoding="utf-8")
    with pytest.raises(
        ScheduleError, match=r"expected a frab/pretalx schedule \(schedule > conference > days\)"
    ):
        load_schedule(path)
