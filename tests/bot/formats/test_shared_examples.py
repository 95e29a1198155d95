"""The real schedules beside the project (../shared/schedule-formats/) load; the invalid one not."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from bot.formats.export_own import write_own_format
from bot.schedule.loader import load_schedule

SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "schedule-formats"

pytestmark = pytest.mark.skipif(
    not SHARED.is_dir(), reason=f"the shared schedule examples are not here ({SHARED} is absent)"
)


def test_frab_camp_2019_with_nights_to_four_in_the_morning():
    camp = load_schedule(SHARED / "frab-camp2019.json")
    assert (camp.name, camp.timezone.key, len(camp.sessions), len(camp.days)) == (
        "Chaos Communication Camp 2019",
        "Europe/Berlin",
        79,
        5,
    )
    assert camp.day_change_hour == 4
    past_midnight = [s for s in camp.sessions if s.end.date() > s.day]
    assert [f"{s.start:%H:%M}-{s.end:%H:%M}" for s in past_midnight] == ["23:00-00:30"]
    assert camp.day_of(datetime(2019, 8, 22, 3, 30, tzinfo=camp.timezone)) == date(2019, 8, 21)
    assert all(camp.day_of(s.start) == s.day for s in camp.sessions)
    assert camp.warnings == ()
    assert any(not s.speakers for s in camp.sessions)  # an event without persons
    assert len(camp.readings) > 0


def test_pretalx_democon_whose_zone_name_disagrees_with_its_offsets():
    democon = load_schedule(SHARED / "pretalx-democon.json")
    assert len(democon.sessions) == 36
    assert democon.days == (date(2020, 12, 14), date(2020, 12, 15), date(2020, 12, 16))
    assert democon.timezone.key == "Etc/GMT-1"
    assert (
        "time_zone_name 'UTC' contradicts the start times written beside the instants" in democon.warnings[0]
    )


@pytest.mark.parametrize("name", ["frab-camp2019.json", "pretalx-democon.json"])
def test_examples_convert_to_the_bots_own_format_and_load_back(tmp_path, name):
    imported = load_schedule(SHARED / name)
    write_own_format(imported, tmp_path / "own")
    again = load_schedule(tmp_path / "own")
    assert [(s.id, s.title, s.start, s.end, s.room, s.day) for s in again.sessions] == [
        (s.id, s.title, s.start, s.end, s.room, s.day) for s in imported.sessions
    ]


def test_the_invalid_example_runs_its_text_id_read_as_an_id():
    # The schema wants a number; a schedule app shows the event all the same, and so does the bot.
    workshop = load_schedule(SHARED / "invalid-example.json")
    assert [(s.id, s.title) for s in workshop.sessions] == [("2814", "Internal Penetration Testing Basics")]
