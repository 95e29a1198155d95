"""When an organizer's announcement should go out: ``at [day] <time>``, read and resolved
in the workshop's time zone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from bot.commands.base import Refusal, UsageError
from bot.commands.grammar import WEEKDAYS, quote, weekday_of, words_of
from bot.schedule.model import Workshop
from bot.timefmt import clock, dated, day_label

USAGE = (
    "Usage (organizers):\n"
    "`/announce <text>`: post to the announcement channel now, signed with your name.\n"
    "`/announce at <HH:MM | weekday HH:MM> <text>`: post it later (workshop time), "
    "e.g. `/announce at sun 13:15 Lunch is on the roof`.\n"
    "`/announce list`: what is scheduled.  `/announce cancel <id>`: cancel one.\n"
    "`/announce now <text>`: post text that starts with at, list, cancel or help.\n"
    "@here, @channel and mentions work as in a message."
)
_TIME = re.compile(r"(\d{1,2})(?::(\d{2}))?(am|pm)?", re.IGNORECASE | re.ASCII)


@dataclass(frozen=True)
class When:
    """A parsed ``at`` clause: an optional day word and a time of day."""

    day: str | None
    hour: int
    minute: int
    half: str = ""  # "am" or "pm" when written so: the hour is then meant as said


def _day_word(word: str) -> str | None:
    """A day word (today, tomorrow, a date, a weekday or its first letters), else None."""
    w = word.casefold()
    if w in ("today", "tomorrow") or re.fullmatch(r"\d{4}-\d{2}-\d{2}", w, re.ASCII):
        return w
    return w if weekday_of(w) is not None else None


def parse_at(words: list[str]) -> tuple[When, int]:
    """``[day] <time> <text…>`` after ``at`` -> (when, how many words the when took)."""
    when, used = _read_when(words, " (To post text that starts with “at”, use `/announce now at …`.)")
    if len(words) <= used:
        raise UsageError(USAGE, "What should the announcement say? Put the text after the time.")
    return when, used


def parse_when(said: str) -> When:
    """``[day] <time>`` given on its own (a platform's typed option): all of it a time."""
    words = words_of(said)
    when, used = _read_when(words)
    if used < len(words):
        raise UsageError(USAGE, f"I couldn't read a time in `{quote(said)}`: write it as 13:15 or sun 13:15.")
    return when


def _read_when(words: list[str], hint: str = "") -> tuple[When, int]:
    """``[day] <time>`` at the start of ``words`` -> (when, how many words it took)."""
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
            USAGE, f"I couldn't read a time in `at {shown}`: write it as 13:15 or sun 13:15.{hint}"
        )
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3) or ""
    if half:
        if not 1 <= hour <= 12:
            raise UsageError(USAGE, f"`{said}` is not a time: with am/pm the hour is 1 to 12.")
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        raise UsageError(USAGE, f"`{said}` is not a time of day (00:00 to 23:59).")
    return When(day, hour, minute, half), used


@dataclass(frozen=True)
class Resolved:
    """When an announcement goes out, and a note for the organizer when that is outside the
    workshop's days or hours (stored all the same: they said so)."""

    at: datetime
    note: str | None = None


