"""Checks across a whole workshop: ids, rooms, the unconference block; and a day file's
sessions in the small hours that its order says are afternoon ones."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.schedule.errors import Problem
from bot.schedule.fileformat import SessionIn
from bot.schedule.model import Kind, Session, Workshop

Origin = Callable[[Session], tuple[str, int | None]]


def check_workshop(
    workshop: Workshop, origin: Origin, workshop_file: str, complete: bool = True
) -> list[Problem]:
    """Every cross-session problem in ``workshop``; ``origin`` tells where a session came from.
    Not ``complete`` (a day file could not be read), the unconference block's session is not
    looked for: it may well be in that file, and saying it is missing would mislead."""
    problems: list[Problem] = []
    problems += _duplicate_ids(workshop, origin)
    problems += _room_overlaps(workshop, origin)
    problems += _unknown_rooms(workshop, origin, workshop_file)
    if complete:
        problems += _unconference(workshop, workshop_file)
    return problems


def _problem(session: Session, origin: Origin, message: str) -> Problem:
    file, line = origin(session)
    return Problem(file, message, line, f"session '{session.title}'")


def _duplicate_ids(workshop: Workshop, origin: Origin) -> list[Problem]:
    seen: dict[str, Session] = {}
    problems = []
    for s in workshop.sessions:
        if s.id in seen:
            first_file, first_line = origin(seen[s.id])
            at = f"{first_file}:{first_line}" if first_line else first_file
            problems.append(_problem(s, origin, f"duplicate id '{s.id}' (also used at {at})"))
        else:
            seen[s.id] = s
    return problems


def _room_overlaps(workshop: Workshop, origin: Origin) -> list[Problem]:
    by_room: dict[str, list[Session]] = {}
    for s in workshop.sessions:
        # Open-ended sessions (dinner "until late") yield the room to whatever follows.
        if s.room and s.end is not None:
            by_room.setdefault(s.room, []).append(s)
    problems = []
    tz = workshop.timezone
    for room, sessions in by_room.items():
        # Sessions come in start order: each is compared with the earlier ones still running
        # when it starts (a sweep), not with every other session of a congress's room.
        running: list[tuple[int, Session]] = []
        pairs: list[tuple[int, int]] = []
        for j, b in enumerate(sessions):
            running = [(i, a) for i, a in running if a.end > b.start]  # type: ignore[operator]
            pairs += [(i, j) for i, a in running if a.start < b.end]  # type: ignore[operator]
            running.append((j, b))
        for i, j in sorted(pairs):  # in the order every pair was always listed
            a, b = sessions[i], sessions[j]
            problems.append(
                _problem(
                    b,
                    origin,
                    (
                        f"overlaps '{a.title}' in room '{room}' "
                        f"({a.start.astimezone(tz):%H:%M}-{a.end.astimezone(tz):%H:%M})"  # type: ignore[union-attr]
                    ),
                )
            )
    return problems


def _unknown_rooms(workshop: Workshop, origin: Origin, workshop_file: str) -> list[Problem]:
    known = {r.name for r in workshop.rooms}
    if not known:
        return []
    return [
        _problem(s, origin, f"room '{s.room}' is not one of the rooms in {workshop_file}")
        for s in workshop.sessions
        if s.room and s.room not in known
    ]


def _unconference(workshop: Workshop, workshop_file: str) -> list[Problem]:
    block = workshop.unconference
    if block is None:
        return []
    session = workshop.session(block.session_id)
    if session is None:
        return [Problem(workshop_file, f"session '{block.session_id}' does not exist", None, "unconference")]
    if session.kind is not Kind.UNCONFERENCE:
        return [
            Problem(
                workshop_file,
                f"session '{block.session_id}' is a {session.kind.value}, not an unconference",
                None,
                "unconference",
            )
        ]
    if session.end is None:
        return [
            Problem(
                workshop_file,
                f"session '{block.session_id}' needs an end time",
                None,
                "unconference",
            )
        ]
    known = {r.name for r in workshop.rooms}
    return [
        Problem(
            workshop_file,
            f"room '{r.name}' is not one of the workshop's rooms",
            None,
            "unconference",
        )
        for r in block.rooms
        if known and r.name not in known
    ]


# Before this hour a session is "in the small hours": rare at a workshop, and what a
# 12-hour time without am/pm ("1:30", the page's habit for 13:30) turns into.
SMALL_HOURS_END = 7


def small_hours(sessions: Sequence[SessionIn], file: str, day_change_hour: int) -> list[str]:
    """Warnings for sessions in the small hours that come after a later one in the file: the
    file's order says afternoon, the time says night."""
    warnings, latest = [], None
    for s in sessions:
        night = day_change_hour <= s.start.hour < SMALL_HOURS_END
        if night and latest is not None and latest.start > s.start:
            pm = f"{s.start.hour + 12}:{s.start.minute:02d}"
            where = f"session '{s.title}'"
            message = (
                f"starts at {s.start:%H:%M}, in the small hours, though the file has it after "
                f"'{latest.title}' at {latest.start:%H:%M}; if it is in the afternoon, write start: \"{pm}\""
            )
            warnings.append(str(Problem(file, message, s.line, where)))
        if latest is None or s.start >= latest.start:
            latest = s
    return warnings
