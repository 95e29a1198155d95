"""The lobby board and the door signs: every room's session on now and next, as a value.

The board is built on the answer to ``/next`` (``whats_next``): what it says is on now and
what starts next across the venue is exactly what ``/next`` says at the same instant. It
adds the per-room view (a room's next session and the rest of its day), how much of each
session is left, and the state the screen is in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from bot.agenda import default_day
from bot.schedule.model import Session, Workshop
from bot.schedule.slugs import slugify
from bot.whats_next import NextAnswer, Phase, Slot, whats_next

# An organizer's announcement is news for a while, not all weekend: "lunch is ready" must not
# greet people the next morning.
NOTICE_SHOWN_FOR = timedelta(hours=6)


class BoardState(StrEnum):
    """What the screen as a whole says."""

    EMPTY = "empty"  # the schedule has no sessions
    BEFORE = "before"  # the workshop has not started
    ON = "on"  # something is on
    BREAK = "break"  # nothing on between two sessions of the same day
    NOT_YET = "not_yet"  # a programme day whose first session is still ahead
    DAY_OVER = "day_over"  # today's programme is done; more on a later day
    OVER = "over"  # the workshop is over


@dataclass(frozen=True)
class Notice:
    """An organizer's announcement as the board shows it: plain text, never markup."""

    text: str
    author: str
    at: datetime


@dataclass(frozen=True)
class OnNow:
    """A session running now and how much of it is left."""

    session: Session
    end: datetime | None  # None: open-ended ("18:30-late")
    left: timedelta | None
    left_fraction: float | None  # 1.0 at its start, 0.0 at its end; None when open-ended


@dataclass(frozen=True)
class RoomBoard:
    """One room on the board; ``room`` None is the sessions that name no room."""

    room: str | None
    on_now: tuple[OnNow, ...]
    next: tuple[Session, ...]  # the room's next start today (parallel roomless ones share it)
    later: tuple[Session, ...]  # the rest of the room's day after ``next``

    @property
    def done_for_the_day(self) -> bool:
        """Nothing on and nothing more today in this room."""
        return not self.on_now and not self.next


@dataclass(frozen=True)
class Board:
    """Everything the lobby screen shows at ``now``; adapters render it."""

    workshop: Workshop
    now: datetime
    day: date  # the programme day the rooms are shown for
    state: BoardState
    rooms: tuple[RoomBoard, ...]
    next_slot: Slot | None  # the next start across the venue, as /next gives it
    notice: Notice | None
    answer: NextAnswer

    def room(self, name: str) -> RoomBoard:
        """The room called ``name`` (as ``find_room`` gives it), empty if nothing is in it today."""
        return next((r for r in self.rooms if r.room == name), RoomBoard(name, (), (), ()))


def build_board(workshop: Workshop, now: datetime, notice: Notice | None = None) -> Board:
    """The board at ``now``, with ``notice`` (the latest organizer announcement) if it is
    recent enough to be news."""
    answer = whats_next(workshop, now, 1)
    day = default_day(workshop, now)
    sessions = workshop.sessions_on(day)
    state = _state(workshop, answer)
    rooms = tuple(_room(answer, room, sessions) for room in _rooms_of(workshop, sessions))
    if state in (BoardState.OVER, BoardState.EMPTY):
        rooms = ()
    shown = notice if notice and notice.at <= now < notice.at + NOTICE_SHOWN_FOR else None
    next_slot = answer.upcoming[0] if answer.upcoming else None
    return Board(workshop, now, day, state, rooms, next_slot, shown, answer)


def find_room(workshop: Workshop, text: str) -> str | None:
    """The room named by ``text`` (its name in any case, or its slug: 'garden-room'), among
    the venue's rooms and every room a session uses; None if there is no such room."""
    wanted = text.strip().casefold()
    names = [r.name for r in workshop.rooms] + [s.room for s in workshop.sessions if s.room]
    return next((n for n in names if wanted in (n.casefold(), slugify(n, limit=200))), None)


def room_names(workshop: Workshop) -> tuple[str, ...]:
    """Every room a door sign can be shown for: the venue's, then any other a session uses."""
    names = dict.fromkeys(r.name for r in workshop.rooms)
    names.update(dict.fromkeys(s.room for s in workshop.sessions if s.room))
    return tuple(names)


def time_left(session: Session, now: datetime) -> OnNow:
    """How much of a running session is left at ``now``."""
    if session.end is None:
        return OnNow(session, None, None, None)
    length = (session.end - session.start).total_seconds()
    left = session.end - now
    fraction = min(1.0, max(0.0, left.total_seconds() / length)) if length > 0 else 0.0
    return OnNow(session, session.end, left, fraction)


def _rooms_of(workshop: Workshop, sessions: tuple[Session, ...]) -> list[str | None]:
    """The rooms in use on a day: roomless sessions first, then the venue's order."""
    used = {s.room for s in sessions}
    ordered: list[str | None] = [None] if None in used else []
    ordered += [r.name for r in workshop.rooms if r.name in used]
    ordered += [r for r in dict.fromkeys(s.room for s in sessions) if r is not None and r not in ordered]
    return ordered


def _room(answer: NextAnswer, room: str | None, day: tuple[Session, ...]) -> RoomBoard:
    now = answer.now
    current = tuple(time_left(s, now) for s in answer.current if s.room == room)
    ahead = [s for s in day if s.room == room and s.start > now]
    if not ahead:
        return RoomBoard(room, current, (), ())
    first = ahead[0].start
    return RoomBoard(
        room,
        current,
        tuple(s for s in ahead if s.start == first),
        tuple(s for s in ahead if s.start != first),
    )


def _state(workshop: Workshop, answer: NextAnswer) -> BoardState:
    if answer.phase is Phase.EMPTY:
        return BoardState.EMPTY
    if answer.phase is Phase.AFTER:
        return BoardState.OVER
    if answer.phase is Phase.BEFORE:
        return BoardState.BEFORE
    if answer.current:
        return BoardState.ON
    if answer.in_break:
        return BoardState.BREAK
    today = workshop.day_of(answer.now)
    started_today = any(s.day == today and s.start <= answer.now for s in workshop.sessions)
    return BoardState.DAY_OVER if started_today else BoardState.NOT_YET


def board_changes(
    workshop: Workshop, start: datetime | None = None, end: datetime | None = None
) -> list[datetime]:
    """The instants in [start, end) at which the board changes (a session starts or ends),
    with ``start`` itself first; by default the whole programme."""
    moments = {s.start for s in workshop.sessions}
    moments |= {s.effective_end(workshop.day_end(s.day)) for s in workshop.sessions}
    if not moments:
        return []
    start = start or min(moments)
    end = end or max(moments) + timedelta(seconds=1)
    return sorted({start} | {m for m in moments if start <= m < end})
