"""Readings for the current or next reading session, all of them, or a search."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.schedule.model import Kind, Reading, Session, Workshop


@dataclass(frozen=True)
class ReadingSection:
    """Readings under one heading: a session, or a search result."""

    session: Session | None
    readings: tuple[Reading, ...]
    is_current: bool = False


@dataclass(frozen=True)
class ReadingsAnswer:
    """Plain data for ``/readings``."""

    workshop: Workshop
    now: datetime
    mode: str  # "session", "all" or "search"
    sections: tuple[ReadingSection, ...]
    query: str | None = None


def readings_for_now(workshop: Workshop, now: datetime) -> ReadingsAnswer:
    """What to read: the session on now that lists readings (a reading session first, then a
    talk's related papers), else the next reading session, else the next session that lists
    any (imported schedules attach links to talks). Empty once none are left."""
    running = [s for s in workshop.running_at(now) if s.readings]
    if running:
        current = next((s for s in running if s.kind is Kind.READING), running[0])
        return ReadingsAnswer(
            workshop, now, "session", (ReadingSection(current, current.readings, is_current=True),)
        )
    later = [s for s in workshop.sessions[workshop.index_after(now) :] if s.readings]
    upcoming = next((s for s in later if s.kind is Kind.READING), later[0] if later else None)
    if upcoming is None:
        return ReadingsAnswer(workshop, now, "session", ())
    return ReadingsAnswer(workshop, now, "session", (ReadingSection(upcoming, upcoming.readings),))


def all_readings(workshop: Workshop, now: datetime) -> ReadingsAnswer:
    """Every session's readings, reading sessions and talks alike, in programme order."""
    sections = tuple(ReadingSection(s, s.readings) for s in workshop.sessions if s.readings)
    return ReadingsAnswer(workshop, now, "all", sections)


def search_readings(workshop: Workshop, now: datetime, query: str) -> ReadingsAnswer:
    """Readings whose title, authors or topics contain every word of ``query``."""
    words = [w.casefold() for w in query.split()]

    def matches(reading: Reading) -> bool:
        text = " ".join([reading.title, *reading.authors, *reading.topics]).casefold()
        return all(w in text for w in words)

    found = tuple(r for r in workshop.readings if matches(r))
    sections = (ReadingSection(None, found),) if found else ()
    return ReadingsAnswer(workshop, now, "search", sections, query)
