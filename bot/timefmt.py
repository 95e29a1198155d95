"""How times read to people: "11:00 PT", "in 15 min", "Sat 5 Aug"."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

# Zones where people say "PT", not "PDT"/"PST": North American generic names.
_GENERIC_PREFIXES = ("America/", "US/", "Canada/", "Pacific/Honolulu")


def zone_label(zone: ZoneInfo, at: datetime) -> str:
    """Short zone name as attendees say it: 'PT' for Los Angeles, 'CEST' for Berlin."""
    abbr = at.astimezone(zone).tzname() or ""
    if zone.key.startswith(_GENERIC_PREFIXES) and len(abbr) == 3 and abbr[1] in "SD" and abbr[2] == "T":
        return abbr[0] + "T"
    if abbr[:1] in "+-":
        return f"UTC{abbr}"
    return abbr


def clock(at: datetime, zone: ZoneInfo, with_zone: bool = True) -> str:
    """'11:00 PT' (24-hour, in the workshop's zone)."""
    local = at.astimezone(zone)
    return f"{local:%H:%M} {zone_label(zone, at)}" if with_zone else f"{local:%H:%M}"


def day_label(day: date) -> str:
    """'Sat 5 Aug'."""
    return f"{day:%a} {day.day} {day:%b}"


def dated(day: date, today: date) -> str:
    """'Sat 5 Aug', with the year when it is not ``today``'s: 'Tue 1 Jan 2030'."""
    return day_label(day) if day.year == today.year else f"{day_label(day)} {day.year}"


def duration(delta: timedelta) -> str:
    """'15 min', '1 h 20 min', '2 h', '3 days'."""
    minutes = int(round(delta.total_seconds() / 60))
    if minutes < 1:
        return "under a minute"
    if minutes >= 48 * 60:
        return f"{round(minutes / 1440)} days"
    hours, mins = divmod(minutes, 60)
    if not hours:
        return f"{mins} min"
    return f"{hours} h {mins} min" if mins else f"{hours} h"


def minutes_until(at: datetime, now: datetime) -> int:
    """Whole minutes from ``now`` to ``at``, the nearest, a half rounded towards ``at``
    having come: 5 min 6 s is 5, 5 min 30 s is 5, 5 min 31 s is 6; 30 s ago is 1 min ago.

    So the figure changes only on the whole and half minutes of ``now`` (for times on the
    minute, as schedules are), and an answer made at the start of a half minute is right
    for every instant of it (``bot.memo``)."""
    return math.ceil((at - now).total_seconds() / 60 - 0.5)


def _minutes(n: int) -> str:
    return duration(timedelta(minutes=n))


def until(at: datetime, now: datetime) -> str:
    """Relative hint for a start: 'in 15 min', 'now', 'started 5 min ago'."""
    n = minutes_until(at, now)
    if n == 0:
        return "in under a minute" if at > now else "now"  # not "now" before it has started
    return f"in {_minutes(n)}" if n > 0 else f"started {_minutes(-n)} ago"


def ends_in(end: datetime | None, now: datetime) -> str:
    """Relative hint for an end: 'ends in 20 min', or 'open-ended'."""
    if end is None:
        return "open-ended"
    return f"ends in {_minutes(max(minutes_until(end, now), 0))}"


def span(start: datetime, end: datetime | None, zone: ZoneInfo) -> str:
    """'11:00-12:10 PT', or '18:30-late PT' for an open-ended session."""
    tail = clock(end, zone, with_zone=False) if end else "late"
    return f"{clock(start, zone, with_zone=False)}-{tail} {zone_label(zone, start)}"
