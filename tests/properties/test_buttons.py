"""Button values: a click carries whatever the client sends (a tampered value, a number in
another script, not even a string). The number a button of ours wrote is read back exactly;
anything else is the friendly "that button didn't work", and every click through the runner
is an answer the adapters render."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.commands.base import Notice, Tone
from bot.commands.runner import BUTTONS
from bot.commands.vote import BUTTON_PROBLEM, button_number
from tests.bot.commands.conftest import ADA, ORGANIZER
from tests.properties.running import click, command
from tests.properties.strategies import ARGUMENTS, OTHER_DIGITS, numbers

VALUES = st.one_of(
    numbers(),
    ARGUMENTS,
    st.builds(lambda d, n: d + str(n), OTHER_DIGITS, st.integers(0, 99)),
    st.none(),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
CONTEXT = SimpleNamespace(caller=ADA)


@given(VALUES)
@example("7")
@example(" 7")
@example("#7")
@example("07")
@example("٧")
@example(7)
@example("9" * 5000)
def test_a_button_value_is_our_number_exactly_or_the_button_problem(value):
    number = button_number(CONTEXT, value, "vote")
    if isinstance(number, Notice):
        assert (number.text, number.tone) == (BUTTON_PROBLEM, Tone.PROBLEM)
        return
    assert isinstance(value, str) and value == str(number) and 1 <= number <= 999_999_999


@given(
    name=st.sampled_from([*sorted(BUTTONS), "Vote", "share", ""]),
    value=VALUES,
    caller=st.sampled_from([ADA, ORGANIZER]),
)
@example(name="vote", value="999999999", caller=ADA)
@example(name="publish", value="1", caller=ORGANIZER)
@example(name="vote", value=None, caller=ADA)
def test_any_click_is_an_answer(seeded, errors, name, value, caller):
    click(seeded, errors, caller, name, value)


@pytest.fixture(scope="module")
def seeded(core, errors):
    """The core with proposals #1-#3 to vote for and a draft plan to publish."""
    for title in ("Debate on a toy task", "Interpretability office hours", "RLHF reading group"):
        command(core, errors, ADA, "propose", title)
    command(core, errors, ORGANIZER, "unconf", "plan")
    return core
