"""What to announce and when: pure functions of the schedule, the policy and ``now``."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from bot.schedule.model import Kind, Session, Workshop

# Meals and breaks are off by default: people notice lunch without a ping.
DEFAULT_KINDS = frozenset(Kind) - {Kind.MEAL}
MAX_KEY = 200  # the ledger's key column


@dataclass(frozen=True)
class AnnouncementPolicy:
    """When session-start announcements go out, for which kinds, and how late is too late."""

    lead: timedelta = timedelta(minutes=5)
    lead_by_kind: Mapping[Kind, timedelta] = field(default_factory=dict)
    kinds: frozenset[Kind] = DEFAULT_KINDS
    # Missed while the bot was down: posted late up to this long after the due time.
    grace: timedelta = timedelta(minutes=10)
    # A post this much after its due time says so (the bot was catching up).
    late_after: timedelta = timedelta(minutes=1)
    # An organizer's "now" post waits this long, giving the name lookup (off the request)
    # time to sign it with the organizer's display name.
    name_wait: timedelta = timedelta(seconds=1.5)

    def __post_init__(self) -> None:
        for what, value in (("lead", self.lead), ("grace", self.grace), *self._kind_leads()):
            if value < timedelta(0):
                raise ValueError(f"{what} must not be negative (got {value})")

    def _kind_leads(self) -> list[tuple[str, timedelta]]:
        return [(f"lead for {kind.value}", lead) for kind, lead in self.lead_by_kind.items()]

    def announces(self, kind: Kind) -> bool:
        """Whether sessions of this kind get a start announcement."""
        return kind in self.kinds

    def lead_for(self, kind: Kind) -> timedelta:
        """How long before a session of this kind starts its announcement goes out."""
        return self.lead_by_kind.get(kind, self.lead)


@dataclass(frozen=True)
class Due:
    """One announcement: the sessions starting together at ``start``, due at ``due_at``."""

    start: datetime  # UTC
    due_at: datetime  # UTC
    sessions: tuple[Session, ...]

    @property
    def key(self) -> str:
        """The slot's id (one scheduler job per slot): its start instant."""
        return f"slot:{iso_utc(self.start)}"

    @property
    def keys(self) -> tuple[str, ...]:
        """The ledger keys, one per session: what is claimed before posting."""
        return tuple(session_key(s) for s in self.sessions)


class Timing(StrEnum):
    """Where ``now`` falls relative to an announcement's due time."""

    FUTURE = "future"  # schedule it
    DUE = "due"  # post it now
    LATE = "late"  # post it now, marked late (the bot was down or slow)
    TOO_OLD = "too_old"  # beyond the grace window: skip and log, never post as news


def iso_utc(instant: datetime) -> str:
    """'2023-08-05T18:00:00Z': the instant in UTC, as keys spell it (with fractions of a
    second only when it has them, so distinct instants never share a key)."""
    return instant.astimezone(UTC).isoformat().replace("+00:00", "Z")


def bounded_key(key: str) -> str:
    """The key itself, or its head plus a hash when it would not fit the ledger's column."""
    if len(key) <= MAX_KEY:
        return key
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return f"{key[: MAX_KEY - 17]}#{digest}"


def session_key(session: Session) -> str:
    """Ledger key of a session's start announcement; the start is part of it, so a session
    that moves gets a new announcement at its new time, and a room change does not."""
    return bounded_key(f"start:{session.id}@{iso_utc(session.start)}")


def due_announcements(workshop: Workshop, policy: AnnouncementPolicy) -> list[Due]:
    """Every start announcement of the schedule, parallel sessions grouped, by due time.

    Arithmetic is done in UTC: subtracting a lead from a local time would do wall-clock
    arithmetic and be an hour off across a daylight-saving change.
    """
    slots: dict[datetime, list[Session]] = {}
    for session in workshop.sessions:
        if policy.announces(session.kind):
            slots.setdefault(session.start.astimezone(UTC), []).append(session)
    dues = [
        Due(start=start, due_at=start - max(policy.lead_for(s.kind) for s in group), sessions=tuple(group))
        for start, group in slots.items()
    ]
    return sorted(dues, key=lambda d: (d.due_at, d.start))


def classify(due: Due | datetime, now: datetime, policy: AnnouncementPolicy) -> Timing:
    """Whether an announcement (or anything due at an instant) is future, due, late or too old."""
    due_at = due.due_at if isinstance(due, Due) else due
    if now < due_at:
        return Timing.FUTURE
    behind = now - due_at
    if behind < policy.late_after:
        return Timing.DUE
    if behind <= policy.grace:
        return Timing.LATE
    return Timing.TOO_OLD
