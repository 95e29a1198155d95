"""The small pieces of grammar commands share: words, numbers, day names, quoting."""

from __future__ import annotations

import re
from datetime import date
from typing import TypeGuard

HELP_WORDS = ("help", "-h", "--help")
# The longest search anyone types (/schedule words, /readings words): longer is a paste gone
# wrong, and would only be echoed back.
MAX_SEARCH = 200
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# Numbers people see (#7, announcement 12) are database ids: positive, within PostgreSQL's
# integer, written with ASCII digits.
_NUMBER = re.compile(r"#?([1-9][0-9]{0,8})")
MAX_NUMBER = 999_999_999


def normalise(text: str | None) -> str:
    """Arguments with runs of white space folded and the ends trimmed."""
    return " ".join((text or "").split())


def words_of(text: str | None) -> list[str]:
    """The arguments as words."""
    folded = normalise(text)
    return folded.split(" ") if folded else []


def is_help(text: str | None) -> bool:
    """Whether the arguments ask for the usage."""
    return normalise(text).casefold() in HELP_WORDS


def parse_number(text: str | None) -> int | None:
    """'7' or '#7' -> 7; anything else (negative, zero, too big, not a number) -> None."""
    found = _NUMBER.fullmatch((text or "").strip())
    return int(found.group(1)) if found else None


def is_number(n: object) -> TypeGuard[int]:
    """Whether ``n`` (a platform's typed integer option) is a number people see, as
    ``parse_number`` reads them: an int from 1 to ``MAX_NUMBER``."""
    return type(n) is int and 1 <= n <= MAX_NUMBER


def weekday_of(word: str) -> int | None:
    """The weekday (0 = Monday) a word names, by its first three letters or more; else None."""
    w = word.casefold()
    if len(w) < 3:
        return None
    return next((i for i, day in enumerate(WEEKDAYS) if day.startswith(w)), None)


def is_iso_date(word: str) -> bool:
    """Whether ``word`` is a real calendar date written YYYY-MM-DD."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", word, re.ASCII):
        return False
    try:
        date.fromisoformat(word)
    except ValueError:
        return False
    return True


def quote(text: str, limit: int = 40) -> str:
    """User text made safe to echo inside inline code: no backticks, bounded length."""
    text = text.replace("`", "'")
    return text if len(text) <= limit else text[: limit - 1] + "…"
