"""The board's pages from the core's values, through Jinja2 templates that escape everything.

Nothing a person typed (a published proposal's title, an announcement) can become markup:
autoescape is on for every template, and the few values marked safe are our own fragments.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from bot.board import Board, OnNow, RoomBoard
from bot.board_text import headline, next_label, room_label, who
from bot.day_grid import DayGrid, GridCell
from bot.schedule.model import Session, Workshop
from bot.timefmt import clock, day_label, ends_in, span, zone_label

STATIC_FILES = ("board.css", "board.js", "icon.svg")
STATIC_PREFIX = "/board/static/"


def _static_bytes(name: str) -> bytes:
    return resources.files("handlers.web").joinpath("static", name).read_bytes()


# The version changes whenever a template or static file does: pages load assets by it, and
# a board that sees a new version reloads itself once to pick them up.
VERSION = hashlib.sha256(
    b"".join(_static_bytes(n) for n in STATIC_FILES)
    + b"".join(
        resources.files("handlers.web").joinpath("templates", t).read_bytes()
        for t in ("base.html", "board.html", "board_live.html", "door_live.html", "day.html", "message.html")
    )
).hexdigest()[:12]

_env = Environment(
    loader=PackageLoader("handlers.web", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def ms(instant: datetime | None) -> int | str:
    """Milliseconds since the epoch, for the page's script; '' for None."""
    return "" if instant is None else int(instant.timestamp() * 1000)


@dataclass(frozen=True)
class View:
    """What a template may call: words and times in the workshop's zone."""

    workshop: Workshop
    now: datetime
    token: str | None = None

    def clock(self, instant: datetime) -> str:
        """'11:00 PT'."""
        return clock(instant, self.workshop.timezone)

    def hhmm(self, instant: datetime) -> str:
        """'11:00'."""
        return clock(instant, self.workshop.timezone, with_zone=False)

    def span(self, session: Session) -> str:
        """'11:00-12:10 PT'."""
        return span(session.start, session.end, self.workshop.timezone)

    def room(self, room: str | None) -> str:
        """A room's heading."""
        return room_label(room, self.workshop)

    def who(self, session: Session) -> str:
        """Speakers, or the kind of session."""
        return who(session)

    def left(self, item: OnNow) -> str:
        """'ends in 40 min'."""
        return ends_in(item.end, self.now)

    def day(self, day: date) -> str:
        """'Sat 5 Aug'."""
        return day_label(day)

    def url(self, path: str, **query: str | None) -> str:
        """A link on this site, carrying the board token when there is one."""
        from urllib.parse import urlencode

        pairs = {k: v for k, v in query.items() if v is not None}
        if self.token:
            pairs["token"] = self.token
        return path + (f"?{urlencode(pairs)}" if pairs else "")


def _page_common(workshop: Workshop, now: datetime, token: str | None) -> dict:
    return {
        "v": View(workshop, now, token),
        "static": lambda name: f"{STATIC_PREFIX}{name}?v={VERSION}",
        "version": VERSION,
        "zone": workshop.timezone.key,
        "zone_label": zone_label(workshop.timezone, now),
        "ms": ms,
    }


def live_fragment(board: Board, room: str | None, token: str | None) -> str:
    """The part of the board that the page swaps in on every change."""
    common = _page_common(board.workshop, board.now, token)
    if room is None:
        return _env.get_template("board_live.html").render(
            board=board, headline=headline(board), next_label=next_label(board), **common
        )
    sign = board.room(room)
    return _env.get_template("door_live.html").render(
        board=board, sign=sign, door_line=door_line(board, sign), **common
    )


def door_line(board: Board, sign: RoomBoard) -> str:
    """What a door sign says above its sessions: the workshop's state, or the room's."""
    if not board.rooms and not sign.next:
        return headline(board)
    if sign.on_now:
        return "On now"
    if sign.next:
        return f"Free until {clock(sign.next[0].start, board.workshop.timezone)}"
    return "Nothing more in this room today"


def board_page(
    workshop: Workshop,
    now: datetime,
    room: str | None,
    token: str | None,
    live_url: str,
    etag: str,
    fragment: str,
    poll_ms: int,
) -> str:
    """The full page: the header with the clock (the bot's exact time), the live part, and
    the script that keeps it current."""
    return _env.get_template("board.html").render(
        now=now,
        room=room,
        title=room_label(room, workshop) if room else workshop.name,
        live=Markup(fragment),  # our own rendered, escaped template
        live_url=live_url,
        etag=etag,
        now_ms=ms(now),
        poll_ms=poll_ms,
        **_page_common(workshop, now, token),
    )


@dataclass(frozen=True)
class TableRow:
    """One row of the day's table: the time it starts, and which cells start in it."""

    time: datetime
    label: str  # '09:00' on the hour and half hour, else ''
    hour: bool  # the row an hour starts in
    now: bool
    cells: tuple[GridCell | None, ...]  # None: an empty slot; rows covered from above are left out


def table_rows(grid: DayGrid) -> list[TableRow]:
    """The grid as table rows: each session once, in the row it starts, spanning its rows."""
    starts = {(c.first_row, c.column): c for c in grid.cells}
    covered = {(r, c.column) for c in grid.cells for r in range(c.first_row + 1, c.first_row + c.rows)}
    zone = grid.workshop.timezone
    rows = []
    for r in range(grid.rows):
        at = grid.row_time(r)
        local = at.astimezone(zone)
        label = clock(at, zone, with_zone=False) if local.minute % 30 == 0 else ""
        cells = tuple(starts.get((r, col)) for col in range(len(grid.columns)) if (r, col) not in covered)
        rows.append(TableRow(at, label, local.minute == 0, r == grid.now_row, cells))
    return rows


def day_page(grid: DayGrid, token: str | None) -> str:
    """The day as a printable grid."""
    headings: list[tuple[str | None, int]] = []
    for column in grid.columns:
        if column.lane == 0:
            headings.append((column.room, column.lanes))
    return _env.get_template("day.html").render(
        grid=grid,
        headings=headings,
        rows=table_rows(grid),
        title=f"{day_label(grid.day)}: {grid.workshop.name}",
        **_page_common(grid.workshop, grid.now, token),
    )


def message_page(
    workshop: Workshop,
    now: datetime,
    token: str | None,
    title: str,
    text: str,
    links: list[tuple[str, dict[str, str], str]],
) -> str:
    """A page that says why there is nothing to show (an unknown room or day), with links on;
    ``links`` are (path, query, label), and each gets the token."""
    view = View(workshop, now, token)
    return _env.get_template("message.html").render(
        title=title,
        text=text,
        links=[(view.url(path, **query), label) for path, query, label in links],
        **_page_common(workshop, now, token),
    )


def static_file(name: str) -> bytes:
    """A static asset's bytes."""
    return _static_bytes(name)
