"""What people (and hostile clients) type: arbitrary Unicode, the characters that break
parsers and displays, and text made of the grammar's own words, so the parsers are driven
past their first check rather than refused at it."""

from __future__ import annotations

from hypothesis import strategies as st

# Every code point, lone surrogates included: a JSON payload can carry "\ud800".
ANY_CHAR = st.characters(exclude_categories=())
# The characters that have broken parsers, databases and displays before.
AWKWARD = st.sampled_from(
    [
        "\x00", "\x07", "\x1b", "\x1c", "\x7f", "\x85", "\r", "\n", "\t", "\v", "\f",
        "\u00a0", "\u2007", "\u3000", "\u2028", "\u2029", "\ufeff", "\u200b", "\u200d", "\u00ad",
        "\u202e", "\u202d", "\u2066", "\u2067", "\u2069", "\u061c", "\u200f",
        "\ud800", "\udfff", "\U000e0041", "\u115f", "\u3164", "\u2800", "\u0301", "\ufffd",
        "`", "*", "_", "~", "<", ">", "&", "|", "\\", '"', "'", "#", "@", "--", "—", ":",
        "<!channel>", "<!here>", "@everyone", "<@U123>", "İ", "ß", "ﬁ", "Ⅻ", "🧩", "👩‍💻",
    ]
)  # fmt: skip
# Digits that are not ASCII: every number the bot reads is written with 0-9 only.
OTHER_DIGITS = st.sampled_from(["٣", "３", "߃", "໓", "१", "¹", "①", "𝟕", "〇", "七"])

WEEKDAY_WORDS = st.sampled_from(
    ["monday", "Mon", "tue", "tues", "Wednesday", "thu", "thurs", "fri", "Saturday", "sat", "SUN",
     "sunday", "su", "mo", "sundays", "satur", "ſat", "ＳＵＮ"]
)  # fmt: skip
GRAMMAR_WORDS = st.sampled_from(
    ["at", "AT", "now", "list", "cancel", "withdraw", "Withdraw", "help", "-h", "--help", "mine", "me",
     "all", "ics", "ical", "merge", "into", "to", "->", "remove", "plan", "publish", "export", "reload",
     "today", "tomorrow", "yesterday", "am", "pm", "AM", "Pm", "--", "-", "#", "+"]
)  # fmt: skip


@st.composite
def numbers(draw) -> str:
    """A number as people write one: ids, counts, signs, #7, huge, other scripts."""
    n = draw(st.one_of(st.integers(-12, 12), st.integers(-(10**12), 10**12), st.just(2**31)))
    shape = draw(st.sampled_from(["{}", "#{}", "+{}", "0{}", "{}.0", "{},000", "# {}"]))
    text = shape.format(n)
    if draw(st.booleans()):
        return text
    return draw(OTHER_DIGITS) + text if draw(st.booleans()) else "9" * draw(st.integers(10, 5000))


@st.composite
def times(draw) -> str:
    """A time of day, well or badly written: 13:15, 9:00am, 12 pm, 25:99, 7."""
    hour = draw(st.one_of(st.integers(0, 25), st.integers(0, 999)))
    minute = draw(st.one_of(st.integers(0, 61), st.just(None)))
    text = str(hour) if minute is None else f"{hour}:{minute:02d}"
    if draw(st.booleans()):
        text += draw(st.sampled_from(["am", "pm", "AM", " am", " PM", "a.m.", "h"]))
    return text


@st.composite
def dates(draw) -> str:
    """A date as YYYY-MM-DD: the workshop's days, others, impossible ones, the ends of time."""
    return draw(
        st.one_of(
            st.sampled_from(["2023-08-04", "2023-08-05", "2023-08-06", "2023-08-07", "2023-02-30",
                             "9999-12-31", "0001-01-01", "0000-01-01", "2023-8-5", "2023-13-01"]),
            st.dates().map(lambda d: d.isoformat()),
        )
    )  # fmt: skip


WORD = st.one_of(
    GRAMMAR_WORDS,
    WEEKDAY_WORDS,
    numbers(),
    times(),
    dates(),
    AWKWARD,
    OTHER_DIGITS,
    st.text(ANY_CHAR, min_size=1, max_size=8),
    st.text(st.characters(codec="ascii"), min_size=1, max_size=12),
)
SEPARATORS = st.sampled_from([" ", " ", " ", "  ", "\t", "\n", "\u3000", "\u00a0", "", "\r\n"])


@st.composite
def phrases(draw, first: st.SearchStrategy[str] | None = None) -> str:
    """Words of the grammar (and others) joined by any kind of space."""
    words = draw(st.lists(WORD, max_size=8))
    if first is not None:
        words.insert(0, draw(first))
    out = ""
    for word in words:
        out += word + draw(SEPARATORS)
    return draw(st.sampled_from(["", " ", "\n"])) + out


@st.composite
def huge(draw) -> str:
    """A paste gone wrong: a short piece repeated thousands of times."""
    piece = draw(st.one_of(AWKWARD, WORD, st.text(ANY_CHAR, min_size=1, max_size=3)))
    return piece * draw(st.integers(100, 3000))


# What a command's arguments may be.
ARGUMENTS = st.one_of(
    phrases(),
    st.text(ANY_CHAR, max_size=60),
    st.lists(st.one_of(AWKWARD, OTHER_DIGITS, WORD), max_size=12).map("".join),
    huge(),
)
