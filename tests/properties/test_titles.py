"""Proposal titles and descriptions: checked with a friendly sentence or accepted, and an
accepted one is stored exactly as typed (only its outer spaces trimmed) through the real
``/propose`` path, on SQLite."""

from __future__ import annotations

import re

from hypothesis import assume, event, example, given
from hypothesis import strategies as st
from sqlalchemy import select

from bot.commands.base import Usage
from bot.commands.grammar import is_help
from bot.commands.propose import Duplicate, NewProposal, Proposed
from bot.db.tables_unconf import Proposal
from bot.text import has_controls
from bot.unconference.titles import (
    DESCRIPTION_MAX,
    TITLE_MAX,
    TITLE_MIN,
    check_description,
    check_title,
    title_key,
    visible_length,
)
from tests.bot.commands.conftest import ORGANIZER
from tests.properties.running import command
from tests.properties.strategies import ANY_CHAR, ARGUMENTS, AWKWARD, huge

# Titles as people write them (any script, emoji, punctuation), with the awkward characters.
TEXT = st.one_of(
    st.text(st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=40),
    st.lists(st.one_of(AWKWARD, st.text(ANY_CHAR, max_size=6), st.sampled_from(["Debate", "RLHF", "安全"])),
             max_size=10).map("".join),
    ARGUMENTS,
)  # fmt: skip


@given(TEXT)
@example("\u200b\u200b\u200b")
@example("\u3164\u3164\u3164")
@example("ab\u2028c")
@example("x" * 151)
def test_a_title_is_accepted_or_told_why(raw):
    title, problem = check_title(raw)
    assert title == raw.strip()
    if problem is not None:
        assert problem.endswith(".")
        return
    assert TITLE_MIN <= len(title) <= TITLE_MAX and visible_length(title) >= TITLE_MIN
    assert not has_controls(title) and "\u2028" not in title


@given(st.one_of(TEXT, huge()))
def test_a_description_is_accepted_or_told_why(raw):
    description, problem = check_description(raw)
    assert description == raw.strip()
    if problem is None:
        assert len(description) <= DESCRIPTION_MAX and not has_controls(description, "\n\r\t")


@given(TEXT)
@example("Іntеrрrеtаbіlіtу")
@example("🧩🧩🧩")
@example("\u00a8\u00a8\u00a8")
def test_a_title_s_key_ignores_spacing_and_an_accepted_title_has_one(title):
    key = title_key(title)
    assert key == title_key(f"  {title}\u3000 ")
    if check_title(title)[1] is None:
        assert key


SEPARATOR = re.compile(r"(?:^|\s)--(?:\s|$)")


@given(title=TEXT, description=st.one_of(st.just(""), TEXT))
@example(title="  Debate on a toy task\u200f ", description="Let's try\n\tin pairs  ")
@example(title="C-- is a language", description="pre--post")
@example(title="安全 🧩 «RLHF»", description="")
@example(title="\U000e0041abc", description="")
def test_an_accepted_title_is_stored_exactly_as_typed(stored_core, errors, title, description):
    # Typed in one line, the separator, "withdraw" and "help" are the grammar's; as fields
    # (the next test) they are only text.
    assume(not SEPARATOR.search(title) and title.split()[:1] != ["withdraw"])
    assume(title.strip() and not title.strip().casefold().startswith("withdraw"))
    assume(description or not is_help(title))
    text = f"{title} -- {description}" if description else title
    _stored_exactly(stored_core, command(stored_core, errors, ORGANIZER, "propose", text), title, description)


@given(title=TEXT, description=st.one_of(st.just(""), TEXT))
@example(title="C -- D", description="")
@example(title="withdraw 7", description="")
@example(title="  withdraw -- 7 ", description="a -- b")
@example(title="help", description="")
def test_a_title_given_as_a_field_is_stored_exactly_whatever_it_says(stored_core, errors, title, description):
    """As Discord's title option gives it: the separator and "withdraw" are only text."""
    outcome = command(stored_core, errors, ORGANIZER, "propose", NewProposal(title, description))
    _stored_exactly(stored_core, outcome, title, description)


def _stored_exactly(core, outcome, title: str, description: str) -> None:
    event(type(outcome).__name__)
    if isinstance(outcome, Usage):
        assert check_title(title)[1] or check_description(description)[1], outcome
        return
    assert isinstance(outcome, Proposed | Duplicate), outcome
    proposal = outcome.result.proposal
    assert proposal is not None
    with core.services.session() as db:
        row = db.execute(select(Proposal).where(Proposal.id == proposal.number)).scalar_one()
    if isinstance(outcome, Duplicate):
        assert row.title_key == title_key(title.strip())
        return
    assert row.title == title.strip() == proposal.title
    assert row.description == description.strip()
