"""Placeholder: filled in by its issue's work."""

from __future__ import annotations

from slack_bolt import App

from bot.services import Services


def register(app: App, services: Services) -> None:
    """Nothing yet."""
