"""Hand-written files for each way real exports were refused or shown wrong (issue 15)."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.schedule.errors import ScheduleError
from bot.schedule.loader import load_schedule
from bot.whats_next import whats_next


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def frab_json(events: list[dict], *, zone: str | None = "Europe/Berlin", day: dict | None = None) -> str:
    conference = {
        "acronym": "t",
        "title": "Test Con",
        "days": [{"index": 1, "date": "2024-06-01", **(day or {}), "rooms": {"Hall": events}}],
    }
    if zone:
        conference["time_zone_name"] = zone
    return json.dumps({"schedule": {"version": "1", "conference": conference}}, indent=1)


def event(n: int, at: str, **extra) -> dict:
    return {
        "id": n,
        "guid": f"00000000-0000-4000-8000-{n:012d}",
        "date": at,
        "duration": "00:30",
        "title": f"Talk {n}",
        **extra,
    }


# --- 1. one odd field never refuses a schedule ---------------------------------------------


def test_links_as_plain_strings_and_as_objects_are_both_links(tmp_path):
    path = write(
        tmp_path,
        "links.json",
        frab_json(
            [
                event(1, "2024-06-01T10:00:00+02:00", links=["https://a.example.org/slides"]),
                event(
                    2,
                    "2024-06-01T11:00:00+02:00",
                    links=[{"url": "https://b.example.org/v", "title": "Video"}],
                ),
                event(3, "2024-06-01T12:00:00+02:00", persons=["Ada"], links="https://c.example.org/one"),
            ]
        ),
    )
    workshop = load_schedule(path)
    assert [[(r.title, r.url) for r in s.readings] for s in workshop.sessions] == [
        [("https://a.example.org/slides", "https://a.example.org/slides")],
        [("Video", "https://b.example.org/v")],
        [("https://c.example.org/one", "https://c.example.org/one")],
    ]
    assert [p.name for p in workshop.session("3").speakers] == ["Ada"]
    assert workshop.warnings == ()


def test_an_unreadable_field_is_a_warning_on_its_event_and_the_rest_runs(tmp_path):
    events = [event(n, f"2024-06-01T{9 + n:02d}:00:00+02:00") for n in range(1, 6)]
    events[1]["date"] = "next Tuesday"  # no time: this event is left out
    events[2]["title"] = {"en": "Localised"}  # an odd shape: the field is left out
    events[3]["links"] = [{"url": 42}]
    path = write(tmp_path, "odd.json", frab_json(events))
    workshop = load_schedule(path)
    assert [s.id for s in workshop.sessions] == ["1", "3", "4", "5"]
    assert workshop.session("3").title == "(no title)"
    assert workshop.warnings == (
        f"{path}:29: event 3: title should be text, not dict {{'en': 'Localised'}}; left out",
        f"{path}:38: event 4 'Talk 4': links: {{'url': 42}} has no url that is text; left out",
        f"{path}:22: event 2 'Talk 2': date 'next Tuesday' is not an ISO 8601 date and time; left out",
        f"{path}:29: event 3: has no title; listed as '(no title)'",
    )


def test_a_file_whose_every_event_is_unusable_is_refused_with_the_reasons(tmp_path):
    path = write(tmp_path, "none.json", frab_json([event(1, "soon"), event(2, "later")]))
    with pytest.raises(ScheduleError) as caught:
        load_schedule(path)
    first, *reasons = (str(p) for p in caught.value.problems)
    assert first == f"{path}: no event can be used; why, event by event:"
    assert [r.split(": ", 2)[2] for r in reasons] == [
        "date 'soon' is not an ISO 8601 date and time; left out",
        "date 'later' is not an ISO 8601 date and time; left out",
    ]


# --- 2. the same guid twice ----------------------------------------------------------------

TWICE = """<?xml version="1.0" encoding="UTF-8"?>
<schedule><conference><title>Merged</title><time_zone_name>Europe/Vienna</time_zone_name></conference>
<day index="1" date="2024-03-01"><room name="Lab">
  <event id="7" guid="11111111-2222-4333-8444-555555555555"><date>2024-03-01T14:00:00+01:00</date><duration>01:00</duration><title>Soldering workshop</title></event>
  <event id="7" guid="11111111-2222-4333-8444-555555555555"><date>2024-03-01T10:00:00+01:00</date><duration>01:00</duration><title>Soldering workshop</title></event>
  <event id="7" guid="11111111-2222-4333-8444-555555555555"><date>2024-03-01T10:00:00+01:00</date><duration>01:00</duration><title>Soldering workshop</title></event>
