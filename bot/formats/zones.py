"""The time zone of an imported schedule, from its zone name and the offsets on its times."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

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


def named_zone(name: str | None) -> ZoneInfo | None:
    """The IANA zone called ``name``, or None if there is no such zone."""
    if not name or not name.strip():
        return None
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        return None


def choose_zone(
    name: str | None, times: Iterable[datetime], label: str
) -> tuple[ZoneInfo | None, str | None]:
    """The schedule's zone and a warning, if any, about how it was chosen.

    The offsets written on the times say when things happen; a zone name is only a label, so
    where they disagree the offsets win and the zone becomes one that fits them. ``label`` names
    the field the name came from, for the warning. The zone is None when the file gives neither
    a known name nor any offset.
    """
    named = named_zone(name)
    samples = {(t.astimezone(UTC), t.utcoffset()) for t in times if t.tzinfo is not None}
    if not samples:
        if named is None and name:
            return None, f"{label} '{name}' is not a known time zone and no time carries an offset"
        return named, None
    if named is not None and all(t.astimezone(named).utcoffset() == off for t, off in samples):
        return named, None
    fitted = _fit(samples, region=name.split("/")[0] + "/" if name and "/" in name else "")
    offsets = ", ".join(_offset(o) for o in sorted({off for _, off in samples}))
    if fitted is None:
        return None, f"the offsets on the times ({offsets}) fit no time zone"
    if not name:
        return fitted, None
    why = "is not a known time zone" if named is None else "disagrees with the offsets on the times"
    return fitted, f"{label} '{name}' {why} ({offsets}); the offsets win, so times are in {fitted.key}"


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
