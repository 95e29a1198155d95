"""The outbound effects a platform offers the core, beside the announcements' ``Poster``.

Each platform implements these with its own API (Slack's Web API, Discord's REST API); the
core's rules (caching names, coalescing message updates, saying what failed) are written
once over them. Every method raises ``PortError`` when the platform refuses.
"""

from __future__ import annotations

from dataclasses import dataclass
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