</room></day></schedule>
"""


def test_a_workshop_held_twice_is_two_sessions_and_an_exact_repeat_one(tmp_path):
    workshop = load_schedule(write(tmp_path, "twice.xml", TWICE))
    assert [(s.id, f"{s.start:%H:%M}") for s in workshop.sessions] == [("7", "10:00"), ("7-2", "14:00")]
    assert len(workshop.warnings) == 3  # the second occurrence, its id, the exact repeat
    assert any("is listed twice" in w and "kept once" in w for w in workshop.warnings)
    assert any("another occurrence, kept as a session of its own" in w for w in workshop.warnings)


def test_the_ids_of_occurrences_follow_their_starts_not_the_file_order(tmp_path):
    lines = TWICE.splitlines()
    swapped = "\n".join([*lines[:3], lines[4], lines[3], *lines[5:]])  # the 10:00 one first now
    again = load_schedule(write(tmp_path, "swapped.xml", swapped))
    assert [(s.id, f"{s.start:%H:%M}") for s in again.sessions] == [("7", "10:00"), ("7-2", "14:00")]


# --- 3. the zone from the name, not the offsets ---------------------------------------------

INDIA = """<?xml version="1.0" encoding="UTF-8"?>
<schedule><conference><title>IndiaCon</title><time_zone_name>Asia/Kolkata</time_zone_name></conference>
<day index="1" date="2024-01-05" start="2024-01-05T03:30:00Z" end="2024-01-05T13:30:00Z"><room name="Hall">
  <event id="1"><date>2024-01-05T04:00:00Z</date><start>09:30</start><duration>01:00</duration><title>Morning keynote</title></event>
  <event id="2"><date>2024-01-05T12:30:00Z</date><start>18:00</start><duration>01:00</duration><title>Evening panel</title></event>
</room></day>
<day index="2" date="2024-01-06" start="2024-01-06T03:30:00Z" end="2024-01-06T13:30:00Z"><room name="Hall">
  <event id="3"><date>2024-01-06T04:00:00Z</date><start>09:30</start><duration>01:00</duration><title>Second morning</title></event>
</room></day></schedule>
"""


def test_a_conference_in_india_writing_utc_instants_is_shown_in_india_and_split_by_its_clock(tmp_path):
    workshop = load_schedule(write(tmp_path, "india.xml", INDIA))
    assert workshop.timezone.key == "Asia/Kolkata" and workshop.warnings == ()
    assert [(f"{s.start:%H:%M}", s.day) for s in workshop.sessions] == [
        ("09:30", date(2024, 1, 5)),
        ("18:00", date(2024, 1, 5)),  # 12:30 UTC, but the local evening of the same day
        ("09:30", date(2024, 1, 6)),
    ]
    evening = datetime(2024, 1, 5, 18, 10, tzinfo=ZoneInfo("Asia/Kolkata"))
    assert [s.title for s in whats_next(workshop, evening).current] == ["Evening panel"]


def test_a_start_in_utc_and_events_in_plus_one_with_a_berlin_name_is_fine(tmp_path):
    day = {"day_start": "2024-06-01T07:00:00+00:00", "day_end": "2024-06-01T22:00:00+02:00"}
    path = write(
        tmp_path, "berlin.json", frab_json([event(1, "2024-06-01T10:00:00+02:00", start="10:00")], day=day)
    )
    workshop = load_schedule(path)
    assert (workshop.timezone.key, workshop.warnings) == ("Europe/Berlin", ())


def test_a_named_zone_that_contradicts_the_clocks_beside_the_instants_is_warned(tmp_path):
    path = write(
        tmp_path, "slip.json", frab_json([event(1, "2024-06-01T10:00:00+02:00", start="10:00")], zone="UTC")
    )
    workshop = load_schedule(path)
    assert workshop.timezone.key == "Etc/GMT-2"
    (warning,) = workshop.warnings
    assert "time_zone_name 'UTC' contradicts the start times written beside the instants" in warning


# --- 4. no zone anywhere: SCHEDULE_TIMEZONE -------------------------------------------------

LOCAL = """<?xml version="1.0" encoding="UTF-8"?>
<schedule><conference><title>Local Con</title></conference>
<day index="1" date="2024-02-03"><room name="Janson">
  <event id="1"><start>09:30</start><duration>00:25</duration><title>Welcome</title></event>
