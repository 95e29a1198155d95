"""A calendar's events as timed values: the zone they are shown in, repeated UIDs, and the
hour the programme day changes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from bot.formats.common import MAX_DAY_CHANGE_HOUR, Draft, Line
from bot.formats.ics_export import DAY_CHANGE_PROPERTY
from bot.formats.zones import HOW_TO_SET, NoZone, choose_zone, named_zone
from bot.schedule.errors import Problem, ScheduleError
from bot.schedule.instants import local_instant

# A night ends by 06:00: an event running later the next morning is an overnight one (a
# hackathon), and moving the day change that late would put breakfast on the day before.
_NIGHT_ENDS = 6


@dataclass
class Timed:
    """A timed VEVENT with its instants; floating times get the zone once it is known."""

    event: Event
    where: str
    line: Line
    start: datetime
    end: datetime | None
    tzid: str | None


def zone_of(calendar: Calendar, timed: list[Timed], draft: Draft) -> ZoneInfo:
    """The zone to show times in: the events' own zone; the calendar's name for it only when
    the events carry none (UTC or floating times, as Google exports)."""
    calendar_zone = text_of(calendar.get("X-WR-TIMEZONE")) or None
    keys = Counter(
        t.start.tzinfo.key
        for t in timed
        if isinstance(t.start.tzinfo, ZoneInfo) and t.start.tzinfo.key != "UTC"
    )
    if keys:
        zone = ZoneInfo(keys.most_common(1)[0][0])
        if calendar_zone and calendar_zone != zone.key:
            draft.warn(
                f"X-WR-TIMEZONE '{calendar_zone}' is not the zone of the events' times; "
                f"they are in {zone.key}, which wins",
                "calendar",
            )
        return zone
    # Zones defined only by a VTIMEZONE of their own ("Custom Berlin"): match their offsets.
    custom = [t for t in timed if t.start.tzinfo is not None and not _is_utc(t.start)]
    if custom:
        name, label = (calendar_zone, "X-WR-TIMEZONE") if calendar_zone else (custom[0].tzid, "TZID")
        times = [v for t in custom for v in (t.start, t.end) if v is not None]
        try:
            zone, notes = choose_zone(name, times, label)
        except NoZone as exc:
            raise ScheduleError([Problem(draft.file, str(exc), None, "calendar")]) from None
        for note in notes:
            draft.warn(note, "calendar")
        return zone
    zone = named_zone(calendar_zone)
    if zone is not None:
        return zone
    if calendar_zone:
        draft.warn(
            f"X-WR-TIMEZONE '{calendar_zone}' is not a known time zone; times are shown in UTC", "calendar"
        )
    if any(t.start.tzinfo is None for t in timed):
        raise ScheduleError(
            [
                Problem(
                    draft.file,
                    "times have no time zone (no TZID, no Z) and the calendar names none "
                    f"(X-WR-TIMEZONE); {HOW_TO_SET}",
                    None,
                    "calendar",
                )
            ]
        )
    if timed:
        # UTC says when, not where: a conference is rarely held on UTC's clock.
        draft.warn(
            f"times are in UTC and the calendar names no zone (X-WR-TIMEZONE), so they are shown in UTC; {HOW_TO_SET}",
            "calendar",
        )
    return ZoneInfo("UTC")


def settle_repeats(timed: list[Timed], draft: Draft) -> list[Timed]:
    """One session per occurrence: events sharing a UID at different times are sessions of
    their own (ids in start order, so stable across reloads); an exact repeat is kept once."""
    timed = sorted(timed, key=lambda t: t.start)  # stable: parallel events keep file order
    seen: dict[tuple[str, datetime, datetime | None, str], Timed] = {}
    kept = []
    for t in timed:
        uid = text_of(t.event.get("UID"))
        key = (uid, t.start, t.end, text_of(t.event.get("LOCATION")))
        if (
            uid
            and key in seen
            and text_of(t.event.get("RECURRENCE-ID")) == text_of(seen[key].event.get("RECURRENCE-ID"))
        ):
            draft.warn(f"is listed twice (UID {uid}, same start and place); kept once", t.where, t.line)
            continue
        seen[key] = t
        kept.append(t)
    return kept


def _is_utc(value: datetime) -> bool:
    return value.utcoffset() == timedelta(0) and getattr(value.tzinfo, "key", "UTC") == "UTC"


def in_zone(value: datetime, zone: ZoneInfo) -> datetime:
    """An event's time in the schedule's zone; a floating one is wall-clock time there."""
    if value.tzinfo is None:  # floating: wall-clock time wherever the workshop is
        return local_instant(value.date(), value.time(), zone)
    return value.astimezone(zone)


def day_change_hour(timed: list[Timed], hint: int, draft: Draft) -> int:
    """Late enough that an event running past midnight stays on the night it started."""
    # The bot's own format reads clock times before the change hour as the next morning, so
    # an event ending at 01:30 needs the day to change at 02:00.
    nights = [
        (t, t.end.hour + 1 if t.end.date() == t.start.date() + timedelta(days=1) else 24)
        for t in timed
        if t.end is not None and t.end.date() > t.start.date()
    ]
    hour = max([hint, *(need for _, need in nights if need <= _NIGHT_ENDS)])
    for t, need in nights:
        if need > hour:
            draft.warn(
                f"runs overnight to {t.end:%Y-%m-%d %H:%M}; the bot's own format cannot hold "
                f"an end after {hour:02d}:00 the next day",
                t.where,
                t.line,
            )
    return hour


def hour_hint(calendar: Calendar) -> int:
    """The day change hour this bot's own export wrote, if the calendar is one of those."""
    hint = text_of(calendar.get(DAY_CHANGE_PROPERTY))
    return int(hint) if hint.isdigit() and int(hint) <= MAX_DAY_CHANGE_HOUR else 0


def text_of(value: Any) -> str:
    """A property's value as stripped text ("" when absent)."""
    return str(value).strip() if value is not None else ""
