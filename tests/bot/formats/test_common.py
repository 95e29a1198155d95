"""Pieces every importer shares: kinds, plain text, ids, the zone."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.formats.common import html_to_text, kind_for, safe_id
from bot.formats.zones import NoZone, choose_zone
from bot.schedule.model import Kind


@pytest.mark.parametrize(
    ("original", "kind"),
    [
        ("lecture", Kind.TALK),
        ("Talk", Kind.TALK),
        ("Keynote", Kind.TALK),
        ("Lightning Talk", Kind.TALK),
        ("other", Kind.TALK),
        ("talk + Q&A", Kind.TALK),
        ("workshop", Kind.DISCUSSION),
        ("Podium discussion", Kind.DISCUSSION),
        ("panel", Kind.DISCUSSION),
        ("meeting", Kind.DISCUSSION),
        ("hands-on", Kind.DISCUSSION),
        ("Coffee break", Kind.MEAL),
        ("lunch", Kind.MEAL),
        ("Dinner", Kind.MEAL),
        ("Reading & discussion", Kind.READING),
        ("Reading group", Kind.READING),
        ("Opening ceremony", Kind.LOGISTICS),
        ("registration", Kind.LOGISTICS),
        ("Self-organized session", Kind.UNCONFERENCE),
        ("breakout", Kind.TALK),
    ],
)
def test_kind_for_type(original, kind):
    assert kind_for(original, "Any title") is kind


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Lunch", Kind.MEAL),
        ("Coffee break", Kind.MEAL),
        ("Opening remarks", Kind.LOGISTICS),
        ("Panel: the future", Kind.DISCUSSION),
        ("Why coffee matters", Kind.TALK),  # a word later in the title only hints
    ],
)
def test_kind_for_title_without_a_type(title, kind):
    assert kind_for(None, title) is kind


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("", ""),
        ("Plain\r\ntext  ", "Plain\ntext"),
        ("a < b and c > d", "a < b and c > d"),
        ("<p>One<br/>Two</p><p>Three</p>", "One\nTwo\n\nThree"),
        ("Fish &amp; chips &ndash; &#8364;5", "Fish & chips – €5"),
        ("<ul><li>first</li><li>second</li></ul>", "- first\n- second"),
        ('See <a href="https://x.org/p">the paper</a>.', "See the paper (https://x.org/p)."),
        ('<a href="https://x.org/p">https://x.org/p</a>', "https://x.org/p"),
        ("<!-- note -->Kept", "Kept"),
    ],
)
def test_html_to_text(html, text):
    assert html_to_text(html) == text


@pytest.mark.parametrize(
    ("raw", "safe"),
    [("10400", "10400"), ("abc@google.com", "abc-google.com"), ("a b/c", "a-b-c"), ("  ", "session")],
)
def test_safe_id(raw, safe):
    assert safe_id(raw) == safe


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_zone_named_and_agreeing_with_the_offsets():
    zone, notes = choose_zone(
        "Europe/Berlin", [at("2024-08-01T10:00+02:00"), at("2024-12-01T10:00+01:00")], "tz"
    )
    assert (zone.key, notes) == ("Europe/Berlin", [])


def test_the_name_wins_over_offsets_that_only_say_which_instant():
    # A conference in India that writes its instants in UTC, local clock times beside them.
    zone, notes = choose_zone(
        "Asia/Kolkata",
        [at("2024-01-05T04:00+00:00")],
        "time_zone_name",
        wall_clocks=[(at("2024-01-05T04:00+00:00"), time(9, 30))],
    )
    assert (zone.key, notes) == ("Asia/Kolkata", [])


def test_a_start_in_utc_and_events_in_plus_one_are_fine_for_berlin():
    zone, notes = choose_zone(
        "Europe/Berlin", [at("2024-12-27T09:30+00:00"), at("2024-12-27T10:30+01:00")], "time_zone_name"
    )
    assert (zone.key, notes) == ("Europe/Berlin", [])


def test_a_name_that_contradicts_the_clocks_beside_the_instants_loses_with_a_warning():
    instant = at("2020-12-14T09:00+01:00")
    zone, notes = choose_zone("UTC", [instant], "time_zone_name", wall_clocks=[(instant, time(9, 0))])
    assert zone.key == "Etc/GMT-1"  # UTC+01:00: Etc/ names count the other way round
    assert notes == [
        "time_zone_name 'UTC' contradicts the start times written beside the instants (1 of 1; "
        "e.g. 09:00 is written for 08:00 in UTC); the offsets (+01:00) agree with the clocks, so "
        "times are in Etc/GMT-1; set SCHEDULE_TIMEZONE (or --timezone) to the conference's zone, "
        "an IANA name such as Europe/Berlin to be sure"
    ]


def test_offsets_without_a_name_give_a_fixed_zone_and_suggest_the_setting():
    zone, notes = choose_zone(None, [at("2019-12-27T11:00+01:00")], "time_zone_name")
    assert zone.key == "Etc/GMT-1"
    assert notes == [
        "no time_zone_name: times are shown in Etc/GMT-1, a fixed offset that knows no daylight "
        "saving; set SCHEDULE_TIMEZONE (or --timezone) to the conference's zone, an IANA name "
        "such as Europe/Berlin"
    ]


def test_offsets_that_change_during_the_event_find_a_zone_with_those_rules():
    zone, _ = choose_zone(None, [at("2023-10-28T09:00+02:00"), at("2023-10-30T09:00+01:00")], "tz")
    assert zone.utcoffset(datetime(2023, 10, 28, 9)).total_seconds() == 7200
    assert zone.utcoffset(datetime(2023, 10, 30, 9)).total_seconds() == 3600


def test_no_zone_anywhere_is_refused_naming_the_setting():
    with pytest.raises(NoZone, match="set SCHEDULE_TIMEZONE"):
        choose_zone(None, [at("2024-02-03T09:30")], "time_zone_name")
    with pytest.raises(NoZone, match="'Mars/Olympus' is not a known time zone and no time carries an offset"):
        choose_zone("Mars/Olympus", [], "tz")


def test_the_setting_overrides_the_file_and_says_so():
    zone, notes = choose_zone("UTC", [at("2020-12-14T09:00+01:00")], "tz", override=ZoneInfo("Europe/Rome"))
    assert (zone.key, notes) == ("Europe/Rome", ["tz 'UTC' is overridden by SCHEDULE_TIMEZONE=Europe/Rome"])


def test_a_name_alone_is_used_for_times_without_offsets():
    zone, notes = choose_zone("America/Los_Angeles", [at("2024-08-03T10:00")], "tz")
    assert (zone.key, notes) == ("America/Los_Angeles", [])
