"""/day's grid: rooms as columns, time down the side, parallel sessions side by side, now marked."""

from __future__ import annotations

from datetime import date

import pytest

from bot.agenda import Status
from bot.day_grid import STEP, day_grid
from bot.schedule.current import CurrentSchedule
from tests.bot.conftest import REPO, pt
from tests.support.board_fixtures import published_plan

SUNDAY = date(2023, 8, 6)


@pytest.fixture(scope="module")
def with_plan():
    schedule = CurrentSchedule.load(REPO / "schedule_data")
    return schedule.set_extra_sessions(published_plan(schedule.workshop))


def cell(grid, session_id):
    return next(c for c in grid.cells if c.session.id == session_id)


def test_sunday_with_the_published_plan(with_plan):
    grid = day_grid(with_plan, SUNDAY, pt("2023-08-06 16:20"))
    # Three parallel roomless discussions at 13:30 need three lanes; then the plan's rooms.
    assert [(c.room, c.lane, c.lanes) for c in grid.columns] == [
        (None, 0, 3),
        (None, 1, 3),
        (None, 2, 3),
        ("Main room", 0, 1),
        ("Library", 0, 1),
        ("Garden room", 0, 1),
    ]
    assert grid.start == pt("2023-08-06 09:00")
    # Dinner (18:30, open-ended) is drawn for an hour, then the grid ends on the hour: 20:00.
    assert grid.row_time(grid.rows) == pt("2023-08-06 20:00")
    breakfast = cell(grid, "sun-breakfast")
    assert (breakfast.column, breakfast.first_row, breakfast.rows, breakfast.status) == (0, 0, 6, Status.PAST)
    discussions = [
        cell(grid, i).column for i in ("sun-impact-stories", "sun-forecasting-misbehavior", "sun-ai-takeover")
    ]
    assert sorted(discussions) == [0, 1, 2]
    evals = cell(grid, "unconf-1")
    assert (evals.column, evals.first_row, evals.rows, evals.status) == (3, 84, 12, Status.NOW)
    assert cell(grid, "unconf-4").status is Status.NEXT
    assert cell(grid, "sun-dinner").first_row + cell(grid, "sun-dinner").rows == grid.rows
    assert grid.now_row == 88 and grid.row_time(88) == pt("2023-08-06 16:20")


def test_saturdays_dinner_and_the_evening_talk_overlap_in_two_lanes(awair):
    grid = day_grid(awair, date(2023, 8, 5), pt("2023-08-04 12:00"))
    assert [(c.room, c.lane) for c in grid.columns] == [(None, 0), (None, 1)]
    assert cell(grid, "sat-dinner").column != cell(grid, "sat-the-plan").column
    assert grid.now_row is None  # the day before: nothing marked


def test_no_two_cells_share_a_slot(with_plan):
    for day in with_plan.days:
        grid = day_grid(with_plan, day, pt("2023-08-06 12:00"))
        taken = [(r, c.column) for c in grid.cells for r in range(c.first_row, c.first_row + c.rows)]
        assert len(taken) == len(set(taken))
        assert all(0 <= r < grid.rows for r, _ in taken)
        assert all(c.session.start >= grid.row_time(c.first_row) for c in grid.cells)


def test_a_day_without_sessions_is_an_empty_grid(awair):
    grid = day_grid(awair, date(2023, 8, 7), pt("2023-08-07 10:00"))
    assert (grid.rows, grid.columns, grid.cells, grid.now_row) == (0, (), (), None)
    assert STEP.total_seconds() == 300
