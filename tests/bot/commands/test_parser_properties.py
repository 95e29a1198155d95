"""Every parser of what people type, and the settings parser, driven by Hypothesis: only
typed errors come out (a usage, a settings problem), never a traceback; what is stored is
exactly what was typed, trimmed."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.commands import propose
from bot.commands.announce_when import parse_at
from bot.commands.base import Caller, Notice, UsageError
from bot.commands.next_up import MAX_NEXT, parse_next
from bot.commands.schedule import ScheduleRequest, parse_schedule
from bot.commands.vote import button_number
from bot.settings import Settings, SettingsError, parse_settings
from bot.unconference.titles import check_description, check_title
from tests.support.harness import REPO

# Text as people type it and as hostile clients send it: any code point but surrogates,
# with the characters that matter to the grammar made likely.
_CHARS = st.text(
    st.one_of(
        st.characters(blacklist_categories=("Cs",)), st.sampled_from(list(" \t\n#-–—:0123456789apm@<>&*_~`"))
    ),
    max_size=120,
)
TYPED = st.lists(
    st.one_of(_CHARS, st.sampled_from(["withdraw ", "at ", " -- ", "sun ", "ics", "7", "#3", "１"])),
    max_size=5,
).map("".join)
WORDS = st.lists(
    st.one_of(st.sampled_from(["sun", "sat", "13:15", "9", "am", "pm", "25:99", "1:30pm"]), TYPED), max_size=6
)
SETTINGS_READ = re.findall(
    r'(?:get|integer|instant|token)\(\s*"([A-Z][A-Z0-9_]+)"', (REPO / "bot" / "settings.py").read_text()
)


@given(TYPED)
def test_next_reads_a_count_or_says_the_usage(text):
    try:
        count = parse_next(text)
    except UsageError as exc:
        assert exc.usage
    else:
        assert 1 <= count <= MAX_NEXT


@given(TYPED)
def test_schedule_reads_a_request_or_says_the_usage(text):
    try:
        request = parse_schedule(text)
    except UsageError as exc:
        assert exc.usage
    else:
        assert isinstance(request, ScheduleRequest)


@given(WORDS)
def test_announce_at_reads_a_time_of_day_or_says_what_is_wrong(words):
    try:
        when, used = parse_at(words)
    except UsageError as exc:
        assert exc.problem
    else:
        assert 0 <= when.hour <= 23 and 0 <= when.minute <= 59 and 1 <= used < len(words)


@given(TYPED)
def test_propose_reads_a_title_or_a_number_and_titles_are_kept_exactly(text):
    try:
        parsed = propose.parse(text)
    except UsageError as exc:
        assert exc.usage
        return
    if isinstance(parsed, propose.Withdraw):
        assert parsed.number is not None and parsed.number >= 0
        return
    title, description = parsed.title, parsed.description
    stored, problem = check_title(title)
    assert stored == title.strip()  # nothing rewritten: what is stored is what was typed
    assert problem is None or isinstance(problem, str)
    kept, problem = check_description(description)
    assert kept == description.strip() and (problem is None or isinstance(problem, str))


class _Ctx:
    caller = Caller("test", "u", "u")


@given(st.one_of(TYPED, st.none(), st.integers(), st.lists(st.integers()), st.dictionaries(TYPED, TYPED)))
def test_a_button_value_is_a_number_we_wrote_or_a_friendly_notice(value):
    number = button_number(_Ctx(), value, "vote")
    if isinstance(number, Notice):
        return
    assert isinstance(value, str) and value.isascii() and value.isdigit() and int(value) == number


@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=150)
@given(
    st.dictionaries(
        st.sampled_from(SETTINGS_READ),
        st.one_of(TYPED, st.sampled_from(["0", "-1", "99999999999", "true", "2023-08-05T10:00", "UTC"])),
        max_size=8,
    )
)
def test_the_settings_parser_gives_settings_or_every_problem_as_a_sentence(env):
    try:
        parsed = parse_settings(env)
    except SettingsError as exc:
        assert exc.problems and all(isinstance(p, str) and p for p in exc.problems)
    else:
        assert isinstance(parsed, Settings)
