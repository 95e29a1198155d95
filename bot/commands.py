"""Parsing what people type after a command, shared by every adapter (Slack, console).

Each parser returns a small request value or raises ``UsageError`` carrying the usage text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.agenda import default_day
from bot.schedule.model import Workshop

NEXT_USAGE = (
    "Usage: `/next [N]`: what is on now and what starts next.\n"
    "`N` (1-10) shows the next N start times, e.g. `/next 3`."
)
SCHEDULE_USAGE = (
    "Usage: `/schedule [today|tomorrow|<weekday>|<YYYY-MM-DD>] [room or track]`: a day's agenda.\n"
    "e.g. `/schedule`, `/schedule sunday`, `/schedule 2023-08-06`, `/schedule today Library`.\n"
    "`/schedule ics`: the whole schedule for your calendar app."
)
READINGS_USAGE = (
    "Usage: `/readings [all|<words>]`: papers for the reading session on now or next.\n"
    "`all` lists every session's readings; words search titles, authors and topics, "
    "e.g. `/readings debate`."
)
HELP_USAGE = "Usage: `/awair [help]`: what the bot does and how to use each command."

MAX_NEXT = 10
# ``/schedule ics``: the calendar file instead of a day ("calendar" may well be a track's name).
CALENDAR_WORDS = ("ics", "ical")
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


class UsageError(ValueError):
    """The arguments do not fit the command; ``usage`` says how to use it."""

    def __init__(self, usage: str, problem: str | None = None):
        self.usage = usage
        self.problem = problem
        super().__init__(f"{problem}\n{usage}" if problem else usage)


def normalise(text: str | None) -> str:
    """Arguments with runs of white space folded and the ends trimmed."""
    return " ".join((text or "").split())


def parse_next(text: str | None) -> int:
    """``/next [N]`` -> how many start times to show."""
    args = normalise(text)
    if not args:
        return 1
    if not re.fullmatch(r"\d{1,2}", args):
        raise UsageError(NEXT_USAGE, f"I didn't understand `{_quote(args)}`.")
    count = int(args)
    if not 1 <= count <= MAX_NEXT:
        raise UsageError(NEXT_USAGE, f"N must be between 1 and {MAX_NEXT}.")
    return count


@dataclass(frozen=True)
class ScheduleRequest:
    """``/schedule`` arguments: which day (None = default) and an optional filter, or
    ``calendar`` for the whole schedule as a calendar file."""

    day_word: str | None
    filter: str | None
    calendar: bool = False


def parse_schedule(text: str | None) -> ScheduleRequest:
    """``/schedule [day] [room or track]`` or ``/schedule ics``. The day word is checked
    against the workshop later."""
    words = normalise(text).split(" ") if normalise(text) else []
    if not words:
        return ScheduleRequest(None, None)
    if len(words) == 1 and words[0].casefold() in CALENDAR_WORDS:
        # Alone only: "/schedule ICS lab" still filters by a room that happens to start so.
        return ScheduleRequest(None, None, calendar=True)
    if _is_day_word(words[0]):
        rest = " ".join(words[1:]) or None
        return ScheduleRequest(words[0].casefold(), rest)
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", words[0]):
        raise UsageError(SCHEDULE_USAGE, f"`{_quote(words[0])}` is not a date.")
    if words[0].casefold() in ("help", "-h", "--help"):
        raise UsageError(SCHEDULE_USAGE)
    # A bare filter ("/schedule Library") means today's sessions in that room or track.
    return ScheduleRequest(None, " ".join(words))


def _is_day_word(word: str) -> bool:
    w = word.casefold()
    if w in ("today", "tomorrow", "yesterday"):
        return True
    if len(w) >= 3 and any(day.startswith(w) for day in _WEEKDAYS):
        return True
    try:
        date.fromisoformat(word)
    except ValueError:
        return False
    return True


class NoSuchDay(ValueError):
    """The day asked for is not a day of the workshop; the message lists the days."""


def resolve_day(word: str | None, workshop: Workshop, now: datetime) -> date:
    """Turn a day word into one of the workshop's days, relative to ``now``."""
    from bot.timefmt import day_label

    if word is None:
        return default_day(workshop, now)
    today = workshop.day_of(now)
    if word in ("today", "tomorrow", "yesterday"):
        wanted = today + timedelta(days={"today": 0, "tomorrow": 1, "yesterday": -1}[word])
    elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", word):
        wanted = date.fromisoformat(word)
    else:
        weekday = next(i for i, d in enumerate(_WEEKDAYS) if d.startswith(word))
        matching = [d for d in workshop.days if d.weekday() == weekday]
        later = [d for d in matching if d >= today]
        if later or matching:
            return (later or matching)[0]
        wanted = None
    if wanted is not None and wanted in workshop.days:
        return wanted
    days = ", ".join(day_label(d) for d in workshop.days) or "none yet"
    asked = day_label(wanted) if wanted else word.capitalize()
    raise NoSuchDay(f"Nothing is scheduled on {asked}. The workshop's days: {days}.")


@dataclass(frozen=True)
class ReadingsRequest:
    """``/readings`` arguments: ``mode`` is current, all or search."""

    mode: str
    query: str | None = None


def parse_readings(text: str | None) -> ReadingsRequest:
    """``/readings [all|<words>]``."""
    args = normalise(text)
    if not args:
        return ReadingsRequest("current")
    if args.casefold() == "all":
        return ReadingsRequest("all")
    if args.casefold() in ("help", "-h", "--help"):
        raise UsageError(READINGS_USAGE)
    if len(args) > 200:
        raise UsageError(READINGS_USAGE, "That search is too long (200 characters at most).")
    return ReadingsRequest("search", args)


def parse_help(text: str | None) -> None:
    """``/awair [help]``: anything else is a usage error."""
    args = normalise(text).casefold()
    if args not in ("", "help"):
        raise UsageError(HELP_USAGE, f"I don't know `{_quote(args)}`.")


def _quote(text: str, limit: int = 40) -> str:
    """User text made safe to echo inside inline code: no backticks, bounded length."""
    text = text.replace("`", "'")
    return text if len(text) <= limit else text[: limit - 1] + "…"
