"""A frab schedule settled across the whole file: one session per occurrence of a guid, each
event on the day whose span holds it, and the hour the programme day changes."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.formats import frab_fields as fields
from bot.formats.common import MAX_DAY_CHANGE_HOUR, Draft
from bot.formats.frab_values import FrabDay, Read
from bot.schedule.model import Session


def settle_repeats(read: list[Read], draft: Draft) -> list[Read]:
    """One session per occurrence: a guid (or, without guids, an id) listed at two starts is
    two sessions; listed twice at the same start and room, one. In start order, so the ids
    the repeats get do not depend on where the file lists them."""
    read = sorted(read, key=lambda r: r.session.start)  # stable: parallel events keep file order
    seen: dict[str, list[Read]] = {}
    kept: list[Read] = []
    for r in read:
        key = r.event.guid.lower() or (f"id:{r.session.id}" if r.event.id is not None else "")
        earlier = seen.setdefault(key, []) if key else []
        b = r.session
        same = next(
            (
                o
                for o in earlier
                if (o.session.start, o.session.end, o.session.room) == (b.start, b.end, b.room)
            ),
            None,
        )
        first = earlier[0] if earlier else None
        earlier.append(r)
        if first is None:
            kept.append(r)
            continue
        name = f"guid {r.event.guid}" if r.event.guid else f"id {r.event.id}"
        other = same or first
        at = other.event.line()
        also = fields.where(other.event.id, other.event.title) + (f" (line {at})" if at else "")
        if same is not None:
            draft.warn(
                f"is listed twice ({name}, same start and room as {also}); kept once",
                fields.where(r.event.id, r.event.title),
                r.event.line,
            )
            earlier.pop()
            continue
        if r.event.guid:
            draft.warn(
                f"{name} is also the guid of {also} at {first.session.start:%Y-%m-%d %H:%M}: another "
                "occurrence, kept as a session of its own",
                fields.where(r.event.id, r.event.title),
                r.event.line,
            )
        kept.append(r)
    return kept


def by_spans(read: list[Read], days: list[FrabDay], zone: ZoneInfo) -> list[Read]:
    """Each event on the day whose span (the file's day start and end) holds its start."""
    spans = sorted(
        (start, end, d.date)
        for d in days
        if d.date
        and d.start
        and d.end
        # in the zone first: a file may write one end of a day with an offset, the other without
        and (start := fields.in_zone(d.start, zone)) < (end := fields.in_zone(d.end, zone))
    )
    if not spans:
        return read
    starts = [s for s, _, _ in spans]
    out = []
    for r in read:
        i = bisect_right(starts, r.session.start) - 1
        held = i >= 0 and r.session.start < spans[i][1]
        if held and spans[i][2] != r.session.day:
            r = r._replace(session=replace(r.session, day=spans[i][2]))
        out.append(r)
    return out


def day_change_hour(days: list[FrabDay], sessions: list[Session], zone: ZoneInfo, draft: Draft) -> int:
    """The hour the programme day changes: late enough for every night in the file."""
    hour = 0
    for day in days:
        if day.date and day.end:
            hour = max(hour, _hours_into_next_day(fields.in_zone(day.end, zone), day.date, is_day_end=True))
    for s in sessions:  # their instants are in the zone already
        for local in (s.start, s.end):
            if local:
                hour = max(hour, _hours_into_next_day(local, s.day, is_day_end=False))
    if hour > MAX_DAY_CHANGE_HOUR:
        draft.warn(
            f"a day runs until {hour:02d}:00 the next day; the bot's days end by "
            f"{MAX_DAY_CHANGE_HOUR}:00 the next day",
            "conference",
        )
    return min(hour, MAX_DAY_CHANGE_HOUR)


def _hours_into_next_day(local: datetime, day: date, is_day_end: bool) -> int:
    """The day change hour that keeps ``local`` on ``day``: 0 when it is on that date.

    A day ending at 04:00 the next morning needs 4; an event ending at 04:00 needs 5, because
    the bot's own format reads clock times before the change hour as the next morning.
    """
    if local.date() <= day:
        return 0
    if local.date() > day + timedelta(days=1):
        return 24
    if is_day_end:
        return local.hour + (1 if local.minute or local.second else 0)
    return local.hour + 1
