"""Real exports, as published (tests/bot/formats/corpus/, sources in SOURCES.md): each loads,
its sessions, days and rooms match an independent count, and /next is right across it."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from awair_bot.console import answer
from bot.clock import ManualClock
from bot.schedule.current import CurrentSchedule
from bot.schedule.errors import ScheduleError
from bot.schedule.loader import load_schedule
from bot.schedule.model import Workshop
from bot.services import Services
from bot.settings import Settings
from bot.whats_next import Phase, whats_next
from tests.bot.formats import corpus_counts as plain

CORPUS = Path(__file__).parent / "corpus"


@dataclass(frozen=True)
class Export:
    """A corpus file, the zone an organizer would set for it (None: the file's own), and the
    zone it is shown in."""

    file: str
    reader: Callable[[Path, ZoneInfo], list[plain.PlainEvent]]
    setting: str | None
    shown_in: str

    def __str__(self) -> str:
        return self.file


EXPORTS = [
    Export("35c3.json", plain.frab_json, None, "Etc/GMT-1"),  # frab, offsets only
    Export("voc-frab-camp2019.json", plain.frab_json, None, "Europe/Berlin"),  # frab
    Export(
        "voc-pretalx-democon.json", plain.frab_json, None, "Etc/GMT-1"
    ),  # pretalx, name contradicts clocks
    Export("voc-pretalx-rc3.json", plain.frab_json, None, "Etc/GMT-1"),  # pretalx, no zone name
    Export("voc-hub-schedule2.json", plain.frab_json, None, "Europe/Berlin"),  # CCC hub, schedule 2
    Export("fosdem-2010.xml", plain.frab_xml, "Europe/Brussels", "Europe/Brussels"),  # Pentabarf, no rooms
    Export("fosdem-2024.xml", plain.frab_xml, "Europe/Brussels", "Europe/Brussels"),  # Pentabarf
    Export("fosdem-2026.xml", plain.frab_xml, None, "Europe/Brussels"),  # FOSDEM's pretalx-era export
    Export("sessionize-orlando-codecamp-2020.json", plain.sessionize, "America/New_York", "America/New_York"),
    Export("sessionize-sample-all.json", plain.sessionize, None, "UTC"),  # Sessionize, UTC
    Export("pyconuk-2015.ics", plain.ics, "Europe/London", "Europe/London"),  # vobject
    Export("moca-2024.ics", plain.ics, "Europe/Rome", "Europe/Rome"),  # one UID for every event
    Export("bristol-data-week-2026.ics", plain.ics, "Europe/London", "Europe/London"),
]


def load(export: Export) -> Workshop:
    return load_schedule(CORPUS / export.file, ZoneInfo(export.setting) if export.setting else None)


@pytest.fixture(scope="module")
def loaded() -> dict[str, Workshop]:
    return {e.file: load(e) for e in EXPORTS}


def events_of(export: Export) -> list[plain.PlainEvent]:
    return export.reader(CORPUS / export.file, ZoneInfo(export.shown_in))


def test_the_corpus_is_at_least_ten_real_exports_all_named_in_sources():
    sources = (CORPUS / "SOURCES.md").read_text(encoding="utf-8")
    files = sorted(p.name for p in CORPUS.iterdir() if p.name != "SOURCES.md")
    assert files == sorted(e.file for e in EXPORTS)
    assert len(files) >= 10
    assert all(f"`{name}`" in sources for name in files)
    assert sum(p.stat().st_size for p in CORPUS.iterdir()) < 15 * 2**20


@pytest.mark.parametrize("export", EXPORTS, ids=str)
def test_sessions_days_and_rooms_match_an_independent_count(loaded, export):
    workshop = loaded[export.file]
    events = events_of(export)
    zone = ZoneInfo(export.shown_in)
    sessions = {(e.title, e.start, e.room) for e in events}
    days = {e.listed_on or e.start.astimezone(zone).date() for e in events}
    rooms = {e.room for e in events if e.room}
    assert workshop.timezone.key == export.shown_in
    assert len(workshop.sessions) == len(sessions)
    assert len(workshop.days) == len(days)
    assert len({s.room for s in workshop.sessions if s.room}) == len(rooms)
    untitled = {(t or "(no title)", start, room) for t, start, room in sessions}  # as the bot lists them
    assert {(s.title, s.start, s.room or "") for s in workshop.sessions} == untitled


@pytest.mark.parametrize("export", EXPORTS, ids=str)
def test_next_is_right_before_and_across_the_schedule(loaded, export):
    workshop = loaded[export.file]
    events = sorted(events_of(export), key=lambda e: e.start)
    starts = sorted({e.start for e in events})
    before = whats_next(workshop, starts[0] - timedelta(hours=1))
    assert before.phase is Phase.BEFORE and before.upcoming[0].start == starts[0]
    for event in (events[0], events[len(events) // 2], events[-1]):
        now = event.start + timedelta(minutes=1)
        got = whats_next(workshop, now)
        assert event.title in {s.title for s in got.current}, (export.file, event)
        later = [t for t in starts if t > now]
        assert [slot.start for slot in got.upcoming] == later[:1]


@pytest.mark.parametrize("export", EXPORTS, ids=str)
def test_every_export_runs_the_bot(export):
    """The console's /next and /schedule over the core, started as `awair-bot run` starts it."""
    settings = Settings(
        schedule_path=CORPUS / export.file,
        schedule_timezone=ZoneInfo(export.setting) if export.setting else None,
    )
    schedule = CurrentSchedule.load(settings.schedule_path, settings.schedule_timezone)
    first = schedule.workshop.sessions[0]
    services = Services(settings, ManualClock(first.start + timedelta(minutes=1)), schedule)
    assert first.title in answer(services, "/next")
    assert first.title in answer(services, "/schedule")
    assert schedule.reload().ok


@pytest.mark.parametrize(
    ("file", "needs"),
    [
        ("fosdem-2024.xml", "no time zone: no time_zone_name, and no time carries an offset"),
        ("fosdem-2010.xml", "no time zone: no time_zone_name, and no time carries an offset"),
        (
            "sessionize-orlando-codecamp-2020.json",
            "no time zone: Sessionize writes local times and names no zone",
        ),
    ],
)
def test_local_times_without_a_zone_are_refused_naming_the_setting(file, needs):
    with pytest.raises(ScheduleError) as caught:
        load_schedule(CORPUS / file)
    (problem,) = caught.value.problems
    assert needs in problem.message
    assert "set SCHEDULE_TIMEZONE (or --timezone)" in problem.message


def test_offsets_without_a_name_warn_that_a_fixed_offset_knows_no_daylight_saving(loaded):
    for file in ("35c3.json", "voc-pretalx-rc3.json"):
        (warning,) = loaded[file].warnings
        assert (
            "no time_zone_name: times are shown in Etc/GMT-1, a fixed offset that knows no daylight saving"
            in warning
        )
        assert "set SCHEDULE_TIMEZONE" in warning


def test_the_congress_nights_stay_on_their_days(loaded):
    congress = loaded["35c3.json"]
    late = [s for s in congress.sessions if s.start.hour < 6]
    assert late and all(s.day == s.start.date() - timedelta(days=1) for s in late)
    assert all(congress.day_of(s.start) == s.day for s in congress.sessions)


def test_the_hub_night_to_six_belongs_to_its_day_by_the_day_span(loaded):
    hub = loaded["voc-hub-schedule2.json"]
    night = next(s for s in hub.sessions if s.start.hour == 0)
    assert night.day.isoformat() == "2024-12-27"  # day 1 runs until 06:00 on the 28th


def test_one_uid_for_every_event_is_many_sessions_with_stable_ids(loaded):
    moca = loaded["moca-2024.ics"]
    uids = re.findall(r"^UID:(.*)$", (CORPUS / "moca-2024.ics").read_text(encoding="utf-8"), re.M)
    assert len(uids) == 88 and len(set(uids)) == 5  # 67 events share UID 46939
    assert len({s.id for s in moca.sessions}) == len(moca.sessions) == 88
    assert sum("is used twice" in w for w in moca.warnings) == 88 - 5
    again = load(next(e for e in EXPORTS if e.file == "moca-2024.ics"))
    assert [(s.id, s.start) for s in again.sessions] == [(s.id, s.start) for s in moca.sessions]


def test_imported_links_are_optional_with_their_titles(loaded):
    fosdem = loaded["fosdem-2026.xml"]
    links = [r for s in fosdem.sessions for r in s.readings]
    assert links and not any(r.required for r in links)
    assert any(r.title != r.url for r in links)
