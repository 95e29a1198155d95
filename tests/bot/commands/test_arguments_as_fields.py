"""Commands given their arguments as fields, as a platform with typed options gives them:
each field is read for what it is, never for the text grammar's words or separators; and
the text grammar makes the same fields, so both ways run one path."""

from __future__ import annotations

import pytest

from bot.commands import announce, mine, propose, schedule
from bot.commands.announce import CancelScheduled, ListScheduled, PostAt, PostNow, Queued
from bot.commands.base import Access, Notice, Tone, Usage
from bot.commands.mine import LeadSet, OwnCalendar, Remind, ShowMine
from bot.commands.propose import NewProposal, Proposed, Withdraw, Withdrawn
from bot.commands.runner import COMMANDS
from bot.commands.schedule import Agenda, CalendarSending, OwnAgenda, ScheduleRequest
from bot.my_agenda.store import mine_of
from bot.my_agenda.view import MyDay
from bot.unconference.views import fetch, fetch_one, open_only
from tests.bot.commands.conftest import ADA, ORGANIZER

# -- the text grammar makes the fields -------------------------------------------------


@pytest.mark.parametrize(
    ("module", "text", "args"),
    [
        (propose, "C -- D", NewProposal("C", "D")),
        (propose, "Debate on a toy task", NewProposal("Debate on a toy task", "")),
        (propose, "withdraw 7", Withdraw(7)),
        (propose, "withdraw from the race?", NewProposal("withdraw from the race?", "")),
        (mine, "", ShowMine(None)),
        (mine, "Sunday", ShowMine("sunday")),
        (mine, "remind 10", Remind("10")),
        (mine, "calendar reset", OwnCalendar(reset=True)),
        (schedule, "today Library", ScheduleRequest("today", "Library")),
        (schedule, "mine all", OwnAgenda("all")),
        (schedule, "ics", ScheduleRequest(None, None, calendar=True)),
        (announce, "Lunch", PostNow("Lunch")),
        (announce, "now list", PostNow("list")),
        (announce, "at sun 13:15 Lunch -- on the roof", PostAt("sun 13:15", "Lunch -- on the roof")),
        (announce, "list", ListScheduled()),
        (announce, "cancel #3", CancelScheduled(3)),
    ],
)
def test_the_text_grammar_reads_a_line_into_the_fields(module, text, args):
    assert module.parse(text) == args


def test_a_subcommand_given_as_fields_has_the_access_its_word_has():
    assert COMMANDS["propose"].access_for(Withdraw(1)) == COMMANDS["propose"].access_for("withdraw 1")
    assert COMMANDS["propose"].access_for(Withdraw(1))[0] is Access.AUTHOR
    assert COMMANDS["propose"].access_for(NewProposal("withdraw 1"))[0] is Access.EVERYONE


def test_fields_given_to_a_command_that_reads_text_are_a_sorry_not_a_crash(bot):
    answer = bot.given("next", NewProposal("x"))
    assert isinstance(answer, Notice) and answer.tone is Tone.PROBLEM


# -- /propose --------------------------------------------------------------------------


def test_a_title_with_the_separator_is_stored_whole(dbbot):
    answer = dbbot.given("propose", NewProposal("C -- D"), ADA)
    assert isinstance(answer, Proposed)
    with dbbot.services.session() as db:
        stored = fetch_one(db, answer.result.proposal.number)
    assert (stored.title, stored.description) == ("C -- D", "")


def test_a_description_with_the_separator_is_kept(dbbot):
    answer = dbbot.given("propose", NewProposal("Pairs", "Two -- or three -- at a table"), ADA)
    with dbbot.services.session() as db:
        assert fetch_one(db, answer.result.proposal.number).description == "Two -- or three -- at a table"


def test_a_title_that_reads_as_a_withdrawal_proposes_it_and_withdraws_nothing(dbbot):
    for n in range(1, 8):
        dbbot.given("propose", NewProposal(f"Topic number {n}"), ORGANIZER)
    answer = dbbot.given("propose", NewProposal("withdraw 7"), ORGANIZER)
    assert isinstance(answer, Proposed) and answer.result.proposal.number == 8
    with dbbot.services.session() as db:
        titles = {p.number: p.title for p in fetch(db, open_only())}
    assert titles[7] == "Topic number 7" and titles[8] == "withdraw 7"


@pytest.mark.parametrize("title", ["help", "--help", "withdraw", "withdraw -1"])
def test_a_title_field_is_never_the_usage_or_a_subcommand(dbbot, title):
    answer = dbbot.given("propose", NewProposal(title), ORGANIZER)
    assert isinstance(answer, Proposed) and answer.result.proposal.title == title


@pytest.mark.parametrize("title", ["", "  ", "ab", "x" * 151, "nul\x00"])
def test_a_title_field_is_checked_as_a_typed_title_is(dbbot, title):
    assert isinstance(dbbot.given("propose", NewProposal(title), ADA), Usage)
    assert dbbot.messages.posted == []


def test_a_withdrawal_given_as_a_number_withdraws_your_own(dbbot):
    proposed = dbbot.given("propose", NewProposal("Debate on a toy task"), ADA)
    number = proposed.result.proposal.number
    answer = dbbot.given("propose", Withdraw(number), ADA)
    assert isinstance(answer, Withdrawn) and answer.result.ok


