"""iCalendar: zones by TZID, VTIMEZONE, UTC or floating; all-day, cancelled and repeating events."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.schedule.errors import ScheduleError
from bot.schedule.loader import load_schedule
from bot.schedule.model import Kind, Workshop

FIXTURES = Path(__file__).parent / "fixtures"
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture(scope="module")
def weekend() -> Workshop:
    return load_schedule(FIXTURES / "weekend.ics")


def berlin(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BERLIN)


def test_timed_events_become_sessions(weekend):
    assert weekend.name == "Reading Weekend"
    assert [s.id for s in weekend.sessions] == [
        "standup",
        "opening-1",
        "interp",
        "lunch",
        "party",
        "stars",
        "standup-2",
    ]


def test_the_events_zone_wins_over_the_calendars_name_for_it(weekend):
    assert weekend.timezone == BERLIN
    assert "X-WR-TIMEZONE 'Europe/London' is not the zone of the events' times" in " ".join(weekend.warnings)
    assert weekend.session("lunch").start == berlin("2024-06-01 12:00")  # given in UTC


def test_location_description_url_attachments_and_people(weekend):
    talk = weekend.session("interp")
    assert (talk.title, talk.room, talk.end) == (
        "Interpretability, an overview",
        "Main hall",
        berlin("2024-06-01 11:00"),
    )
    assert talk.description == "Slides & notes\n\nSee the notes (https://example.org/notes)."
    assert talk.url == "https://example.org/talks/interp"
    assert [(r.title, r.url) for r in talk.readings] == [
        ("https://example.org/talks/interp", "https://example.org/talks/interp"),
        ("Zoom In", "https://distill.pub/2020/circuits/zoom-in/"),  # the inline file is left out
    ]
    # The organizer and attendees by name; the note taker (NON-PARTICIPANT) and a nameless one are not.
    assert [p.name for p in talk.speakers] == ["Ann Chair", "Ben Speaker"]
    assert (talk.kind, talk.original_kind) == (Kind.TALK, "Keynote")


def test_without_categories_the_title_decides_the_kind(weekend):
    assert weekend.session("lunch").kind is Kind.MEAL
    assert weekend.session("opening-1").kind is Kind.LOGISTICS
    assert weekend.session("lunch").original_kind is None


def test_a_party_past_midnight_keeps_a_later_event_on_its_night(weekend):
    assert weekend.day_change_hour == 2  # the party ends at 01:30
    stars = weekend.session("stars")
    assert (stars.start, stars.end, stars.day) == (berlin("2024-06-02 00:45"), None, date(2024, 6, 1))
    assert weekend.session("standup-2").day == date(2024, 6, 2)


def test_left_out_and_guessed_events_are_said(weekend):
    path = FIXTURES / "weekend.ics"
    assert weekend.warnings[:3] == (
        f"{path}:57: event 'Day one': is an all-day event; the bot's sessions have times, so it is left out",
        f"{path}:79: event 'Cancelled talk': is cancelled; left out",
        f"{path}:87: event 'Organizers stand-up': repeats (RRULE); only its first occurrence is imported",
    )
    assert weekend.warnings[4] == (
        f"{path}:96: event 'Organizers stand-up (late)': id 'standup' is used twice "
        "(a changed occurrence of a repeating event shares its UID); this one is 'standup-2'"
    )


def test_google_calendar_utc_and_floating_times_use_the_calendars_zone():
    workshop = load_schedule(FIXTURES / "google.ics")
    pacific = ZoneInfo("America/Los_Angeles")
    assert workshop.timezone == pacific
    breakfast, session = workshop.sessions
    assert (breakfast.id, breakfast.start, breakfast.kind) == (
        "0a1b2c3d4e5f",
        datetime(2024, 8, 3, 9, 30, tzinfo=pacific),
        Kind.MEAL,
    )
    assert (session.start, session.kind) == (datetime(2024, 8, 3, 10, 0, tzinfo=pacific), Kind.DISCUSSION)
    assert workshop.warnings == ()


def test_a_zone_defined_only_by_its_vtimezone_is_matched_by_its_offsets():
    workshop = load_schedule(FIXTURES / "custom_zone.ics")
    assert workshop.timezone.key == "Etc/GMT-2"
    assert workshop.sessions[0].start == datetime.fromisoformat("2024-06-01T09:30:00+02:00")
    assert workshop.warnings == (
        f"{FIXTURES / 'custom_zone.ics'}: calendar: TZID 'Custom Berlin' is not a known time zone; "
        "the offsets (+02:00) give Etc/GMT-2; set SCHEDULE_TIMEZONE (or --timezone) to the conference's "
        "zone, an IANA name such as Europe/Berlin",
    )


def test_floating_times_without_any_zone_are_refused():
    with pytest.raises(ScheduleError, match=r"times have no time zone \(no TZID, no Z\)"):
        load_schedule(FIXTURES / "floating.ics")


def test_unreadable_and_backwards_times_are_warnings_on_their_lines_and_the_rest_runs():
    path = FIXTURES / "broken.ics"
    workshop = load_schedule(path)
    assert [(s.title, s.end is None) for s in workshop.sessions] == [
        ("Fine", True),
        ("Ends before it starts", True),
    ]
    unreadable, backwards, _utc = workshop.warnings
    assert unreadable.startswith(f"{path}:10: event 'Unreadable start': DTSTART cannot be read")
    assert unreadable.endswith("; left out")
    assert backwards == (
        f"{path}:16: event 'Ends before it starts': DTEND 2024-06-01 11:00 is before DTSTART "
        "2024-06-01 12:00; shown without an end"
    )


def test_text_that_is_not_icalendar_is_refused(tmp_path):
    path = tmp_path / "calendar.ics"
    path.write_text("BEGIN:VCALENDAR\r\nthis is not a content line\r\nEND:VCALENDAR\r\n", encoding="utf-8")
    with pytest.raises(ScheduleError, match="not an iCalendar file that can be read"):
        load_schedule(path)


def test_an_overnight_event_does_not_move_the_day_change_to_the_morning(tmp_path):
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Example//Hackathon//EN",
        "BEGIN:VEVENT", "UID:hack@example.org", "DTSTAMP:20240101T000000Z",
        "DTSTART;TZID=Europe/Berlin:20240601T200000", "DTEND;TZID=Europe/Berlin:20240602T080000",
        "SUMMARY:Hackathon", "END:VEVENT",
        "BEGIN:VEVENT", "UID:breakfast@example.org", "DTSTAMP:20240101T000000Z",
        "DTSTART;TZID=Europe/Berlin:20240602T073000", "DTEND;TZID=Europe/Berlin:20240602T083000",
        "SUMMARY:Breakfast", "END:VEVENT",
        "END:VCALENDAR",
    ]  # fmt: skip
    path = tmp_path / "hackathon.ics"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    workshop = load_schedule(path)
    assert workshop.day_change_hour == 0
    assert workshop.session("breakfast").day == date(2024, 6, 2)  # not the night before
    assert workshop.warnings == (
        f"{path}:4: event 'Hackathon': runs overnight to 2024-06-02 08:00; the bot's own format "
        "cannot hold an end after 00:00 the next day",
    )
