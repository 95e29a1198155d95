"""Replay announcements on a simulated clock, with no chat platform: organizers check the
weekend's posts before it happens (``awair-bot rehearse``)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.announcements.changes import diff_schedules
from bot.announcements.messages import (
    Message,
    OrganizerPost,
    ScheduleChange,
    SessionStart,
    render_text,
)
from bot.announcements.plan import (
    AnnouncementPolicy,
    Timing,
    classify,
    due_announcements,
    session_key,
)
from bot.schedule.model import Workshop


@dataclass(frozen=True)
class PlannedNote:
    """An organizer announcement to include in a rehearsal."""

    due_at: datetime
    text: str
    author_name: str = "an organizer"


def rehearse(
    workshop: Workshop,
    policy: AnnouncementPolicy | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    speed: float = 0.0,
    *,
    sleep: Callable[[float], None] = time.sleep,
    reloads: Sequence[tuple[datetime, Workshop]] = (),
    notes: Sequence[PlannedNote] = (),
) -> Iterator[tuple[datetime, str]]:
    """Every post between ``start`` and ``end`` as (simulated time, plain text), in order.

    ``speed`` is simulated seconds per real second; 0 or infinity replays instantly.
    ``reloads`` are edited schedules taking effect at given instants: they yield change
    notices and move announcements as the live bot would. Mirrors the live bot's rules:
    a post already made is not made again, and one missed at ``start`` within the grace
    window is posted late.
    """
    posts = timeline(workshop, policy, start, end, reloads, notes)
    yield from replay(((when, render_text(message)) for when, message in posts), speed, sleep)


def replay(
    events: Iterable[tuple[datetime, str]], speed: float, sleep: Callable[[float], None]
) -> Iterator[tuple[datetime, str]]:
    """Pace ``events`` at ``speed`` simulated seconds per real second (0/inf: no waiting)."""
    paced = speed > 0 and math.isfinite(speed)
    previous: datetime | None = None
    for when, text in events:
        if paced and previous is not None and when > previous:
            sleep((when - previous).total_seconds() / speed)
        previous = when
        yield when, text


def timeline(
    workshop: Workshop,
    policy: AnnouncementPolicy | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    reloads: Sequence[tuple[datetime, Workshop]] = (),
    notes: Sequence[PlannedNote] = (),
) -> list[tuple[datetime, Message]]:
    """The posts of a rehearsal as values, sorted by simulated time (at one instant: change
    notices, then announcements, then organizers' notes)."""
    policy = policy or AnnouncementPolicy()
    zone = workshop.timezone
    plan = due_announcements(workshop, policy)
    if start is None:  # from the first thing that happens
        firsts = [*(d.due_at for d in plan[:1]), *(at for at, _ in reloads), *(n.due_at for n in notes)]
        start = min(firsts) if firsts else datetime.max.replace(tzinfo=UTC)
    end = end or datetime.max.replace(tzinfo=start.tzinfo)
    posts: list[tuple[datetime, int, Message]] = []
    posted: set[str] = set()
    current = workshop
    timed = sorted((r for r in reloads if start <= r[0] < end), key=lambda r: r[0])
    segments: list[tuple[datetime, Workshop | None]] = [*timed, (end, None)]
    t0, first = start, True
    for t1, new in segments:
        for due in due_announcements(current, policy):
            keys = [k for k in due.keys if k not in posted]
            if not keys or due.due_at >= t1:
                continue
            at = max(due.due_at, t0)
            timing = classify(due, at, policy)
            if timing is Timing.TOO_OLD:
                continue
            sessions = tuple(s for s in due.sessions if session_key(s) in keys)
            late = first and timing is Timing.LATE
            posts.append((at, 1, SessionStart(due.start, zone, sessions, at, late)))
            posted.update(keys)
        if new is None:
            break
        changes = [c for c in diff_schedules(current, new, t1) if c.key not in posted]
        if changes:
            posts.append((t1, 0, ScheduleChange(tuple(changes), zone, t1)))
            posted.update(c.key for c in changes)
        current, t0, first = new, t1, False
    for i, note in enumerate(sorted(notes, key=lambda n: n.due_at)):
        if start <= note.due_at < end:
            message = OrganizerPost(-(i + 1), note.text, "", note.author_name, note.due_at, zone)
            posts.append((note.due_at, 2, message))
    return [(when, message) for when, _, message in sorted(posts, key=lambda p: (p[0], p[1]))]
