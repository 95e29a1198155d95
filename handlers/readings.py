"""``/readings [all|<words>]``: papers for the current or next reading session."""

from __future__ import annotations

from datetime import datetime

from slack_bolt import App

from bot.answers import readings_answer
from bot.memo import minute_of
from bot.schedule.model import Workshop
from bot.services import Services
from bot.text import render_readings
from handlers.blocks import readings_blocks
from handlers.common import Reply, answer_command, memoised_json, reply


def reply_at(workshop: Workshop, minute: datetime, text: str) -> Reply:
    """The reply to ``/readings <text>`` as of ``minute``."""
    answer = readings_answer(workshop, minute, text)
    return reply(readings_blocks(answer), render_readings(answer), share=("readings", text))


def build_reply(services: Services, text: str) -> Reply:
    """The reply to ``/readings <text>`` now (the share button posts it)."""
    return reply_at(services.workshop, minute_of(services.clock.now()), text)


def register(app: App, services: Services) -> None:
    @app.command("/readings")
    def handle_readings(ack, command):
        answer_command(
            ack,
            command,
            lambda text: memoised_json(services, ("readings", text), lambda w, m: reply_at(w, m, text)),
        )
