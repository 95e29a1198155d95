"""``/awair [help]``: what the bot does and how to use each command."""

from __future__ import annotations

from slack_bolt import App

from bot.commands import parse_help
from bot.services import Services
from bot.text import render_help
from handlers.blocks import help_blocks
from handlers.common import Reply, answer_command, reply


def build_reply(services: Services, text: str) -> Reply:
    """The reply to ``/awair <text>``."""
    parse_help(text)
    help_text = render_help(services.workshop)
    return reply(help_blocks(help_text), help_text)


def register(app: App, services: Services) -> None:
    @app.command("/awair")
    def handle_awair(ack, command):
        answer_command(ack, command, lambda text: build_reply(services, text))
