"""When an organizer's announcement should go out: ``at [day] <time>``, read and resolved
in the workshop's time zone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from bot.commands.base import Refusal, UsageError
from bot.commands.grammar import WEEKDAYS, quote, weekday_of
from bot.schedule.model import Workshop
from bot.timefmt import clock, day_label

USAGE = (
    "Usage (organizers):\n"
    "`/announce <text>`: post to the announcement channel now, signed with your name.\n"
    "`/announce at <HH:MM | weekday HH:MM> <text>`: post it later (workshop time), "
    "e.g. `/announce at sun 13:15 Lunch is on the roof`.\n"
    "`/announce list`: what is scheduled.  `/announce cancel <id>`: cancel one.\n"
    "`/announce now <text>`: post text that starts with at, list, cancel or help.\n"
    "@here, @channel and mentions work as in a message."
)
_TIME = re.compile(r"(\d{1,2})(?::(\d{2}))?(am|pm)?", re.IGNORECASE)


@dataclass(frozen=True)
class When:
    """A parsed ``at`` clause: an optional day word and a time of day."""

    day: str | None
    hour: int
    minute: int


def _day_word(word: str) -> str | None:
    """A day word (today, tomorrow, a date, a weekday or its first letters), else None."""
    w = word.casefold()
    if w in ("today", "tomorrow") or re.fullmatch(r"\d{4}-\d{2}-\d{2}", w):
        return w
    return w if weekday_of(w) is not None else None


def parse_at(words: list[str]) -> tuple[When, int]:
    """``[day] <time> <text…>`` after ``at`` -> (when, how many words the when took)."""
    if not words:
        raise UsageError(USAGE, "When? e.g. `/announce at 13:15 <text>` or `/announce at sun 9:00 <text>`.")
    day = _day_word(words[0])
    used = 1 if day else 0
    said = words[used].casefold() if len(words) > used else ""
    if len(words) > used + 1 and words[used + 1].casefold() in ("am", "pm"):
        said, used = said + words[used + 1].casefold(), used + 1
    used += 1
    match = _TIME.fullmatch(said)
    if not match or not (match.group(2) or match.group(3)):
        shown = quote(" ".join(words[:2]))
        raise UsageError(
            USAGE,
            f"I couldn't read a time in `at {shown}`: write it as 13:15 or sun 13:15. "
            "(To post text that starts with “at”, use `/announce now at …`.)",
        )
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3) or ""
    if half:
        if not 1 <= hour <= 12:
            raise UsageError(USAGE, f"`{said}` is not a time: with am/pm the hour is 1 to 12.")
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        raise UsageError(USAGE, f"`{said}` is not a time of day (00:00 to 23:59).")
    if len(words) <= used:
        raise UsageError(USAGE, "What should the announcement say? Put the text after the time.")
    return When(day, hour, minute), used


def resolve(when: When, workshop: Workshop, now: datetime) -> datetime:
    """The instant ``when`` names in the workshop's zone: a weekday is the workshop's next day
    of that name (else the next calendar one); the past is refused."""
    zone = workshop.timezone
    today = now.astimezone(zone).date()
    if when.day in (None, "today"):
        day = today
    elif when.day == "tomorrow":
        day = today + timedelta(days=1)
    elif when.day[0].isdigit():
        try:
            day = date.fromisoformat(when.day)
        except ValueError:
            raise UsageError(USAGE, f"`{when.day}` is not a date.") from None
    else:
        weekday = weekday_of(when.day)
        ahead = [d for d in workshop.days if d.weekday() == weekday and d >= today]
        day = ahead[0] if ahead else today + timedelta(days=(weekday - today.weekday()) % 7)
    local = datetime(day.year, day.month, day.day, when.hour, when.minute, tzinfo=zone)
    if local.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise Refusal(f"{local:%H:%M} does not exist on {day_label(day)}: the clocks change then.")
    if local <= now:
        later = (
            "" if when.day else f" or a day, e.g. `/announce at {WEEKDAYS[(today.weekday() + 1) % 7][:3]} …`"
        )
        raise Refusal(
            f"{day_label(day)} {clock(local, zone)} has already passed "
            f"(it is {clock(now, zone)} now). Give a later time{later}, "
            "or post it now with `/announce <text>`."
        )
    return local
