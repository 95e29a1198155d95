"""A congress-sized schedule through Bolt: 1,000 imported events in 50 rooms stay within Block
Kit's limits and correct; and /next around midnight of a programme night that runs past it."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest

from bench.bench_import import schedule_xml
from bot.agenda import day_agenda
from bot.schedule.loader import load_schedule
from bot.schedule.model import Kind, Session, Workshop
from handlers.slack.markup import MAX_BLOCKS, MAX_HEADER_TEXT, MAX_MESSAGE_TEXT, MAX_SECTION_TEXT, text_size
from handlers.slack.render.answers import agenda_blocks
from tests.support.harness import SlackHarness

FIXTURES = Path(__file__).resolve().parents[2] / "bot" / "formats" / "fixtures"
# Saturday of the generated congress (Europe/Berlin): 13:20-14:50 is on in all fifty rooms.
SATURDAY_1410 = datetime.fromisoformat("2024-12-28T14:10:00+01:00")


def assert_within_block_kit_limits(body: dict) -> None:
    """What Slack checks before it shows a message: block count, per-block and total text."""
    blocks = body["blocks"]
    assert 0 < len(blocks) <= MAX_BLOCKS
    for block in blocks:
        if block["type"] == "section":
            assert 0 < len(block["text"]["text"]) <= MAX_SECTION_TEXT
        elif block["type"] == "header":
            assert 0 < len(block["text"]["text"]) <= MAX_HEADER_TEXT
        elif block["type"] == "context":
            assert 0 < len(block["elements"]) <= 10
            assert all(0 < len(e["text"]) <= MAX_SECTION_TEXT for e in block["elements"])
    assert text_size(blocks) <= MAX_MESSAGE_TEXT
    assert len(body["text"]) <= 3000


@pytest.fixture(scope="module")
def congress_xml(tmp_path_factory) -> Path:
    """A frab schedule.xml of 1,000 events in 50 rooms over 4 days, nights past midnight."""
    path = tmp_path_factory.mktemp("congress") / "schedule.xml"
    path.write_text(schedule_xml(events=1000, rooms=50, days=4), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def congress(congress_xml) -> Workshop:
    return load_schedule(congress_xml)


@pytest.fixture
def big(fake_slack, congress_xml) -> SlackHarness:
    return SlackHarness(fake_slack, SATURDAY_1410, schedule_path=congress_xml)


def shown_titles(body: dict) -> list[str]:
    text = "\n".join(b["text"]["text"] for b in body["blocks"] if b["type"] == "section")
    return re.findall(r"Event number \d+", text)


def contexts(body: dict) -> list[str]:
    return [b["elements"][0]["text"] for b in body["blocks"] if b["type"] == "context"]


def test_the_generated_congress_is_what_the_tests_assume(congress):
    assert (len(congress.sessions), len(congress.rooms), len(congress.days)) == (1000, 50, 4)
    assert congress.day_change_hour > 0  # its nights run past midnight


def test_next_lists_a_few_of_fifty_parallel_sessions_and_counts_the_rest(big, congress):
    reply = big.command("/next")
    assert_within_block_kit_limits(reply.body)
    headers = [b["text"]["text"] for b in reply.body["blocks"] if b["type"] == "header"]
    assert headers == ["On now", "Next: 16:40 CET · 50 in parallel"]
    on_now = congress.running_at(SATURDAY_1410)
    assert len(on_now) == 50
    titles = shown_titles(reply.body)
    assert titles[:8] == [s.title for s in on_now[:8]]
    assert contexts(reply.body)[0].startswith("…and 42 more in parallel")
    assert reply.body["text"].startswith("Now: " + ", ".join(s.title for s in on_now))


@pytest.mark.parametrize("n", ["3", "10"])
def test_next_n_stays_within_limits(big, n):
    reply = big.command("/next", n)
    assert_within_block_kit_limits(reply.body)
    assert reply.body["blocks"][-1]["type"] == "actions"  # the share button survives the cut


def test_schedule_of_a_huge_day_shows_now_and_next_first_and_says_how_to_filter(big, congress):
    reply = big.command("/schedule")
    assert reply.status == 200
    assert_within_block_kit_limits(reply.body)
    assert reply.body["blocks"][0]["text"]["text"] == "Sat 28 Dec: Bench Congress"
    day = day_agenda(congress, congress.day_of(SATURDAY_1410), SATURDAY_1410)
    assert len(day.items) == 250
    titles = shown_titles(reply.body)
    assert len(titles) == len(set(titles))
    now_titles = [i.session.title for i in day.items if i.status == "now"]
    next_titles = [i.session.title for i in day.items if i.status == "next"]
    assert titles[:50] == now_titles  # every session on now, in order
    assert titles[50:] == next_titles[: len(titles) - 50]  # then the next ones, in order
    earlier, later, hint = contexts(reply.body)[:3]
    assert earlier == "✓ 50 earlier sessions not shown (starting 10:00 CET)"
    assert later == f"…and {250 - 50 - len(titles)} more sessions (starting 16:40-23:20 CET)"
    assert "`/schedule today Room 01`" in hint and "`/schedule ics`" in hint


def test_schedule_filtered_by_room_lists_that_rooms_whole_day(big):
    reply = big.command("/schedule", "today Room 07")
    assert_within_block_kit_limits(reply.body)
    lines = "\n".join(b["text"]["text"] for b in reply.body["blocks"] if b["type"] == "section")
    assert lines.count("Room 07") == 5 and "not shown" not in str(contexts(reply.body))
    assert lines.splitlines()[0].startswith("~`10:00-11:30 CET`")  # past, struck through
    assert "▶ *`13:20-14:50 CET`" in lines and "→ *`16:40-18:10 CET`" in lines
    assert "`23:20-00:50 CET`" in lines  # the night's last session belongs to this day


def test_a_filter_that_matches_everything_asks_for_a_narrower_one(big):
    reply = big.command("/schedule", "today Room")
    assert_within_block_kit_limits(reply.body)
    assert any("try a narrower room, track or speaker" in c for c in contexts(reply.body))


def test_a_later_huge_day_reads_from_its_start(big, congress):
    reply = big.command("/schedule", "sunday")
    assert_within_block_kit_limits(reply.body)
    assert reply.body["blocks"][0]["text"]["text"] == "Sun 29 Dec: Bench Congress"
    first = [s.title for s in congress.sessions_on(congress.days[2])]
    titles = shown_titles(reply.body)
    assert titles == first[: len(titles)]
    assert any("`/schedule tomorrow Room 01`" in c for c in contexts(reply.body))


def test_every_day_of_the_congress_fits_at_every_hour(congress):
    for day in congress.days:
        for hour in range(9, 26, 2):
            now = datetime.fromisoformat(f"{day}T00:00:00+01:00").replace(hour=hour % 24)
            blocks = agenda_blocks(day_agenda(congress, day, now))
            assert len(blocks) <= MAX_BLOCKS and text_size(blocks) <= MAX_MESSAGE_TEXT


def test_agenda_text_from_the_schedule_is_escaped(congress):
    sneaky = Session(
        id="x",
        title="<!channel> & <@U123> *bold*",
        kind=Kind.TALK,
        day=congress.days[0],
        start=congress.sessions[0].start,
        room="<#C123>",
    )
    workshop = Workshop(name="W <!here>", timezone=congress.timezone, sessions=(sneaky,))
    text = str(agenda_blocks(day_agenda(workshop, sneaky.day, sneaky.start), "https://x.example/a.ics"))
    assert "&lt;!channel&gt; &amp; &lt;@U123&gt;" in text and "&lt;#C123&gt;" in text
    assert "<!channel>" not in text and "<@U123>" not in text and "<#C123>" not in text


# --- A programme night that runs past midnight (frab XML, days change at 04:00) ----------


@pytest.fixture
def camp(fake_slack) -> SlackHarness:
    return SlackHarness(
        fake_slack, datetime.fromisoformat("2024-08-01T23:59:00+02:00"), FIXTURES / "nights.xml"
    )


def test_next_just_before_midnight(camp):
    reply = camp.command("/next")
    assert_within_block_kit_limits(reply.body)
    blocks = reply.body["blocks"]
    assert blocks[0]["text"]["text"] == "On now"
    assert "*Night concert*" in blocks[1]["text"]["text"] and "ends in 1 min" in blocks[1]["text"]["text"]
    # The 00:30 talks are part of tonight, so no day is named.
    assert blocks[2]["text"]["text"] == "Next: 00:30 CEST"
    assert "*Midnight lightning talks*" in blocks[3]["text"]["text"]


def test_next_just_after_midnight(camp):
    camp.clock.set(datetime.fromisoformat("2024-08-02T00:01:00+02:00"))
    reply = camp.command("/next")
    blocks = reply.body["blocks"]
    # Between two sessions of the same night: a break, not "nothing on until tomorrow".
    assert blocks[0]["text"]["text"] == "☕ *Break* until 00:30 CEST (in 29 min)"
    assert blocks[1]["text"]["text"] == "Next: 00:30 CEST"
    assert (
        reply.body["text"]
        == "Break: nothing on until 00:30 CEST (in 29 min). Next at 00:30 CEST: Midnight lightning talks."
    )


def test_next_and_schedule_in_the_small_hours(camp):
    camp.clock.set(datetime.fromisoformat("2024-08-02T00:45:00+02:00"))
    reply = camp.command("/next")
    assert reply.body["blocks"][0]["text"]["text"] == "On now"
    assert "*Midnight lightning talks*" in reply.body["blocks"][1]["text"]["text"]
    assert reply.body["blocks"][2]["text"]["text"] == "Next: 01:15 CEST"
    # /schedule at 00:45 shows the night it is part of, with the talks on now.
    agenda = camp.command("/schedule").body
    assert agenda["blocks"][0]["text"]["text"] == "Thu 1 Aug: Night Camp"
    assert "▶ *`00:30-01:15 CEST` 🗣️ Midnight lightning talks*  _now_" in str(agenda["blocks"])


def test_after_the_night_the_next_day_is_named(camp):
    camp.clock.set(datetime.fromisoformat("2024-08-02T01:50:00+02:00"))
    blocks = camp.command("/next").body["blocks"]
    assert blocks[0]["text"]["text"] == "Nothing on right now."
    assert blocks[1]["text"]["text"] == "Next: Fri 2 Aug, 10:00 CEST"
