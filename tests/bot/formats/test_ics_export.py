"""The schedule as an RFC 5545 calendar: zone, stable UIDs, descriptions; and back again."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from bot.formats.ics_export import session_uid, workshop_to_ics
from bot.schedule.loader import load_schedule
from bot.schedule.model import Workshop

FIXTURES = Path(__file__).parent / "fixtures"
NOW = datetime(2024, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def calendar(awair) -> Calendar:
    return Calendar.from_ical(workshop_to_ics(awair, NOW))


def test_every_session_is_an_event_in_the_workshops_zone(awair, calendar):
    assert [tz.tz_name for tz in calendar.timezones] == ["America/Los_Angeles"]
    assert len(calendar.events) == len(awair.sessions)
    first = calendar.events[0]
    assert first["DTSTART"].params["TZID"] == "America/Los_Angeles"
    assert first.start == awair.sessions[0].start
    assert calendar.calendar_name == awair.name
    assert str(calendar["X-WR-TIMEZONE"]) == "America/Los_Angeles"


def test_uids_are_stable_and_unique(awair, calendar):
    later = Calendar.from_ical(workshop_to_ics(awair, datetime(2025, 6, 1, tzinfo=UTC)))
    uids = [str(e["UID"]) for e in calendar.events]
    assert uids == [str(e["UID"]) for e in later.events]  # re-importing updates, never duplicates
    assert len(set(uids)) == len(uids)
    assert uids[0] == "sat-arrival@alignment-workshop-for-ai-researchers-awair-august-2023.awair-bot"
    assert uids[0] == session_uid(awair, awair.sessions[0])


def test_an_open_ended_session_has_no_end(awair, calendar):
    dinner = next(s for s in awair.sessions if s.open_ended)
    event = next(e for e in calendar.events if str(e["UID"]) == session_uid(awair, dinner))
    assert "DTEND" not in event and "DURATION" not in event


def test_description_location_and_readings(awair, calendar):
    session = awair.session("sat-deceptive-alignment")
    event = next(e for e in calendar.events if str(e["UID"]) == session_uid(awair, session))
    reading = session.readings[0]
    assert str(event["DESCRIPTION"]) == (
        f"talk + Q&A · Evan Hubinger (Anthropic)\n\nReadings:\n- {reading.title}: {reading.url}"
    )
    assert [str(a) for a in [event["ATTACH"]]] == [reading.url]
    assert event["ATTACH"].params["LABEL"] == reading.title
    assert event.categories == ["talk"]


def test_rooms_and_urls_are_written():
    camp = load_schedule(FIXTURES / "nights.xml")
    events = Calendar.from_ical(workshop_to_ics(camp, NOW)).events
    talk = next(e for e in events if str(e["UID"]).startswith("102@"))
    assert (str(talk["LOCATION"]), str(talk["URL"])) == ("Hall A", "https://camp.example.org/events/102")


def key(workshop: Workshop) -> list[tuple]:
    return [(s.id, s.title, s.start, s.end, s.room, s.kind, s.day) for s in workshop.sessions]


@pytest.mark.parametrize("source", ["schedule_data", "nights.xml", "offsets.json"])
def test_own_to_ics_to_own_gives_the_same_sessions(awair, tmp_path, source):
    workshop = awair if source == "schedule_data" else load_schedule(FIXTURES / source)
    path = tmp_path / "calendar.ics"
    path.write_bytes(workshop_to_ics(workshop, NOW))
    again = load_schedule(path)
    assert key(again) == key(workshop)
    assert (again.timezone, again.day_change_hour) == (workshop.timezone, workshop.day_change_hour)
    assert [[r.url for r in s.readings] for s in again.sessions] == [
        [r.url for r in s.readings] for s in workshop.sessions
    ]


def test_a_utc_workshop_needs_no_vtimezone():
    workshop = load_schedule(FIXTURES / "google.ics")
    utc = Workshop(name="UTC meetup", timezone=ZoneInfo("UTC"), sessions=workshop.sessions)
    text = workshop_to_ics(utc, NOW).decode()
    assert "BEGIN:VTIMEZONE" not in text
    assert "DTSTART:20240803T163000Z" in text
