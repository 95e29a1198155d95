"""How commands read their arguments (issue 14): one rule and one message for a number, words
that match whole words, and a subcommand word that never becomes a proposal's title."""

from __future__ import annotations

import pytest

from bot.commands.base import Usage
from bot.commands.schedule import Agenda
from tests.bot.commands.conftest import ADA


@pytest.mark.parametrize("text", ["-1", "0", "11", "３", "٣", "3.0", "+3", "three"])
def test_next_takes_one_kind_of_number_and_says_one_thing_otherwise(bot, text):
    answer = bot.ask(f"/next {text}")
    assert isinstance(answer, Usage)
    assert answer.problem.endswith(": N is a whole number from 1 to 10.")


def titles(answer: Agenda) -> list[str]:
    return [item.session.title for item in answer.agenda.items]


def test_schedule_filters_by_whole_words_not_inside_them(bot):
    found = bot.at("2023-08-06 10:00").ask("/schedule today ARC")
    # The ARC talks (in the title and as the speakers' affiliation), not "research" elsewhere.
    assert titles(found) == ["ARC's current theory research", "ARC's current evals work"]
    assert "Impact stories for model internals research" not in titles(found)


def test_schedule_filters_by_kind(bot):
    found = bot.at("2023-08-05 10:00").ask("/schedule today talks")
    assert titles(found) and {i.session.kind.value for i in found.agenda.items} == {"talk"}
    assert "Misalignment" not in titles(found)  # a reading session


def test_a_filter_without_a_day_searches_the_whole_workshop(bot):
    found = bot.at("2023-08-05 10:00").ask("/schedule ARC")  # Saturday; ARC's talks are Sunday's
    assert found.agenda.day is None
    assert titles(found) == ["ARC's current theory research", "ARC's current evals work"]
    assert {i.session.day.isoformat() for i in found.agenda.items} == {"2023-08-06"}


def test_every_day_reads_as_such(bot):
    from bot.text import render_agenda

    text = render_agenda(bot.at("2023-08-05 10:00").ask("/schedule ARC").agenda)
    assert text.startswith("Every day: ") and "Sun 6 Aug" in text


@pytest.mark.parametrize("text", ["withdraw -1", "withdraw 1 2", "withdraw one", "WITHDRAW #0", "withdraw"])
def test_a_malformed_withdrawal_is_never_a_proposal(dbbot, text):
    answer = dbbot.ask(f"/propose {text}", ADA)
    assert isinstance(answer, Usage) and "withdraw 7" in answer.problem
    assert dbbot.messages.posted == []