def resolve(when: When, workshop: Workshop, now: datetime) -> Resolved:
    """The instant ``when`` names in the workshop's zone: a weekday is the workshop's day of
    that name. Refused, with the question to answer, when it is in the past, names a weekday
    the workshop does not have, or is a 12-hour time ("1:30", the programme's own habit)
    that falls at night while the same time after noon is in the workshop's hours."""
    zone = workshop.timezone
    today = now.astimezone(zone).date()
    day = _day(when, workshop, today)
    local = datetime(day.year, day.month, day.day, when.hour, when.minute, tzinfo=zone)
    if local.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise Refusal(f"{local:%H:%M} does not exist on {day_label(day)}: the clocks change then.")
    hours = _hours(workshop, day)
    minute = when.hour * 60 + when.minute
    if hours and not when.half and 1 <= when.hour <= 11:
        afternoon = minute + 12 * 60
        if not _within(minute, hours) and _within(afternoon, hours):
            said = f"{when.hour}:{when.minute:02d}"
            word = f"{when.day} " if when.day else ""
            raise Refusal(
                f"{said} on {dated(day, today)} is at night, outside the workshop's hours "
                f"({_hhmm(hours[0])}-{_hhmm(hours[1])}). Did you mean {afternoon // 60}:{when.minute:02d}? "
                f"Write `/announce at {word}{afternoon // 60}:{when.minute:02d} …`, "
                f"or `at {word}{said}am …` for the night."
            )
    if local <= now:
        # A day the suggestion will be taken on: the workshop's next day (a weekday names
        # the workshop's day of that name), else tomorrow.
        ahead = next((d for d in workshop.days if d > today), None)
        word = WEEKDAYS[ahead.weekday()][:3] if ahead else "tomorrow"
        later = "" if when.day else f" or a day, e.g. `/announce at {word} {when.hour}:{when.minute:02d} …`"
        raise Refusal(
            f"{dated(day, today)} {clock(local, zone)} has already passed "
            f"(it is {clock(now, zone)} now). Give a later time{later}, "
            "or post it now with `/announce <text>`."
        )
    if workshop.days and day not in workshop.days:
        days = ", ".join(day_label(d) for d in workshop.days)
        return Resolved(local, f"{dated(day, today)} is not a day of the workshop ({days}).")
    if hours and not _within(minute, hours):
        span_ = f"{_hhmm(hours[0])}-{_hhmm(hours[1])}"
        return Resolved(local, f"{clock(local, zone)} is outside the workshop's hours that day ({span_}).")
    return Resolved(local)


def _day(when: When, workshop: Workshop, today: date) -> date:
    if when.day in (None, "today"):
        return today
    if when.day == "tomorrow":
        return today + timedelta(days=1)
    if when.day[0].isdigit():
        try:
            day = date.fromisoformat(when.day)
        except ValueError:
            raise UsageError(USAGE, f"`{when.day}` is not a date.") from None
        if day.year >= 9999:
            # The calendar's last days: their instants have no UTC, which the scheduler needs.
            raise Refusal(f"{day.isoformat()} is too far away for an announcement: give a nearer date.")
        return day
    weekday = weekday_of(when.day)
    ahead = [d for d in workshop.days if d.weekday() == weekday and d >= today]
    if ahead:
        return ahead[0]
    # Not a day of the workshop: the next calendar one is almost never what was meant.
    nearest = today + timedelta(days=(weekday - today.weekday()) % 7 or 7)
    days = ", ".join(day_label(d) for d in workshop.days if d >= today) or "none left"
    raise Refusal(
        f"The workshop has no {WEEKDAYS[weekday].capitalize()} ahead (its days: {days}). "
        f"To post on {dated(nearest, today)}, give the date: `/announce at {nearest.isoformat()} …`."
    )


# An hour either side of the programme counts as the workshop's hours (doors, breakfast).
_SLACK_MINUTES = 60


def _hours(workshop: Workshop, day: date) -> tuple[int, int] | None:
    """The workshop's hours, as minutes after midnight of ``day`` (of any of its days when
    ``day`` is not one): from an hour before its first start to an hour after its last end."""
    zone = workshop.timezone
    days = [day] if day in workshop.days else list(workshop.days)
    spans = []
    for d in days:
        midnight = datetime(d.year, d.month, d.day, tzinfo=zone)
        for s in workshop.sessions_on(d):
            start = (s.start - midnight).total_seconds() // 60
            end = ((s.end or s.start) - midnight).total_seconds() // 60
            spans.append((start, end))
    if not spans:
        return None
    return int(min(a for a, _ in spans)) - _SLACK_MINUTES, int(max(b for _, b in spans)) + _SLACK_MINUTES


def _within(minute: int, hours: tuple[int, int]) -> bool:
    low, high = hours
    return low <= minute <= high or low <= minute + 24 * 60 <= high


def _hhmm(minutes: int) -> str:
    minutes %= 24 * 60
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
