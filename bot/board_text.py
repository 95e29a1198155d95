"""The board's words: its headline in each state, room labels, and the whole board as plain
text (``awair-bot rehearse --board``). The web page uses the same words."""

from __future__ import annotations

from bot.board import Board, BoardState, OnNow, RoomBoard
from bot.schedule.model import Session, Workshop
from bot.text import KIND_ICONS, first_session_line, over_line
from bot.timefmt import clock, day_label, ends_in, span, until


def headline(board: Board) -> str:
    """One sentence for the state the board is in; the break line is /next's, word for word."""
    w, now, tz = board.workshop, board.now, board.workshop.timezone
    slot = board.next_slot
    match board.state:
        case BoardState.EMPTY:
            return "The schedule has no sessions yet."
        case BoardState.OVER:
            return over_line(w)
        case BoardState.BEFORE:
            return first_session_line(w, now)
        case BoardState.ON:
            return "On now"
    assert slot is not None  # every other state has something ahead
    when = f"{clock(slot.start, tz)} ({until(slot.start, now)})"
    if board.state is BoardState.BREAK:
        return f"Break: nothing on until {when}."
    later_day = w.day_of(slot.start) != w.day_of(now)
    if board.state is BoardState.DAY_OVER:
        return f"That's all for today. {day_label(w.day_of(slot.start))} starts at {when}."
    if later_day:
        return f"Nothing on today. Next: {day_label(w.day_of(slot.start))}, {when}."
    return f"Today starts at {when}."


def room_label(room: str | None, workshop: Workshop) -> str:
    """A room's heading; sessions that name no room are the venue's."""
    return room or workshop.venue or "Main programme"


def next_label(board: Board) -> str | None:
    """'12:10 PT (in 40 min)' for the next start across the venue, with its day when that is
    not today, as /next words it; None when nothing is ahead."""
    slot = board.next_slot
    if slot is None:
        return None
    w = board.workshop
    day = "" if w.day_of(slot.start) == w.day_of(board.now) else f"{day_label(w.day_of(slot.start))}, "
    return f"{day}{clock(slot.start, w.timezone)} ({until(slot.start, board.now)})"


def who(session: Session) -> str:
    """'Evan Hubinger (Anthropic)', or the kind of session when nobody is named."""
    return ", ".join(str(p) for p in session.speakers) or session.kind.label


def left_text(item: OnNow, board: Board) -> str:
    """'ends in 40 min', or 'open-ended'."""
    return ends_in(item.end, board.now)


def render_board(board: Board, room: str | None = None) -> str:
    """The board as plain text; with ``room``, that room's door sign."""
    w, tz = board.workshop, board.workshop.timezone
    local = board.now.astimezone(tz)
    lines = [f"{day_label(local.date())} {clock(board.now, tz)} · {w.name}", headline(board)]
    rooms = (board.room(room),) if room else board.rooms
    for r in rooms:
        lines += _room_lines(r, board, door=room is not None)
    label = next_label(board)
    if label and not room and board.next_slot:
        titles = ", ".join(s.title for s in board.next_slot.sessions)
        lines.append(f"Next start: {label}: {titles}")
    if board.notice:
        n = board.notice
        lines.append(f"📣 {n.text}  ({n.author}, {clock(n.at, tz)})")
    return "\n".join(lines)


def _room_lines(r: RoomBoard, board: Board, door: bool) -> list[str]:
    tz = board.workshop.timezone
    lines = [f"[{room_label(r.room, board.workshop)}]"]
    for item in r.on_now:
        s = item.session
        bar = "" if item.left_fraction is None else f" {_bar(item.left_fraction)}"
        lines.append(
            f"  Now: {KIND_ICONS[s.kind]} {s.title} · {who(s)} ({span(s.start, s.end, tz)}, {left_text(item, board)}){bar}"
        )
    for s in r.next:
        lines.append(f"  Next: {clock(s.start, tz)} {KIND_ICONS[s.kind]} {s.title} · {who(s)}")
    if door:
        lines += [f"  Later: {clock(s.start, tz)} {s.title}" for s in r.later]
    if r.done_for_the_day:
        lines.append("  Nothing more today.")
    return lines


def _bar(fraction: float, width: int = 10) -> str:
    filled = round(fraction * width)
    return "▓" * filled + "░" * (width - filled) + f" {round(fraction * 100)}% left"
