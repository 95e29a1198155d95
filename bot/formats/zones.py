"""The time zone of an imported schedule: a setting, the file's zone name, or its offsets.

An offset on a timestamp says which instant it is, not where the conference is: a conference
in India may write its instants in UTC. So the zone comes, in this order, from
``SCHEDULE_TIMEZONE`` (the organizer's word), the file's zone name, and only when there is
no name from the offsets. A name loses only to the wall-clock times the file writes beside
its instants (frab's ``<start>`` beside ``<date>``): when those read differently in the named
zone, the name is the mistake.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

SETTING = "SCHEDULE_TIMEZONE"
HOW_TO_SET = f"set {SETTING} (or --timezone) to the conference's zone, an IANA name such as Europe/Berlin"

# Where offsets must be matched to a zone's rules, regions are tried in this order (the tools
# these files come from are mostly used in Europe), after the region of a misfitting name.
_REGIONS = (
    "Europe/",
    "America/",
    "Asia/",
    "Australia/",
    "Pacific/",
    "Africa/",
    "Atlantic/",
    "Indian/",
    "Antarctica/",
)


class NoZone(ValueError):
    """The file says nothing that gives a time zone; the message names the setting that does."""


def named_zone(name: str | None) -> ZoneInfo | None:
    """The IANA zone called ``name``, or None if there is no such zone."""
    if not name or not name.strip():
        return None
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError, OSError):  # "America" is a folder of zones
        return None


def choose_zone(
    name: str | None,
    times: Iterable[datetime],
    label: str,
    *,
    wall_clocks: Iterable[tuple[datetime, time]] = (),
    override: ZoneInfo | None = None,
) -> tuple[ZoneInfo, list[str]]:
    """The schedule's zone and the warnings about how it was chosen.

    ``times`` are instants from the file (with or without offsets); ``wall_clocks`` pairs an
    instant with the clock time the file writes beside it; ``label`` names the field the name
    came from. Raises ``NoZone`` when neither a setting, a known name nor an offset gives one.
    """
    named = named_zone(name)
    if override is not None:
        if named is not None and named.key != override.key:
            return override, [f"{label} '{name}' is overridden by {SETTING}={override.key}"]
        return override, []
    samples = {(t.astimezone(UTC), t.utcoffset()) for t in times if t.tzinfo is not None}
    if named is not None:
        clash = _contradiction(named, wall_clocks)
        if clash is None:
            return named, []
    offsets = ", ".join(_offset(o) for o in sorted({off for _, off in samples if off is not None}))
    region = name.split("/")[0] + "/" if name and "/" in name else ""
    fitted = _fit(samples, region) if samples else None
    if named is not None:  # and the clocks beside the instants read otherwise in it
        if fitted is None:
            return named, [f"{label} '{name}' {clash}; {HOW_TO_SET} if the times are shown wrong"]
        return fitted, [
            f"{label} '{name}' {clash}; the offsets ({offsets}) agree with the clocks, so times "
            f"are in {fitted.key}; {HOW_TO_SET} to be sure"
        ]
    if name:
        if fitted is None:
            raise NoZone(
                f"{label} '{name}' is not a known time zone and no time carries an offset; {HOW_TO_SET}"
            )
        return fitted, [
            f"{label} '{name}' is not a known time zone; the offsets ({offsets}) give {fitted.key}; {HOW_TO_SET}"
        ]
    if not samples:
        raise NoZone(f"no time zone: no {label}, and no time carries an offset; {HOW_TO_SET}")
    if fitted is None:
        raise NoZone(f"no {label}, and the offsets on the times ({offsets}) fit no time zone; {HOW_TO_SET}")
    fixed = fitted.key == "UTC" or fitted.key.startswith("Etc/")
    knows = "a fixed offset that knows no daylight saving" if fixed else "a guess from the offsets"
    return fitted, [f"no {label}: times are shown in {fitted.key}, {knows}; {HOW_TO_SET}"]


def _contradiction(zone: ZoneInfo, wall_clocks: Iterable[tuple[datetime, time]]) -> str | None:
    """How the clocks written beside the instants disagree with ``zone``, if they do."""
    pairs = [(t, c) for t, c in wall_clocks if t.tzinfo is not None]
    wrong = [(t, c) for t, c in pairs if _hm(t.astimezone(zone).time()) != _hm(c)]
    # One slip in a thousand is a typo in an event, not the conference's zone.
    if not wrong or len(wrong) * 2 < len(pairs):
        return None
    t, c = wrong[0]
    return (
        f"contradicts the start times written beside the instants ({len(wrong)} of {len(pairs)}; "
        f"e.g. {c:%H:%M} is written for {t.astimezone(zone):%H:%M} in {zone.key})"
    )


def _hm(value: time) -> tuple[int, int]:
    return value.hour, value.minute


def _fit(samples: set[tuple[datetime, timedelta | None]], region: str) -> ZoneInfo | None:
    offsets = {off for _, off in samples if off is not None}
    if len(offsets) == 1:
        (off,) = offsets
        hours, rest = divmod(off, timedelta(hours=1))
        if not rest:
            # A fixed offset is all the file states; don't guess a city's DST rules from it.
            # Etc/GMT names count the other way round: Etc/GMT-1 is UTC+01:00.
            return ZoneInfo("UTC" if hours == 0 else f"Etc/GMT{-hours:+d}")
    # Offsets that change (a DST switch during the event) or half hours: the first zone whose
    # rules give every offset seen.
    candidates = (
        sorted(_region_zones(), key=lambda z: not z.key.startswith(region)) if region else _region_zones()
    )
    return next(
        (z for z in candidates if all(t.astimezone(z).utcoffset() == off for t, off in samples)), None
    )


@cache
def _region_zones() -> tuple[ZoneInfo, ...]:
    names = sorted(available_timezones())
    return tuple(ZoneInfo(n) for region in _REGIONS for n in names if n.startswith(region))


def _offset(off: timedelta | None) -> str:
    minutes = int((off or timedelta()).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
