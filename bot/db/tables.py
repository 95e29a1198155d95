"""Every table of the bot, so ``Base.metadata`` is complete for Alembic and for tests.

Import this module (not the table modules one by one) wherever the full schema is needed.
"""

from __future__ import annotations

from bot.db.base import Base
from bot.db.tables_agenda import AgendaPerson, Pick
from bot.db.tables_announce import (
    LedgerEntry,
    LedgerStatus,
    OrganizerStatus,
    ScheduledAnnouncement,
)
from bot.db.tables_events import PlatformEvent
from bot.db.tables_unconf import (
    PlanItemRecord,
    PlanRecord,
    PlanStatus,
    Proposal,
    ProposalPost,
    ProposalStatus,
    Vote,
)

__all__ = [
    "AgendaPerson",
    "Base",
    "LedgerEntry",
    "LedgerStatus",
    "OrganizerStatus",
    "Pick",
    "PlatformEvent",
    "PlanItemRecord",
    "PlanRecord",
    "PlanStatus",
    "Proposal",
    "ProposalPost",
    "ProposalStatus",
    "ScheduledAnnouncement",
    "Vote",
]
