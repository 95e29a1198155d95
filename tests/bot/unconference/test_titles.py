"""Title and description checks, and the key that finds duplicate titles."""

from __future__ import annotations

import pytest

from bot.unconference.titles import check_description, check_title, title_key


def test_titles_are_trimmed_but_otherwise_kept():
    assert check_title("  <!here> *hi*  ") == ("<!here> *hi*", None)


def test_tabs_and_line_breaks_are_fine_in_descriptions_only():
    assert check_description("a\n\tb\r\nc") == ("a\n\tb\r\nc", None)
    assert check_title("a\tb c")[1] is not None


def test_emoji_joiners_and_direction_marks_are_text():
    for title in ("👩‍💻 coding", "\u200fעברית\u200e", "e\u0301te"):
        assert check_title(title)[1] is None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Hello, World!", "hello world"),
        ("AI   safety", "ai-safety"),
        ("STRASSE", "straße"),  # casefold, not just lower
        ("ﬁne tuning", "fine tuning"),  # NFKC folds the ligature
        ("café", "cafe\u0301"),  # composed and decomposed accents
        ("Über", "über"),
        ("中文 标题", "中文标题"),
    ],
)
def test_same_key(a, b):
    assert title_key(a) == title_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("GPT-4", "GPT-5"), ("cafe", "café"), ("🚀🚀", "🎉🎉"), ("hindi हिंदी", "hindi हिदी")],
)
def test_different_key(a, b):
    assert title_key(a) != title_key(b)
