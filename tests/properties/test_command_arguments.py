"""Every command's argument parser fed any text: a parsed value that fits the grammar, or a
``UsageError`` (the usage, with what was wrong), never any other exception."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.commands import grammar, next_up, propose, readings, schedule
from bot.commands.base import UsageError
from bot.commands.schedule import NoSuchDay, ScheduleRequest, resolve_day
from tests.bot.conftest import pt
from tests.properties.strategies import ARGUMENTS, GRAMMAR_WORDS, WEEKDAY_WORDS, WORD, dates, numbers, phrases


def usage_or(parse, text):
    """What ``parse`` makes of ``text``, or None when it answered with the usage."""
    try:
        return parse(text)
    except UsageError as exc:
        assert exc.usage and (exc.problem is None or exc.problem.strip())
        return None


@given(st.one_of(ARGUMENTS, numbers(), phrases(first=numbers())))
@example("３")
@example("-1")
@example(" 10 ")
@example("9" * 5000)
def test_next_takes_one_to_ten_written_in_ascii(text):
    n = usage_or(next_up.parse_next, text)
    if n is None:
        return
    assert 1 <= n <= next_up.MAX_NEXT
    assert grammar.normalise(text) in ("", str(n), f"0{n}")


@given(st.one_of(ARGUMENTS, numbers()))
@example("#0")
@example("#123456789")
@example("1234567890")
def test_numbers_are_ids_written_in_ascii(text):
    n = grammar.parse_number(text)
    if n is not None:
        assert 1 <= n <= 999_999_999
        assert text.strip().removeprefix("#") == str(n)


@given(st.one_of(ARGUMENTS, WEEKDAY_WORDS, dates()))
def test_the_small_grammar_never_raises(text):
    assert grammar.normalise(text) == grammar.normalise(grammar.normalise(text))
    assert " ".join(grammar.words_of(text)) == grammar.normalise(text)
    grammar.is_help(text)
    day = grammar.weekday_of(text)
    assert day is None or (0 <= day <= 6 and grammar.WEEKDAYS[day].startswith(text.casefold()))
    if grammar.is_iso_date(text):
        assert re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text)
    quoted = grammar.quote(text)
    assert "`" not in quoted and len(quoted) <= 40


@given(text=st.one_of(ARGUMENTS, phrases(first=st.one_of(WEEKDAY_WORDS, dates(), GRAMMAR_WORDS))))
@example(text="2023-02-30 Library")
@example(text="sunday !!!")
@example(text="ICS")
def test_schedule_is_a_day_and_words_or_the_usage(text, awair):
    request = usage_or(schedule.parse_schedule, text)
    if request is None:
        return
    assert isinstance(request, ScheduleRequest)
    if request.filter is not None:
        assert len(request.filter) <= grammar.MAX_SEARCH and re.search(r"\w", request.filter)
        assert request.filter in grammar.normalise(text)
    if request.calendar:
        assert request.day_word is None and request.filter is None
    try:
        day = resolve_day(request.day_word, awair, pt("2023-08-05 10:45"))
    except NoSuchDay as exc:
        assert "The workshop's days" in str(exc)
    else:
        assert day in awair.days


@given(st.one_of(ARGUMENTS, phrases(first=GRAMMAR_WORDS)))
def test_readings_is_current_all_or_a_bounded_search(text):
    request = usage_or(readings.parse_readings, text)
    if request is None:
        return
    assert request.mode in ("current", "all", "search")
    if request.mode == "search":
        assert request.query == grammar.normalise(text) and 0 < len(request.query) <= grammar.MAX_SEARCH


@given(st.one_of(ARGUMENTS, phrases(first=st.sampled_from(["withdraw", "WITHDRAW", "Withdraw "]))))
@example("withdraw -1")
@example("withdraw ３")
@example("withdraw from the race?")
@example("C-- is -- a language")
def test_propose_is_a_title_and_description_or_a_withdrawal(text):
    parsed = usage_or(propose.parse, text)
    if parsed is None:
        return
    if isinstance(parsed, propose.Withdraw):
        assert parsed.number is not None and 1 <= parsed.number <= 999_999_999
        assert text.split()[0].casefold() == "withdraw"
        return
    title, description = parsed.title, parsed.description
    assert text.strip().startswith(title)
    assert (not description) or text.rstrip().endswith(description.rstrip())


@pytest.mark.parametrize("word", ["withdraw", "at", "merge"])
@given(rest=st.lists(WORD, max_size=4).map(" ".join))
def test_grammar_words_followed_by_anything(word, rest):
    """The subcommand words with anything after them, through the parsers that know them."""
    usage_or(propose.parse, f"{word} {rest}")
    usage_or(schedule.parse_schedule, f"{word} {rest}")
    usage_or(readings.parse_readings, f"{word} {rest}")
