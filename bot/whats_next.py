"""What is on now and what starts next: the answer to ``/next``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.schedule.model import Session, Workshop


class Phase(StrEnum):
    """Where ``now`` falls relative to the workshop."""

    BEFORE = "before"
    DURING = "during"
    AFTER = "after"
    EMPTY = "empty"


@dataclass(frozen=True)
class Slot:
    """Sessions that start together (parallel sessions share a slot)."""

    start: datetime
    sessions: tuple[Session, ...]


@dataclass(frozen=True)
class NextAnswer:
    """Plain data for ``/next``; adapters render it."""

    workshop: Workshop
    now: datetime
    phase: Phase
    current: tuple[Session, ...]
    upcoming: tuple[Slot, ...]

    @property
    def in_break(self) -> bool:
        """Nothing is on between two sessions of the same programme day (not overnight)."""
        if self.phase is not Phase.DURING or self.current or not self.upcoming:
            return False
        today = self.workshop.day_of(self.now)
        started_today = any(s.day == today and s.start <= self.now for s in self.workshop.sessions)
        return started_today and self.workshop.day_of(self.upcoming[0].start) == today


def upcoming_slots(workshop: Workshop, now: datetime, count: int) -> tuple[Slot, ...]:
    """The next ``count`` distinct start times after ``now``, each with its sessions."""
    slots: list[Slot] = []
    for session in workshop.sessions[workshop.index_after(now) :]:
        if slots and slots[-1].start == session.start:
            slots[-1] = Slot(session.start, (*slots[-1].sessions, session))
        elif len(slots) < count:
            slots.append(Slot(session.start, (session,)))
        else:
            break
    return tuple(slots)


def whats_next(workshop: Workshop, now: datetime, count: int = 1) -> NextAnswer:
    """Answer ``/next [count]`` at ``now``."""
    if not workshop.sessions:
        return NextAnswer(workshop, now, Phase.EMPTY, (), ())
    current = workshop.running_at(now)
    upcoming = upcoming_slots(workshop, now, count)
    if now < workshop.sessions[0].start:
        phase = Phase.BEFORE
    elif not current and not upcoming:
        phase = Phase.AFTER
    else:
        phase = Phase.DURING
    return NextAnswer(workshop, now, phase, current, upcoming)
