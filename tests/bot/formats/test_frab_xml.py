"""frab/Pentabarf schedule.xml: nights past midnight, derived dates, ids, links, errors."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bench.bench_import import schedule_xml
from bot.schedule.errors import ScheduleError
from bot.schedule.loader import load_schedule
from bot.schedule.model import Kind, Room, Workshop
from bot.whats_next import whats_next

FIXTURES = Path(__file__).parent / "fixtures"
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture(scope="module")
def camp() -> Workshop:
    return load_schedule(FIXTURES / "nights.xml")


def berlin(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BERLIN)


def test_the_conference(camp):
    assert camp.name == "Night Camp"
    assert camp.timezone == BERLIN
    assert camp.days == (date(2024, 8, 1), date(2024, 8, 2))
    # Rooms in file order, the one without events included.
    assert camp.rooms == (Room("Hall A"), Room("Workshop tent"), Room("Empty field"))


def test_nights_run_past_midnight_and_stay_on_their_day(camp):
    assert camp.day_change_hour == 4  # the days end at 04:00 the next morning
    late = {s.id: s for s in camp.sessions if s.start.date() == date(2024, 8, 2) and s.start.hour < 4}
    assert set(late) == {"105", "202"}
    assert all(s.day == date(2024, 8, 1) for s in late.values())
    assert camp.day_of(berlin("2024-08-02 00:30")) == date(2024, 8, 1)
    assert camp.session("104").end == berlin("2024-08-02 00:00")  # ends at midnight exactly


def test_next_just_before_and_after_midnight(camp):
    before = whats_next(camp, berlin("2024-08-01 23:59"))
    after = whats_next(camp, berlin("2024-08-02 00:40"))
    assert [s.id for s in before.current] == ["104"]
    assert [s.id for s in before.upcoming[0].sessions] == ["105"]
    assert [s.id for s in after.current] == ["105"]
    assert camp.day_of(after.now) == date(2024, 8, 1)


def test_an_event_without_date_takes_its_day_and_start(camp):
    assert camp.session("201").start == berlin("2024-08-01 14:00")
    # 01:15 is earlier than the day's 10:00 start: the next morning, still day 1.
    night_coffee = camp.session("202")
    assert (night_coffee.start, night_coffee.day) == (berlin("2024-08-02 01:15"), date(2024, 8, 1))


def test_types_map_to_kinds_and_the_original_is_kept(camp):
    kinds = {s.id: (s.kind, s.original_kind) for s in camp.sessions}
    assert kinds["101"] == (Kind.LOGISTICS, "Ceremony")
    assert kinds["102"] == (Kind.TALK, "lecture")
    assert kinds["201"] == (Kind.DISCUSSION, "workshop")
    assert kinds["202"] == (Kind.MEAL, "Coffee break")
    assert kinds["301"] == (Kind.DISCUSSION, "Podium discussion")


def test_persons_are_speakers_and_events_may_have_none(camp):
    assert [p.name for p in camp.session("102").speakers] == ["Grace Speaker", "Lin Cospeaker"]
    assert camp.session("103").speakers == ()
    assert camp.session("105").speakers == ()


def test_html_and_entities_become_plain_text(camp):
    assert (
        camp.session("101").description
        == "Welcome & overview\n\nWhere things are – and when.\n\n- Map\n- Rules"
    )
    # The abstract opens the description, so it is said once; the subtitle leads.
    assert camp.session("102").description == "A field report\n\nHow camps decide things. And what breaks."


def test_links_and_attachments_become_readings(camp):
    readings = camp.session("101").readings
    assert [(r.id, r.title, r.url) for r in readings] == [
        ("101-1", "Camp map", "https://camp.example.org/map"),
        ("101-2", "House rules", "https://camp.example.org/files/rules.pdf"),  # relative to base_url
    ]
    assert camp.readings == readings
    assert camp.session("102").url == "https://camp.example.org/events/102"


def test_what_was_guessed_is_said(camp):
    assert camp.warnings == (
        f"{FIXTURES / 'nights.xml'}:114: event 301 'Panel: the next camp': "
        "link 'mailto:orga@camp.example.org' is not a web address; left out",
        f"{FIXTURES / 'nights.xml'}:128: event 102 'Consensus without meetings': id '102' is used twice "
        "(pretalx repeats it for a talk given in several slots); this one is '102-2'",
    )


def test_a_repeated_id_is_made_unique_and_a_missing_guid_is_no_problem(camp):
    assert camp.session("102-2").start == berlin("2024-08-02 11:00")
    assert camp.session("105").title == "Midnight lightning talks"  # no guid


def test_a_double_booked_room_is_a_warning_with_its_line():
    workshop = load_schedule(FIXTURES / "double_booked.xml")
    assert len(workshop.sessions) == 2
    assert workshop.warnings == (
        f"{FIXTURES / 'double_booked.xml'}:18: session 'One of the lightning talks': "
        "overlaps 'Lightning talks' in room 'Saal 1' (10:00-11:00)",
    )


def test_a_repeated_guid_is_another_occurrence_and_a_bad_value_a_warning_on_its_line():
    path = FIXTURES / "repeated_guid.xml"
    workshop = load_schedule(path)
    assert [(s.id, f"{s.start:%H:%M}", s.end is None) for s in workshop.sessions] == [
        ("1", "09:00", False),
        ("2", "10:00", False),
        ("x3", "11:00", True),  # its duration cannot be read: shown without an end
    ]
    assert sorted(workshop.warnings) == [
        f"{path}:17: event 2 'Welcome, again': guid 0B9D6F1C-5A4E-4F7E-8D6A-1A2B3C4D5E6F is also the "
        "guid of event 1 'Welcome' (line 10) at 2024-03-01 09:00: another occurrence, kept as a session of its own",
        f"{path}:24: event x3 'Bad values': duration 'half an hour' is not a duration (HH:MM); shown without an end",
    ]


def test_xml_that_is_not_well_formed_is_refused_with_its_line():
    with pytest.raises(ScheduleError) as caught:
        load_schedule(FIXTURES / "not_wellformed.xml")
    (problem,) = caught.value.problems
    assert problem.line == 11
    assert problem.message.startswith("not well-formed XML: mismatched tag")


def test_xml_that_is_not_a_schedule_is_refused(tmp_path):
    page = tmp_path / "schedule.xml"
    page.write_text("<html><body>Not found</body></html>", encoding="utf-8")
    with pytest.raises(ScheduleError, match=r"expected a frab/pretalx <schedule>, found <html>"):
        load_schedule(page)


def test_a_schedule_without_events_is_refused(tmp_path):
    empty = tmp_path / "schedule.xml"
    empty.write_text("<schedule><version>1</version><conference><title>Soon</title></conference></schedule>")
    with pytest.raises(ScheduleError, match="no events to import"):
        load_schedule(empty)


def test_a_thousand_events_in_fifty_rooms_load(tmp_path):
    path = tmp_path / "schedule.xml"
    path.write_text(schedule_xml(events=1000, rooms=50), encoding="utf-8")
    workshop = load_schedule(path)
    assert (len(workshop.sessions), len(workshop.rooms), len(workshop.days)) == (1000, 50, 4)
    assert workshop.warnings == ()
    assert [s.start for s in workshop.sessions] == sorted(s.start for s in workshop.sessions)


def test_hundreds_of_rooms_load(tmp_path):
    path = tmp_path / "schedule.xml"
    path.write_text(schedule_xml(events=600, rooms=300, days=2), encoding="utf-8")
    workshop = load_schedule(path)
    assert (len(workshop.sessions), len(workshop.rooms)) == (600, 300)