@pytest.mark.parametrize("number", [None, 0, -1, 1_000_000_000, 2**63, True])
def test_a_withdrawal_without_a_usable_number_is_the_usage(dbbot, number):
    dbbot.given("propose", NewProposal("Debate on a toy task"), ADA)
    answer = dbbot.given("propose", Withdraw(number), ADA)
    assert isinstance(answer, Usage) and "withdraw 7" in answer.problem
    with dbbot.services.session() as db:
        assert len(fetch(db, open_only())) == 1


# -- /mine -----------------------------------------------------------------------------


@pytest.mark.parametrize("day", ["remind 10", "calendar", "calendar reset", "help"])
def test_a_day_field_is_a_day_never_a_subcommand(dbbot, day):
    answer = dbbot.given("mine", ShowMine(day), ADA)
    assert isinstance(answer, Usage) and "a day, or `all`" in answer.problem
    with dbbot.services.session() as db:
        assert mine_of(db, ADA.key).lead == mine_of(db, "test:nobody").lead  # the default, unchanged
    assert dbbot.files.sent == []


@pytest.mark.parametrize(("day", "total"), [(None, 0), ("ALL", 0), ("  sunday ", 0)])
def test_a_day_field_is_read_as_a_typed_day(dbbot, day, total):
    answer = dbbot.given("mine", ShowMine(day), ADA)
    assert isinstance(answer, MyDay) and answer.total == total


@pytest.mark.parametrize(
    ("minutes", "lead"), [("10", 10), (" off ", None), ("OFF", None), ("10 20", "usage"), ("", "usage")]
)
def test_minutes_given_as_a_field(dbbot, minutes, lead):
    answer = dbbot.given("mine", Remind(minutes), ADA)
    if lead == "usage":
        assert isinstance(answer, Usage)
    else:
        assert answer == LeadSet(lead, 0)


# -- /schedule -------------------------------------------------------------------------


@pytest.mark.parametrize("words", ["mine", "mine remind 5", "ics", "tomorrow", "help"])
def test_words_are_a_search_never_a_day_ics_or_mine(dbbot, words):
    answer = dbbot.given("schedule", ScheduleRequest(None, words), ADA)
    assert isinstance(answer, Agenda) and answer.agenda.day is None  # every day searched
    with dbbot.services.session() as db:
        assert mine_of(db, ADA.key).lead == mine_of(db, "test:nobody").lead
    assert dbbot.files.sent == []


def test_a_day_field_and_words_field(dbbot):
    answer = dbbot.given("schedule", ScheduleRequest("Today", "Library"), ADA)
    assert isinstance(answer, Agenda) and answer.agenda.day.isoformat() == "2023-08-05"
    assert answer == dbbot.ask("/schedule today Library", ADA)


def test_ics_as_the_day_is_the_calendar(dbbot):
    assert isinstance(dbbot.given("schedule", ScheduleRequest("ics", None), ADA), CalendarSending)
    answer = dbbot.given("schedule", ScheduleRequest("ics", "Library"), ADA)
    assert isinstance(answer, Usage) and "leave out the words" in answer.problem


@pytest.mark.parametrize("day", ["Library", "mine", "next sunday", "2023-02-30"])
def test_a_day_field_that_is_no_day_is_the_usage(dbbot, day):
    answer = dbbot.given("schedule", ScheduleRequest(day, None), ADA)
    assert isinstance(answer, Usage) and "is not a day" in answer.problem


# -- /announce -------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["list", "help", "cancel 1", "at 13:15 Lunch", "now"])
def test_an_announcement_field_is_posted_as_typed(dbbot, text):
    dbbot.start_announcements()
    answer = dbbot.given("announce", PostNow(text), ORGANIZER)
    assert isinstance(answer, Queued) and not answer.scheduled
    assert answer.announcement.text == text


def test_the_time_field_is_all_a_time_and_the_text_all_text(dbbot):
    dbbot.start_announcements()
    answer = dbbot.given("announce", PostAt("sun 13:15", "at 14:00 pm -- see you"), ORGANIZER)
    assert isinstance(answer, Queued) and answer.scheduled
    assert answer.announcement.text == "at 14:00 pm -- see you"
    assert answer.announcement.due_at == dbbot.ask("/announce at sun 13:15 x", ORGANIZER).announcement.due_at


@pytest.mark.parametrize(("when", "text"), [("sun", "13:15 Lunch"), ("1", "pm Lunch"), ("13:15 Lunch", "x")])
def test_a_time_field_never_borrows_from_the_text(dbbot, when, text):
    dbbot.start_announcements()
    answer = dbbot.given("announce", PostAt(when, text), ORGANIZER)
    assert isinstance(answer, Usage) and "time" in answer.problem
    assert dbbot.announcer.organizer_announcements() == []


@pytest.mark.parametrize(
    "args", [PostNow("  "), PostAt("13:15", ""), CancelScheduled(None), CancelScheduled(0)]
)
def test_empty_or_unusable_fields_are_the_usage(dbbot, args):
    dbbot.start_announcements()
    assert isinstance(dbbot.given("announce", args, ORGANIZER), Usage)
    assert dbbot.announcer.organizer_announcements() == []
