"""The workshop's schedule: model, file format, loading and validation."""

from bot.schedule.model import Kind, Reading, Room, Session, Speaker, UnconferenceBlock, Workshop

__all__ = ["Kind", "Reading", "Room", "Session", "Speaker", "UnconferenceBlock", "Workshop"]
