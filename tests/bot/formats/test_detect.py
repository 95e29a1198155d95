"""Formats are told apart by content, whatever the file is called."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.formats import detect_format, load_foreign
from bot.schedule.errors import ScheduleError
from bot.schedule.loader import load_schedule

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('<?xml version="1.0"?>\n<schedule/>', "frab-xml"),
        ("\ufeff  <schedule>", "frab-xml"),
        ('{"schedule": {}}', "frab-json"),
        ("\r\nBEGIN:VCALENDAR\r\nVERSION:2.0", "ics"),
        ("begin:vcalendar\n", "ics"),
        ("# comment\nname: AWAIR\n", "yaml"),
    ],
)
def test_detect_format_reads_content(text, expected):
    assert detect_format(Path("schedule.txt"), text) == expected


def test_a_file_named_like_yaml_is_still_loaded_by_its_content(tmp_path):
    disguised = tmp_path / "schedule.yaml"
    disguised.write_bytes((FIXTURES / "google.ics").read_bytes())
    assert load_schedule(disguised).name == "Bay Area Workshop"


def test_a_byte_order_mark_is_no_problem(tmp_path):
    path = tmp_path / "schedule.json"
    path.write_text("\ufeff" + (FIXTURES / "offsets.json").read_text(encoding="utf-8"), encoding="utf-8")
    assert load_schedule(path).name == "Meetup 2024"


def test_unknown_format_is_refused_with_the_file():
    with pytest.raises(ScheduleError) as caught:
        load_foreign("csv", Path("s.csv"), "a,b")
    assert str(caught.value) == "s.csv: csv schedules are not supported"
