"""The outbound effects a platform offers the core, beside the announcements' ``Poster``.

Each platform implements these with its own API (Slack's Web API, Discord's REST API); the
core's rules (caching names, coalescing message updates, saying what failed) are written
once over them. Every method raises ``PortError`` when the platform refuses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.unconference.views import ProposalView


class PortError(Exception):
    """The platform refused or failed; ``reason`` is its own code, ``hint`` what to do."""

    def __init__(self, reason: str, hint: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.hint = hint


class NameLookup(Protocol):
    """Looks up the name a platform shows for a person."""

    def display_name(self, user_id: str) -> str | None:
        """The person's name, or None if the platform has none; ``PortError`` on failure."""
        ...


@dataclass(frozen=True)
class PrivateFile:
    """A file for one person: a calendar, a CSV export."""

    filename: str
    content: bytes
    title: str
    # The message sent with it, in the bot's own words: an icon, a heading, the rest.
    icon: str
    heading: str
    comment: str


class FileSender(Protocol):
    """Sends one person a file in private (Slack: a DM with the bot)."""

    def send_file(self, user_id: str, file: PrivateFile) -> None:
        """Deliver ``file``; ``PortError`` if the platform refuses."""
        ...


class ProposalMessages(Protocol):
    """Posts a proposal to a channel with its Vote button, and updates it in place."""

    def post_proposal(self, channel: str, proposal: ProposalView) -> tuple[str, str]:
        """Post it; returns (channel, message id) as the platform names them."""
        ...

    def update_proposal(self, channel: str, message_id: str, proposal: ProposalView) -> None:
        """Show ``proposal`` as it stands now in its posted message."""
        ...


@dataclass(frozen=True)
class CalendarEvent:
    """A session as an event on a platform's own calendar (Discord's Events tab)."""

    title: str
    description: str
    start: datetime
    end: datetime
    location: str


class CalendarFull(PortError):
    """The platform holds no more events (Discord: 100 scheduled or active per server)."""


class CalendarEvents(Protocol):
    """Creates, moves and cancels a platform's own calendar events."""

    def create_event(self, event: CalendarEvent) -> str:
        """Create it; returns the platform's id. ``CalendarFull`` at the platform's limit."""
        ...

    def update_event(self, event_id: str, event: CalendarEvent) -> None:
        """Show ``event`` as it stands now."""
        ...

    def cancel_event(self, event_id: str) -> None:
        """Cancel it: people who were interested see it cancelled."""
        ...

    def find_event(self, event: CalendarEvent) -> str | None:
        """The id of the bot's event showing ``event``'s title and start, if there is one:
        settles a creation its process died in the middle of."""
        ...
