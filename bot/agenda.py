"""A day's programme, marked past / now / next: the answer to ``/schedule``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from bot.schedule.model import Session, Workshop
from bot.whats_next import upcoming_slots


class Status(StrEnum):
    """Where a session stands at the moment of asking."""

    PAST = "past"
    NOW = "now"
    NEXT = "next"
    LATER = "later"


@dataclass(frozen=True)
class AgendaItem:
    """One session of the day and its status."""

    session: Session
    status: Status


@dataclass(frozen=True)
class DayAgenda:
    """Plain data for ``/schedule``."""

    workshop: Workshop
    day: date | None  # None: a search of the whole workshop
    now: datetime
    items: tuple[AgendaItem, ...]
    filter: str | None = None
    hidden: int = 0  # sessions of the day that the filter left out


def day_agenda(
    workshop: Workshop, day: date | None, now: datetime, filter_text: str | None = None
) -> DayAgenda:
    """The programme of ``day`` (None: every day) at ``now``; ``filter_text`` keeps the
    sessions that have each of its words (``matches``)."""
    next_slot = upcoming_slots(workshop, now, 1)
    next_ids = {s.id for s in next_slot[0].sessions} if next_slot else set()
    items, hidden = [], 0
    for session in workshop.sessions_on(day) if day is not None else workshop.sessions:
        if filter_text and not matches(session, filter_text):
            hidden += 1
            continue
        if session.is_on(now, workshop.day_end(session.day)):
            status = Status.NOW
        elif session.id in next_ids:
            status = Status.NEXT
        elif session.start <= now:
            status = Status.PAST
        else:
            status = Status.LATER
        items.append(AgendaItem(session, status))
    return DayAgenda(workshop, day, now, tuple(items), filter_text, hidden)


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.casefold()))


def matches(session: Session, text: str) -> bool:
    """Whether every word of ``text`` is a word of the session's title, room, track, kind,
    speakers or their affiliations (whole words, any case, a plural's ``s`` aside): "ARC" is
    the affiliation, not the middle of "research"."""
    fields = [session.title, session.room or "", session.track or "", session.kind.value, session.kind.label]
    fields += [f"{p.name} {p.affiliation or ''}" for p in session.speakers]
    haystack = set().union(*(_words(f) for f in fields))
    return all(w in haystack or (w.endswith("s") and w[:-1] in haystack) for w in _words(text))


def default_day(workshop: Workshop, now: datetime) -> date:
    """Today if it is a programme day; before the workshop its first day; between days the
    next one; after it the last one."""
    days = workshop.days
    today = workshop.day_of(now)
    if not days:
        return today
    return next((d for d in days if d >= today), days[-1])


def fit_window(
    items: tuple[AgendaItem, ...], costs: list[int], budget: int
) -> tuple[list[int], list[Session], list[Session]]:
    """Which items of a day to show within ``budget`` (indices), each costing ``costs[i]``,
    and the sessions left out before and after them: every platform's message has a size
    limit. What is on now and later comes first, in order; then, if all of that fits,
    as many of the latest past ones as fit. A day that is over reads from its start."""
    ahead = [i for i, item in enumerate(items) if item.status is not Status.PAST]
    past = [i for i, item in enumerate(items) if item.status is Status.PAST]
    order = [*ahead, *reversed(past)] if ahead else past
    shown: set[int] = set()
    for i in order:
        if costs[i] > budget:
            break
        budget -= costs[i]
        shown.add(i)
    left_out = [i for i in range(len(items)) if i not in shown]
    earlier = [items[i].session for i in left_out if ahead and items[i].status is Status.PAST]
    later = [items[i].session for i in left_out if not (ahead and items[i].status is Status.PAST)]
    return sorted(shown), earlier, later
