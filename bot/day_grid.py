"""A programme day as a grid: rooms as columns, time down the side, now marked (``/day``).

Time is cut into rows of ``STEP``; a session covers the rows from its start to its end
(an open-ended one to the bottom of the grid). Sessions that overlap in one column (the
parallel sessions that name no room) get lanes side by side, so nothing is drawn over
anything else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.agenda import Status, day_agenda
from bot.schedule.model import Session, Workshop

STEP = timedelta(minutes=5)
# An open-ended session ("18:30-late") is drawn at least this long.
OPEN_ENDED_SHOWN = timedelta(hours=1)


@dataclass(frozen=True)
class GridColumn:
    """One column: a room (None for sessions that name no room) and a lane within it."""

    room: str | None
    lane: int
    lanes: int  # how many lanes the room has (for its heading's width)


@dataclass(frozen=True)
class GridCell:
    """A session placed on the grid: its column and the rows it covers."""

    session: Session
    status: Status
    column: int
    first_row: int
    rows: int


@dataclass(frozen=True)
class DayGrid:
    """Plain data for ``/day``; adapters draw it."""

    workshop: Workshop
    day: date
    now: datetime
    start: datetime  # the instant of row 0
    rows: int
    columns: tuple[GridColumn, ...]
    cells: tuple[GridCell, ...]
    now_row: int | None  # the row ``now`` falls in, when it falls in this grid

    def row_time(self, row: int) -> datetime:
        """The instant a row starts."""
        return self.start + row * STEP


def day_grid(workshop: Workshop, day: date, now: datetime) -> DayGrid:
    """The grid of programme day ``day`` at ``now`` (published unconference sessions included,
    as they are in the schedule)."""
    items = day_agenda(workshop, day, now).items
    zone = workshop.timezone
    if not items:
        start = datetime(day.year, day.month, day.day, 9, tzinfo=zone)
        return DayGrid(workshop, day, now, start, 0, (), (), None)
    first = min(i.session.start for i in items).astimezone(zone)
    start = first.replace(minute=0, second=0, microsecond=0)
    ends = [_drawn_end(i.session) for i in items]
    rows = _ceil_rows(max(ends) - start)
    rows += (-rows) % 12  # down to a whole hour
    end = start + rows * STEP
    lanes = _lanes([i.session for i in items], end)
    columns = _columns(workshop, lanes)
    index = {(c.room, c.lane): n for n, c in enumerate(columns)}
    cells = []
    for item in items:
        s = item.session
        first_row = int((s.start - start) / STEP)
        last_row = _ceil_rows(min(_drawn_end(s, end), end) - start)
        column = index[(s.room, lanes[s.id])]
        cells.append(GridCell(s, item.status, column, first_row, max(1, last_row - first_row)))
    now_row = int((now - start) / STEP) if start <= now < end else None
    return DayGrid(workshop, day, now, start, rows, tuple(columns), tuple(cells), now_row)


def _drawn_end(session: Session, grid_end: datetime | None = None) -> datetime:
    if session.end is not None:
        return session.end
    if grid_end is not None:
        return grid_end
    return session.start + OPEN_ENDED_SHOWN


def _ceil_rows(delta: timedelta) -> int:
    return -int(-delta // STEP)


def _lanes(sessions: list[Session], grid_end: datetime) -> dict[str, int]:
    """Each session's lane in its room: the first lane free at its start."""
    lane_ends: dict[str | None, list[datetime]] = {}
    lanes: dict[str, int] = {}
    for s in sorted(sessions, key=lambda s: s.start):  # stable: the schedule's order
        ends = lane_ends.setdefault(s.room, [])
        free = next((n for n, e in enumerate(ends) if e <= s.start), None)
        if free is None:
            free = len(ends)
            ends.append(s.start)
        ends[free] = _drawn_end(s, grid_end)
        lanes[s.id] = free
    return lanes


def _columns(workshop: Workshop, lanes: dict[str, int]) -> list[GridColumn]:
    sessions = {s.id: s for s in workshop.sessions}
    count: dict[str | None, int] = {}
    for session_id, lane in lanes.items():
        room = sessions[session_id].room
        count[room] = max(count.get(room, 0), lane + 1)
    order: list[str | None] = [None] if None in count else []
    order += [r.name for r in workshop.rooms if r.name in count]
    order += sorted(r for r in count if r is not None and r not in order)
    return [GridColumn(room, lane, count[room]) for room in order for lane in range(count[room])]
