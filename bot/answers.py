"""From what was typed to the answer value: one function per command, for every adapter."""

from __future__ import annotations

from datetime import datetime

from bot.agenda import DayAgenda, day_agenda
from bot.commands import parse_next, parse_readings, parse_schedule, resolve_day
from bot.reading_list import ReadingsAnswer, all_readings, readings_for_now, search_readings
from bot.schedule.model import Workshop
from bot.whats_next import NextAnswer, whats_next


def next_answer(workshop: Workshop, now: datetime, text: str) -> NextAnswer:
    """``/next <text>`` at ``now``; raises ``UsageError``."""
    return whats_next(workshop, now, parse_next(text))


def schedule_answer(workshop: Workshop, now: datetime, text: str) -> DayAgenda:
    """``/schedule <text>`` at ``now``; raises ``UsageError`` or ``NoSuchDay``."""
    request = parse_schedule(text)
    day = resolve_day(request.day_word, workshop, now)
    return day_agenda(workshop, day, now, request.filter)


def readings_answer(workshop: Workshop, now: datetime, text: str) -> ReadingsAnswer:
    """``/readings <text>`` at ``now``; raises ``UsageError``."""
    request = parse_readings(text)
    if request.mode == "all":
        return all_readings(workshop, now)
    if request.mode == "search":
        return search_readings(workshop, now, request.query or "")
    return readings_for_now(workshop, now)
