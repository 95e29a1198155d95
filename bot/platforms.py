"""What one chat platform contributes to the bot: its capabilities, its ports, its channels.

The adapter's factory builds one ``Platform`` from its own settings and client and adds it
to the ``Services``; commands reach the caller's platform through it, and work that goes to
every platform (a proposal's message) through all of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.commands.base import Capability
from bot.people import Names
from bot.ports import FileSender, ProposalMessages

if TYPE_CHECKING:
    from bot.announcements.scheduler import AnnouncementScheduler
    from bot.my_agenda.sender import RemindersRunner


@dataclass
class Platform:
    """One platform the bot speaks on."""

    name: str  # "slack", "discord", "console"
    capabilities: frozenset[Capability] = frozenset()
    names: Names | None = None
    files: FileSender | None = None
    proposal_messages: ProposalMessages | None = None
    announce_channel: str | None = None
    unconference_channel: str | None = None
    # The platform's ids of its organizers: named when someone else asks for their commands.
    organizers: tuple[str, ...] = ()
    # Set once announcements start (they need a channel and a database).
    announcer: AnnouncementScheduler | None = None
    # Set once personal reminders start (they need a database).
    reminders: RemindersRunner | None = None

    def can(self, capability: Capability) -> bool:
        """Whether this platform offers ``capability``."""
        return capability in self.capabilities

    @property
    def proposals_channel(self) -> str | None:
        """Where proposals are posted: the unconference channel, else the announcement one."""
        return self.unconference_channel or self.announce_channel

    def name_of(self, user_id: str, fallback: str) -> str:
        """The name the platform shows for ``user_id``, else ``fallback``."""
        return self.names.get(user_id, fallback) if self.names is not None else fallback


CONSOLE = "console"
