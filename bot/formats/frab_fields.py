"""Values of a frab schedule: times, durations, descriptions, and refusing what makes no sense."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.formats.common import html_to_text
from bot.schedule.instants import local_instant

_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
_DURATION = re.compile(r"^(?:(\d+):)?(\d{1,3}):(\d{2})(?::(\d{2}))?$")  # [D:]HH:MM[:SS]


class Unreadable(ValueError):
    """A value that does not mean what the format says it should."""


def parse_instant(value: str) -> datetime:
    """An ISO 8601 date-time, with or without an offset ("2019-08-22T12:00:00+02:00")."""
    return datetime.fromisoformat(value.strip())


def instant(value: str, key: str) -> datetime:
    """``parse_instant``, refusing with the field's name."""
    try:
        return parse_instant(value)
    except ValueError:
        raise Unreadable(f"{key} '{value}' is not an ISO 8601 date and time") from None


def clock(value: str) -> time:
    """A start time of day, "HH:MM" or "HH:MM:SS"."""
    match = _CLOCK.match(value)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise Unreadable(f"start '{value}' is not a time of day (HH:MM)")
    return time(int(match[1]), int(match[2]), int(match[3] or 0))


def duration(value: str) -> timedelta:
    """A duration, "HH:MM", "HH:MM:SS" or "D:HH:MM"."""
    match = _DURATION.match(value)
    if not match:
        raise Unreadable(f"duration '{value}' is not a duration (HH:MM)")
    days, hours, minutes, seconds = (int(g or 0) for g in match.groups())
    return timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)


def where(raw_id: Any, title: Any) -> str:
    """How messages name an event: "event 10400 'OpenCodes'"."""
    return (
        "event"
        + (f" {raw_id}" if raw_id is not None else "")
        + (f" '{title}'" if isinstance(title, str) and title.strip() else "")
    )


def description(subtitle: str, abstract: str, text: str) -> str:
    """Subtitle, abstract and description as plain text, without saying a thing twice."""
    parts = [part for raw in (subtitle, abstract, text) if raw and (part := html_to_text(raw))]
    if len(parts) < 2:  # most events: one of the three, or none
        return parts[0] if parts else ""
    kept: list[str] = []
    for part in parts:
        if any(k.startswith(part) for k in kept):
            continue
        # pretalx descriptions often open with the abstract: keep the longer one.
        kept = [k for k in kept if not part.startswith(k)]
        kept.append(part)
    return "\n\n".join(kept)


def in_zone(value: datetime, zone: ZoneInfo) -> datetime:
    """An instant of the file in the schedule's zone; one without offset is local time there."""
    if value.tzinfo is None:  # no offset: a wall-clock time in the schedule's zone
        return local_instant(value.date(), value.time(), zone)
    return value.astimezone(zone)
