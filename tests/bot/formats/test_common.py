"""Pieces every importer shares: kinds, plain text, ids, the zone."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.formats.common import html_to_text, kind_for, safe_id
from bot.formats.zones import choose_zone
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
    zone, note = choose_zone(
        "Europe/Berlin", [at("2024-08-01T10:00+02:00"), at("2024-12-01T10:00+01:00")], "tz"
    )
    assert (zone.key, note) == ("Europe/Berlin", None)


def test_offsets_win_over_a_disagreeing_name_with_a_warning():
    zone, note = choose_zone("UTC", [at("2020-12-14T09:00+01:00")], "time_zone_name")
    assert zone.key == "Etc/GMT-1"  # UTC+01:00: Etc/ names count the other way round
    assert note == (
        "time_zone_name 'UTC' disagrees with the offsets on the times (+01:00); "
        "the offsets win, so times are in Etc/GMT-1"
    )


def test_offsets_that_change_during_the_event_find_a_zone_with_those_rules():
    zone, note = choose_zone(None, [at("2023-10-28T09:00+02:00"), at("2023-10-30T09:00+01:00")], "tz")
    assert zone.utcoffset(datetime(2023, 10, 28, 9)).total_seconds() == 7200
    assert zone.utcoffset(datetime(2023, 10, 30, 9)).total_seconds() == 3600
    assert note is None  # no name was given, so nothing disagreed


def test_an_unknown_name_without_offsets_gives_no_zone():
    assert choose_zone("Mars/Olympus", [], "tz") == (
        None,
        "tz 'Mars/Olympus' is not a known time zone and no time carries an offset",
    )


def test_a_name_alone_is_used_for_times_without_offsets():
    zone, note = choose_zone("America/Los_Angeles", [at("2024-08-03T10:00")], "tz")
    assert (zone.key, note) == ("America/Los_Angeles", None)
