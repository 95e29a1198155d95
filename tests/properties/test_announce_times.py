"""``/announce at <when> <text>``: any words read as a time of day (and a day) or the
usage; any time resolved to an instant after now, or a refusal that says why."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import example, given
from hypothesis import strategies as st

from bot.commands.announce_when import When, _day_word, parse_at, resolve
from bot.commands.base import Refusal, UsageError
from tests.bot.conftest import pt
from tests.properties.strategies import WEEKDAY_WORDS, WORD, dates, times

DAY_WORDS = st.one_of(WEEKDAY_WORDS, dates(), st.sampled_from(["today", "tomorrow", "Today", "TOMORROW"]))
AT_WORDS = st.lists(
    st.one_of(DAY_WORDS, times(), st.sampled_from(["am", "pm", "AM"]), WORD), min_size=0, max_size=5
).map(lambda words: [w for word in words for w in word.split()])
# Instants around the workshop (Saturday and Sunday, August 2023) and far from it (the
# clock is the bot's, not user input: the ends of the calendar are not asked of it).
NOWS = st.one_of(
    st.sampled_from([pt("2023-08-05 10:45"), pt("2023-08-05 23:59"), pt("2023-08-06 19:00"), pt("2023-08-01 09:00")]),
    st.datetimes(datetime(2023, 7, 1), datetime(2023, 9, 1), timezones=st.just(UTC)),
    st.datetimes(datetime(1900, 1, 1), datetime(2200, 1, 1), timezones=st.just(UTC)),
)  # fmt: skip


@given(AT_WORDS)
@example(["25:00", "x"])
@example(["12", "pm", "x"])
@example(["0am", "x"])
@example(["sun", "٩:٠٠", "x"])
@example(["13:15"])
def test_at_is_a_time_of_day_or_the_usage(words):
    try:
        when, used = parse_at(words)
    except UsageError as exc:
        assert exc.problem
        return
    assert 0 <= when.hour <= 23 and 0 <= when.minute <= 59
    assert 1 <= used < len(words), "there is text after the time"
    assert when.half in ("", "am", "pm")
    assert when.day is None or when.day == words[0].casefold()


@st.composite
def whens(draw) -> When:
    """A parsed ``at`` clause, as parse_at makes them."""
    half = draw(st.sampled_from(["", "am", "pm"]))
    day = draw(st.one_of(st.none(), DAY_WORDS.map(_day_word).filter(bool)))
    return When(day, draw(st.integers(0, 23)), draw(st.integers(0, 59)), half)


@given(when=whens(), now=NOWS)
@example(when=When("9999-12-31", 23, 0), now=pt("2023-08-05 10:45"))
@example(when=When("0001-01-01", 0, 0), now=pt("2023-08-05 10:45"))
@example(when=When("9998-12-31", 23, 59), now=pt("2023-08-05 10:45"))
@example(when=When(None, 2, 30), now=pt("2024-03-10 01:00"))  # the clocks change: 2:30 does not exist
def test_a_time_resolves_after_now_or_is_refused(when, now, awair):
    try:
        resolved = resolve(when, awair, now)
    except (Refusal, UsageError) as exc:
        assert str(exc)
        return
    assert resolved.at > now
    local = resolved.at.astimezone(awair.timezone)
    assert (local.hour, local.minute) == (when.hour, when.minute)
    if when.day in (None, "today"):
        assert local.date() == now.astimezone(awair.timezone).date()
    if when.day == "tomorrow":
        assert local.date() == now.astimezone(awair.timezone).date() + timedelta(days=1)
