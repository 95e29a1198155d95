"""``/readings [all|<words>]``: papers for the current or next reading session."""

from __future__ import annotations

from slack_bolt import App

from bot.answers import readings_answer
from bot.services import Services
from bot.text import render_readings
from handlers.blocks import readings_blocks
from handlers.common import Reply, answer_command, reply


def build_reply(services: Services, text: str) -> Reply:
    """The reply to ``/readings <text>``."""
    workshop = services.workshop

    def compute(minute):
        answer = readings_answer(workshop, minute, text)
        return reply(readings_blocks(answer), render_readings(answer), share=("readings", text))

    return services.answers.get(workshop, services.clock.now(), ("readings", text), compute)


def register(app: App, services: Services) -> None:
    @app.command("/readings")
    def handle_readings(ack, command):
        answer_command(ack, command, lambda text: build_reply(services, text))