</room></day></schedule>
"""


def test_local_times_without_a_zone_are_refused_naming_the_setting_and_run_with_it(tmp_path):
    path = write(tmp_path, "local.xml", LOCAL)
    with pytest.raises(ScheduleError) as caught:
        load_schedule(path)
    assert str(caught.value.problems[0]) == (
        f"{path}: conference: no time zone: no time_zone_name, and no time carries an offset; "
        "set SCHEDULE_TIMEZONE (or --timezone) to the conference's zone, an IANA name such as Europe/Berlin"
    )
    workshop = load_schedule(path, timezone=ZoneInfo("Europe/Brussels"))
    assert workshop.sessions[0].start == datetime(2024, 2, 3, 9, 30, tzinfo=ZoneInfo("Europe/Brussels"))


def test_the_setting_overrides_a_wrong_zone_in_the_file_with_a_warning(tmp_path):
    path = write(
        tmp_path,
        "wrong.xml",
        LOCAL.replace(
            "<title>Local Con</title>", "<title>L</title><time_zone_name>America/Chicago</time_zone_name>"
        ),
    )
    workshop = load_schedule(path, timezone=ZoneInfo("Europe/Brussels"))
    assert f"{workshop.sessions[0].start:%H:%M %Z}" == "09:30 CET"
    assert workshop.warnings == (
        f"{path}: conference: time_zone_name 'America/Chicago' is overridden by SCHEDULE_TIMEZONE=Europe/Brussels",
    )


def test_the_setting_also_overrides_the_bots_own_files(tmp_path):
    from tests.support.harness import REPO

    own = load_schedule(REPO / "schedule_data", timezone=ZoneInfo("Europe/London"))
    assert own.timezone.key == "Europe/London"
    assert (
        f"{own.sessions[0].start:%H:%M}" == f"{load_schedule(REPO / 'schedule_data').sessions[0].start:%H:%M}"
    )
    assert "is overridden by SCHEDULE_TIMEZONE=Europe/London" in own.warnings[-1]


# --- 5. calendars folded inside a character, and other encodings ---------------------------


def calendar(summary: bytes, extra: bytes = b"") -> bytes:
    return (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nX-WR-TIMEZONE:Europe/Berlin\r\n"
        b"BEGIN:VEVENT\r\nUID:1@test\r\nDTSTART;TZID=Europe/Berlin:20240601T100000\r\n"
        b"DTEND;TZID=Europe/Berlin:20240601T110000\r\n"
        + extra
        + summary
        + b"\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )


def test_a_line_folded_in_the_middle_of_a_character_is_unfolded_before_decoding(tmp_path):
    title = "Größenwahn – Übersicht".encode()
    cut = title.index("ö".encode()) + 1  # inside the two bytes of ö
    folded = b"SUMMARY:" + title[:cut] + b"\r\n " + title[cut:]
    workshop = load_schedule(write(tmp_path, "folded.ics", calendar(folded)))
    assert workshop.sessions[0].title == "Größenwahn – Übersicht"


def test_a_calendar_that_says_its_charset_is_read_with_a_warning(tmp_path):
    summary = "SUMMARY;CHARSET=ISO-8859-1:Café".encode("latin-1")
    path = write(tmp_path, "latin1.ics", calendar(summary))
    workshop = load_schedule(path)
    assert workshop.sessions[0].title == "Café"
    assert workshop.warnings == (f"{path}: not UTF-8; read as ISO-8859-1, as its CHARSET parameter says",)


def test_text_in_an_unknown_encoding_is_refused_with_its_place(tmp_path):
    path = write(tmp_path, "cp1252.ics", calendar("SUMMARY:Café “quoted”".encode("cp1252")))
    with pytest.raises(ScheduleError) as caught:
        load_schedule(path)
    (problem,) = caught.value.problems
    assert problem.line == 9
    assert problem.message.startswith("not UTF-8 text (byte ")
    assert (
        "column 12 of line 9: e9), and the file does not say its charset; save it as UTF-8" in problem.message
    )


def test_an_xml_declaration_naming_its_encoding_is_simply_followed(tmp_path):
    xml = LOCAL.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').replace("Welcome", "Bienvenue à tous")
    workshop = load_schedule(write(tmp_path, "latin1.xml", xml.encode("latin-1")), ZoneInfo("Europe/Paris"))
    assert workshop.sessions[0].title == "Bienvenue à tous" and workshop.warnings == ()


# --- 6. days by the schedule's own day boundaries -------------------------------------------

NIGHTS = """<?xml version="1.0" encoding="UTF-8"?>
<schedule><conference><title>Night Camp</title><time_zone_name>Europe/Berlin</time_zone_name></conference>
<day index="1" date="2024-08-01" start="2024-08-01T10:00:00+02:00" end="2024-08-02T06:00:00+02:00"><room name="Tent">
  <event id="1"><date>2024-08-01T22:00:00+02:00</date><duration>01:00</duration><title>Late talk</title></event>
  <event id="2"><date>2024-08-02T04:30:00+02:00</date><duration>01:00</duration><title>Sunrise DJ set</title></event>
