"""``/next [N]``: what is on now and what starts next."""

from __future__ import annotations

from slack_bolt import App

from bot.answers import next_answer
from bot.services import Services
from bot.text import summarise_next
from handlers.blocks import next_blocks
from handlers.common import Reply, answer_command, reply


def build_reply(services: Services, text: str) -> Reply:
    """The reply to ``/next <text>`` at the services' current time."""
    workshop = services.workshop

    def compute(minute):
        answer = next_answer(workshop, minute, text)
        return reply(next_blocks(answer), summarise_next(answer), share=("next", text))

    return services.answers.get(workshop, services.clock.now(), ("next", text), compute)


def register(app: App, services: Services) -> None:
    @app.command("/next")
    def handle_next(ack, command):
        answer_command(ack, command, lambda text: build_reply(services, text))
