"""/mine, /schedule mine, the Add/Remove buttons and /awair interest as tables."""

from __future__ import annotations

import pytest

from bot.commands.awair import Interest
from bot.commands.base import NotAllowed, Notice, Tone, Usage
from bot.commands.mine import FeedKept, FeedLink, LeadSet, MineSending, Picked
from bot.my_agenda.view import MyDay
from tests.bot.commands.conftest import ADA, BOB, ORGANIZER


def test_adding_shows_in_mine_and_a_second_click_says_it_is_in(dbbot):
    first = dbbot.click("pick", "+sat-misalignment", ADA)
    assert isinstance(first, Picked) and first.added and first.changed
    again = dbbot.click("pick", "+sat-misalignment", ADA)
    assert isinstance(again, Picked) and again.added and not again.changed
    mine = dbbot.ask("/mine", ADA)
    assert isinstance(mine, MyDay) and [i.session.id for i in mine.items] == ["sat-misalignment"]
    assert dbbot.ask("/schedule mine", ADA) == mine


def test_picks_are_each_persons_own(dbbot):
    dbbot.click("pick", "+sat-misalignment", ADA)
    assert dbbot.ask("/mine", BOB).items == ()


def test_removing_twice_says_it_was_not_in(dbbot):
    dbbot.click("pick", "+sat-misalignment", ADA)
    gone = dbbot.click("pick", "-sat-misalignment", ADA)
    assert isinstance(gone, Picked) and not gone.added and gone.changed
    stale = dbbot.click("pick", "-sat-misalignment", ADA)
    assert isinstance(stale, Picked) and not stale.changed
    assert dbbot.ask("/mine", ADA).total == 0


def test_a_clash_is_told_when_adding(dbbot):
    dbbot.at("2023-08-06 09:00")
    dbbot.click("pick", "+sun-impact-stories", ADA)
    second = dbbot.click("pick", "+sun-ai-takeover", ADA)
    assert [s.id for s in second.clashes] == ["sun-impact-stories"]


@pytest.mark.parametrize(
    "value", ["", "+", "sat-misalignment", "*sat-misalignment", "+" + "x" * 300, "+no-such-session", None]
)
def test_tampered_pick_values_change_nothing(dbbot, value):
    outcome = dbbot.click("pick", value, ADA)
    assert isinstance(outcome, Notice) and outcome.tone in (Tone.PROBLEM, Tone.REFUSED)
    assert dbbot.ask("/mine all", ADA).total == 0


@pytest.mark.parametrize(
    ("text", "minutes"), [("remind 15", 15), ("remind off", None), ("REMIND 1", 1), ("remind 120", 120)]
)
def test_the_reminder_lead_is_your_own(dbbot, text, minutes):
    dbbot.click("pick", "+sun-arc-evals", ADA)
    answer = dbbot.ask(f"/mine {text}", ADA)
    assert answer == LeadSet(minutes, 1)
    assert dbbot.ask("/mine", ADA).lead_minutes == minutes
    assert dbbot.ask("/mine", BOB).lead_minutes == 10


@pytest.mark.parametrize(
    "text",
    ["remind", "remind 0", "remind -5", "remind 121", "remind ５", "remind 10 20", "nonsense words", "xyz"],
)
def test_malformed_arguments_get_the_usage(dbbot, text):
    assert isinstance(dbbot.ask(f"/mine {text}", ADA), Usage)


def test_a_day_that_is_not_the_workshops_is_refused(dbbot):
    answer = dbbot.ask("/mine 2023-09-01", ADA)
    assert isinstance(answer, Notice) and "Nothing is scheduled" in answer.text


def test_the_calendar_file_holds_only_your_sessions(dbbot):
    dbbot.click("pick", "+sun-arc-evals", ADA)
    assert dbbot.ask("/mine calendar", ADA) == MineSending(1)
    ((to, file),) = dbbot.files.sent
    assert to == "ada" and b"ARC's current evals work" in file.content and b"Misalignment" not in file.content


def test_the_feed_link_is_made_once_and_reset_makes_a_new_one(db_url):
    from tests.bot.commands.conftest import Bot, pt

    made = Bot(pt("2023-08-05 10:45"), db_url=db_url, public_base_url="https://bot.example.org")
    try:
        first = made.ask("/mine calendar", ADA)
        assert isinstance(first, FeedLink) and first.url.startswith("https://bot.example.org/cal/")
        assert made.ask("/mine calendar", ADA) == FeedKept()
        again = made.ask("/mine calendar reset", ADA)
        assert isinstance(again, FeedLink) and again.reset and again.url != first.url
    finally:
        made.engine.dispose()


def test_interest_counts_people_beside_capacity_and_never_names_them(dbbot):
    for caller in (ADA, BOB):
        dbbot.click("pick", "+sat-misalignment", caller)
    answer = dbbot.ask("/awair interest", ORGANIZER)
    assert isinstance(answer, Interest)
    rows = {r.session.id: r.picked for r in answer.rows}
    assert rows["sat-misalignment"] == 2 and rows["sat-red-teaming"] == 0
    # Counts only: nothing in the answer says who.
    assert {f for f in type(answer.rows[0]).__dataclass_fields__} == {"session", "picked", "capacity"}


def test_interest_is_for_organizers(dbbot):
    assert isinstance(dbbot.ask("/awair interest", ADA), NotAllowed)


def test_without_a_database_mine_says_so(bot):
    answer = bot.ask("/mine", ADA)
    assert isinstance(answer, Notice) and "database" in answer.text
