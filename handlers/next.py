"""``/next [N]``: what is on now and what starts next."""

from __future__ import annotations

from datetime import datetime

from slack_bolt import App

from bot.answers import next_answer
from bot.memo import minute_of
from bot.schedule.model import Workshop
from bot.services import Services
from bot.text import summarise_next
from handlers.blocks import next_blocks
from handlers.common import Reply, answer_command, memoised_json, reply


def reply_at(workshop: Workshop, minute: datetime, text: str) -> Reply:
    """The reply to ``/next <text>`` as of ``minute``."""
    answer = next_answer(workshop, minute, text)
    return reply(next_blocks(answer), summarise_next(answer), share=("next", text))


def build_reply(services: Services, text: str) -> Reply:
    """The reply to ``/next <text>`` now (the share button posts it)."""
    return reply_at(services.workshop, minute_of(services.clock.now()), text)


def register(app: App, services: Services) -> None:
    @app.command("/next")
    def handle_next(ack, command):
        answer_command(
            ack,
            command,
            lambda text: memoised_json(services, ("next", text), lambda w, m: reply_at(w, m, text)),
        )
