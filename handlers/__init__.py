"""Slack adapters: one listener per file, each with ``register(app, services)``."""

from __future__ import annotations

from slack_bolt import App

from bot.services import Services
from handlers import help, next, readings, schedule, share


def register_all(app: App, services: Services) -> None:
    """Attach every listener to ``app``."""
    for module in (next, schedule, readings, help, share):
        module.register(app, services)
