"""Checking and normalising what people type as a proposal's title and description.

Text is stored exactly as typed (only outer whitespace is trimmed) and escaped when shown.
Control characters are refused rather than stripped: silently changing what someone typed
would break "stored exactly", PostgreSQL cannot store NUL in text at all, and a refusal tells
the author what happened. Format characters (zero-width joiners in emoji, right-to-left
marks) are ordinary text and are kept.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

from bot.text import has_controls

# Unicode's confusables.txt (UTS #39, version 17.0.0), its mappings only: see its header.
CONFUSABLES_FILE = "confusables.txt"
TITLE_MIN = 3
TITLE_MAX = 150
DESCRIPTION_MAX = 2000

# Line breaks and tabs are fine in a description; a title is one line.
_DESCRIPTION_CONTROLS_ALLOWED = "\n\r\t"
# Letters, digits, punctuation and symbols that nonetheless draw nothing: Hangul fillers and
# the braille blank (zero-width and tag characters are format characters, not counted anyway).
_BLANK_LOOKING = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def visible_length(text: str) -> int:
    """How many characters of ``text`` draw something: letters, digits, punctuation and
    symbols, not spaces, marks alone, format characters (zero-width spaces, bidi controls,
    soft hyphens, tags) or the letters that look blank."""
    return sum(1 for ch in text if unicodedata.category(ch)[0] in "LNPS" and ch not in _BLANK_LOOKING)


def check_title(raw: str) -> tuple[str, str | None]:
    """The trimmed title and, if it is unacceptable, a friendly sentence saying why."""
    title = raw.strip()
    if not title:
        return title, "A proposal needs a title."
    if len(title) < TITLE_MIN:
        return title, f"A title needs at least {TITLE_MIN} characters."
    if len(title) > TITLE_MAX:
        return title, (
            f"A title can be at most {TITLE_MAX} characters; yours has {len(title):,}. "
            "Put the details in the description."
        )
    if has_controls(title) or "\u2028" in title or "\u2029" in title:
        return title, "A title can't contain control characters such as NUL or line breaks."
    if visible_length(title) < TITLE_MIN:
        return title, f"A title needs at least {TITLE_MIN} visible characters."
    return title, None


def check_description(raw: str) -> tuple[str, str | None]:
    """The trimmed description and, if it is unacceptable, a friendly sentence saying why."""
    description = raw.strip()
    if len(description) > DESCRIPTION_MAX:
        return description, (
            f"A description can be at most {DESCRIPTION_MAX:,} characters; yours has {len(description):,}."
        )
    if has_controls(description, _DESCRIPTION_CONTROLS_ALLOWED):
        return description, "A description can't contain control characters such as NUL."
    return description, None


def title_key(title: str) -> str:
    """The title reduced for duplicate detection: case, spacing, punctuation and look-alike
    letters ignored.

    NFKC-folded and casefolded (full-width and compatibility forms match), then reduced to
    Unicode's confusables skeleton (UTS #39), so a title in Cyrillic or Greek look-alikes
    ("Іntеrрrеtаbіlіtу") is the Latin one; letters, marks and digits of any script are kept.
    A title of only symbols, such as emoji, keeps its symbols instead, or every emoji-only
    title would count as the same one.
    """
    folded = skeleton(unicodedata.normalize("NFKC", title).casefold()).casefold()
    key = "".join(ch for ch in folded if unicodedata.category(ch)[0] in "LMN")
    return key or "".join(ch for ch in folded if not ch.isspace())


def skeleton(text: str) -> str:
    """UTS #39's skeleton: NFD, each character replaced by its prototype, NFD again. Two
    strings that look alike have the same skeleton (it is not for display)."""
    table = _confusables()
    return unicodedata.normalize(
        "NFD", "".join(table.get(ch, ch) for ch in unicodedata.normalize("NFD", text))
    )


@cache
def _confusables() -> dict[str, str]:
    """Unicode's confusables mappings, from the data file shipped beside this module."""
    table: dict[str, str] = {}
    for line in (Path(__file__).parent / CONFUSABLES_FILE).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            source, target = line.split("\t")
            table[chr(int(source, 16))] = "".join(chr(int(c, 16)) for c in target.split())
    return table
