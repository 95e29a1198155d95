"""``/schedule [day] [room or track]``: a day's agenda."""

from __future__ import annotations

from slack_bolt import App

from bot.answers import schedule_answer
from bot.commands import NoSuchDay
from bot.services import Services
from bot.text import render_agenda
from handlers.blocks import agenda_blocks, escape, section
from handlers.common import Reply, answer_command, reply


def build_reply(services: Services, text: str) -> Reply:
    """The reply to ``/schedule <text>``."""
    try:
        agenda = schedule_answer(services.workshop, services.clock.now(), text)
    except NoSuchDay as exc:
        return reply([section(escape(str(exc)))], str(exc))
    return reply(agenda_blocks(agenda), render_agenda(agenda))


def register(app: App, services: Services) -> None:
    @app.command("/schedule")
    def handle_schedule(ack, command):
        answer_command(ack, command, lambda text: build_reply(services, text))