</room></day>
<day index="2" date="2024-08-02" start="2024-08-02T10:00:00+02:00" end="2024-08-03T02:00:00+02:00"><room name="Tent">
  <event id="3"><date>2024-08-02T11:00:00+02:00</date><duration>01:00</duration><title>Breakfast talk</title></event>
</room><room name="Lawn">
  <event id="4"><date>2024-08-02T05:00:00+02:00</date><duration>00:30</duration><title>Listed a day late</title></event>
</room></day></schedule>
"""


def test_an_event_belongs_to_the_day_whose_span_holds_it(tmp_path):
    workshop = load_schedule(write(tmp_path, "nights.xml", NIGHTS))
    days = {s.title: s.day for s in workshop.sessions}
    assert days == {
        "Late talk": date(2024, 8, 1),
        "Sunrise DJ set": date(2024, 8, 1),  # 04:30 the next morning: still night one
        "Listed a day late": date(2024, 8, 1),  # listed under day 2, but night one's span holds 05:00
        "Breakfast talk": date(2024, 8, 2),
    }
    assert workshop.day_change_hour == 6
    assert all(workshop.day_of(s.start) == s.day for s in workshop.sessions)


# --- 7. links are links ----------------------------------------------------------------------


def test_imported_links_are_optional_readings_with_their_titles(tmp_path):
    links = [{"url": f"https://ex.org/{i}", "title": f"Link {i}"} for i in range(10)]
    workshop = load_schedule(
        write(tmp_path, "links.json", frab_json([event(1, "2024-06-01T10:00:00+02:00", links=links)]))
    )
    readings = workshop.session("1").readings
    assert [r.title for r in readings] == [f"Link {i}" for i in range(10)]
    assert not any(r.required for r in readings)


def test_the_fixed_offset_warning_suggests_the_setting(tmp_path):
    path = write(tmp_path, "offsets.json", frab_json([event(1, "2024-06-01T10:00:00+02:00")], zone=None))
    (warning,) = load_schedule(path).warnings
    assert (
        "no time_zone_name: times are shown in Etc/GMT-2, a fixed offset that knows no daylight saving"
        in warning
    )
    assert "set SCHEDULE_TIMEZONE" in warning


# --- Sessionize --------------------------------------------------------------------------------


def test_sessionize_all_data_with_service_sessions_categories_and_unscheduled_talks(tmp_path):
    data = {
        "sessions": [
            {"id": "1", "title": "Lunch", "startsAt": "2024-05-02T12:00:00", "endsAt": "2024-05-02T13:00:00",
             "isServiceSession": True, "speakers": [], "categoryItems": [], "roomId": 10},
            {"id": "2", "title": "Deep dive", "startsAt": "2024-05-02T13:00:00", "endsAt": "2024-05-02T14:30:00",
             "isServiceSession": False, "speakers": ["a"], "categoryItems": [100, 200], "roomId": 11,
             "recordingUrl": "https://video.example.org/2"},
            {"id": "3", "title": "Waitlisted", "startsAt": None, "endsAt": None, "speakers": [], "roomId": None},
        ],
        "speakers": [{"id": "a", "firstName": "Grace", "lastName": "Hopper", "fullName": "Grace Hopper"}],
        "categories": [
            {"id": 1, "title": "Session format", "items": [{"id": 100, "name": "Workshop"}]},
            {"id": 2, "title": "Track", "items": [{"id": 200, "name": "Cloud"}]},
        ],
        "rooms": [{"id": 10, "name": "Atrium"}, {"id": 11, "name": "Room B"}],
    }  # fmt: skip
    path = write(tmp_path, "all.json", json.dumps(data))
    with pytest.raises(
        ScheduleError, match="Sessionize writes local times and names no zone; set SCHEDULE_TIMEZONE"
    ):
        load_schedule(path)
    workshop = load_schedule(path, ZoneInfo("Europe/Oslo"))
    lunch, dive = workshop.sessions
    assert (lunch.kind.value, lunch.room) == ("meal", "Atrium")
    assert (dive.kind.value, dive.original_kind, dive.track) == ("discussion", "Workshop", "Cloud")
    assert [p.name for p in dive.speakers] == ["Grace Hopper"]
    assert dive.end - dive.start == timedelta(minutes=90)
    assert [(r.title, r.required) for r in dive.readings] == [("Recording", False)]
    assert workshop.warnings == (
        f"{path}:1: session 3 'Waitlisted': has no start (not scheduled yet); left out",
    )


def test_an_exact_repeat_of_a_later_occurrence_is_kept_once_too(tmp_path):
    lines = TWICE.splitlines()
    again = "\n".join([*lines[:4], lines[3], *lines[4:]])  # 14:00 twice, 10:00 twice
    workshop = load_schedule(write(tmp_path, "again.xml", again))
    assert [(s.id, f"{s.start:%H:%M}") for s in workshop.sessions] == [("7", "10:00"), ("7-2", "14:00")]
    assert sum("kept once" in w for w in workshop.warnings) == 2


def test_a_day_span_with_one_end_written_without_offset_still_holds_its_events(tmp_path):
    mixed = NIGHTS.replace('end="2024-08-02T06:00:00+02:00"', 'end="2024-08-02T06:00:00"')
    workshop = load_schedule(write(tmp_path, "mixed.xml", mixed))
    assert {s.title: s.day for s in workshop.sessions}["Sunrise DJ set"] == date(2024, 8, 1)
