"""Every command run through the core's runner on any text, by an attendee and by an
organizer: an answer the adapters render, never an exception."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from bot.announcements import organizer
from bot.commands.base import Usage
from bot.commands.runner import COMMANDS
from tests.bot.commands.conftest import ADA, ORGANIZER
from tests.properties.running import command
from tests.properties.strategies import ARGUMENTS, GRAMMAR_WORDS, WORD, phrases

CALLERS = st.sampled_from([ADA, ORGANIZER])


def _loggable(text: str) -> str:
    """``text`` without lone surrogates: the runner logs what it refused, and pytest-xdist
    cannot send a captured log holding one from its worker (its own UnicodeEncodeError, not
    the bot's). Surrogates reach the parsers in the other property modules, which log nothing."""
    return "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in text)


NAMES = st.sampled_from(sorted(COMMANDS))


@given(name=NAMES, text=st.one_of(ARGUMENTS, phrases(first=GRAMMAR_WORDS)).map(_loggable), caller=CALLERS)
@example(name="announce", text="at 9999-12-31 23:00 Party", caller=ORGANIZER)
@example(name="announce", text="at sun 25:00 x", caller=ORGANIZER)
@example(name="unconf", text="merge 1 2", caller=ORGANIZER)
@example(name="unconf", text="remove 999999999 spam", caller=ORGANIZER)
@example(name="propose", text="withdraw 999999999", caller=ADA)
@example(name="schedule", text="ics", caller=ADA)
def test_any_command_with_any_text(core, errors, name, text, caller):
    command(core, errors, caller, name, text)


@given(name=st.one_of(WORD, NAMES.map(str.upper)).map(_loggable), text=ARGUMENTS.map(_loggable))
def test_an_unknown_command_is_named_with_the_known_ones(core, errors, name, text):
    if name in COMMANDS:
        return
    outcome = command(core, errors, ADA, name, text)
    assert "/next" in outcome.text


@given(
    text=st.builds(lambda at, rest: f"{at} {rest}", st.sampled_from(["at", "AT", " at"]), phrases()).map(
        _loggable
    )
)
@example(text="at 9998-12-31 23:59 The very end")
@example(text="at 3PM at ")
@example(text="at sun 13:15 Lunch\n\nis on the roof ")
def test_an_announcement_accepted_is_stored_as_typed_for_later(stored_core, errors, text):
    core = stored_core
    outcome = command(core, errors, ORGANIZER, "announce", text)
    if isinstance(outcome, Usage) or not hasattr(outcome, "announcement"):
        return
    stored = outcome.announcement
    assert outcome.scheduled and stored.due_at > core.clock.now()
    assert text.strip().endswith(stored.text) and stored.text == stored.text.strip()
    with core.services.session() as db:
        row = organizer.get(db, stored.id)
        assert row is not None and row.text == stored.text
