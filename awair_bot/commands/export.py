"""Placeholder: filled in by its issue's work."""

from __future__ import annotations


def add_parser(sub) -> None:
    """Nothing yet."""
