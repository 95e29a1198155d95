"""Slack adapters: one listener per file, each with ``register(app, services)``."""

from __future__ import annotations

from slack_bolt import App

from bot.services import Services
from handlers import announce, awair, next, proposals, propose, readings, schedule, share, unconf, vote

LISTENERS = (next, schedule, readings, awair, share, announce, propose, proposals, vote, unconf)


def register_all(app: App, services: Services) -> None:
    """Attach every listener to ``app``."""
    for module in LISTENERS:
        module.register(app, services)
