"""Planning the unconference block: which topics, in which rooms, at what time.

A pure function of the proposals and the block. The rules:

* The block is cut into ``slot_minutes`` slots; a remainder too short for a slot is unused.
* Positions are ranked room by room, largest room first, and within a room earliest slot
  first; proposals are ranked by votes (most first), then age (oldest first), then number.
  The k-th proposal takes the k-th position, so the most-voted topics get the largest rooms
  and, within a room, the earliest slots. Filling room by room (rather than slot by slot)
  also keeps the top topics out of each other's way: #1 and #2 are not in parallel.
* An author is never in two parallel sessions: a proposal skips positions in slots where
  its author already leads one; if every free position is in such a slot, one swap with an
  already placed proposal is tried before the proposal is left out.
* Proposals without votes are left out unless ``include_unvoted``: nobody asked for them,
  and an empty room is easier to explain than a session nobody comes to.
* Same input, same plan: every tie is broken by age, then number.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.schedule.model import Room, UnconferenceBlock, Workshop
from bot.unconference.views import ProposalView


class LeftOut(StrEnum):
    """Why a proposal is not in the plan."""

    NO_VOTES = "no_votes"
    NO_ROOM = "no_room"  # every position is taken by better-voted topics
    AUTHOR_BUSY = "author_busy"  # free positions only in slots where the author leads another


@dataclass(frozen=True)
class Placement:
    """One planned session: a proposal in a room for one slot."""

    proposal: ProposalView
    room: Room
    slot: int  # 0-based
    start: datetime
    end: datetime

    @property
    def session_id(self) -> str:
        """The schedule id the session gets when the plan is published."""
        return f"unconf-{self.proposal.number}"


@dataclass(frozen=True)
class Unplaced:
    """A proposal left out of the plan, and why."""

    proposal: ProposalView
    reason: LeftOut


@dataclass(frozen=True)
class Plan:
    """A plan of the block; adapters render it for the organizer to accept or redo."""

    block_session_id: str
    rooms: tuple[Room, ...]  # largest first
    slots: tuple[tuple[datetime, datetime], ...]
    placements: tuple[Placement, ...]  # by start, then room size
    unplaced: tuple[Unplaced, ...]  # in ranking order

    def at(self, slot: int) -> tuple[Placement, ...]:
        """The parallel sessions of one slot, largest room first."""
        return tuple(p for p in self.placements if p.slot == slot)


def rank_key(p: ProposalView) -> tuple[int, datetime, int]:
    """Sort key: most votes first, then oldest, then lowest number."""
    return (-p.votes, p.created_at, p.number)


def rooms_by_size(rooms: Iterable[Room]) -> tuple[Room, ...]:
    """Largest room first; rooms without a capacity last; ties keep the schedule's order."""
    return tuple(sorted(rooms, key=lambda r: -(r.capacity or 0)))


def block_window(workshop: Workshop) -> tuple[UnconferenceBlock, datetime, datetime] | None:
    """The unconference block with its start and end, or None if the schedule has none."""
    block = workshop.unconference
    if block is None:
        return None
    session = workshop.session(block.session_id)
    if session is None or session.end is None:
        return None
    return block, session.start, session.end


def plan(
    proposals_with_votes: Iterable[ProposalView],
    block: UnconferenceBlock,
    block_start: datetime,
    block_end: datetime,
    *,
    include_unvoted: bool = False,
) -> Plan:
    """Plan the block from open proposals and their votes (see the module's rules)."""
    rooms = rooms_by_size(block.rooms)
    length = timedelta(minutes=block.slot_minutes)
    count = max((block_end - block_start) // length, 0) if length > timedelta(0) else 0
    slots = tuple((block_start + i * length, block_start + (i + 1) * length) for i in range(count))
    positions = [(r, s) for r in range(len(rooms)) for s in range(count)]

    ranked = sorted((p for p in proposals_with_votes if p.is_open), key=rank_key)
    taken: dict[tuple[int, int], ProposalView] = {}
    unplaced: list[Unplaced] = []
    for proposal in ranked:
        if proposal.votes == 0 and not include_unvoted:
            unplaced.append(Unplaced(proposal, LeftOut.NO_VOTES))
            continue
        free = [pos for pos in positions if pos not in taken]
        if not free:
            unplaced.append(Unplaced(proposal, LeftOut.NO_ROOM))
            continue
        fits = [pos for pos in free if not _author_busy(taken, proposal.author_id, pos[1])]
        if fits:
            taken[fits[0]] = proposal
        elif not _swap_in(taken, positions, free, proposal):
            unplaced.append(Unplaced(proposal, LeftOut.AUTHOR_BUSY))

    placements = tuple(
        Placement(p, rooms[r], s, *slots[s])
        for (r, s), p in sorted(taken.items(), key=lambda item: (item[0][1], item[0][0]))
    )
    return Plan(block.session_id, rooms, slots, placements, tuple(unplaced))


def _author_busy(
    taken: dict[tuple[int, int], ProposalView],
    author_id: str,
    slot: int,
    ignore: tuple[int, int] | None = None,
) -> bool:
    return any(s == slot and p.author_id == author_id and (r, s) != ignore for (r, s), p in taken.items())


def _swap_in(
    taken: dict[tuple[int, int], ProposalView],
    positions: list[tuple[int, int]],
    free: list[tuple[int, int]],
    proposal: ProposalView,
) -> bool:
    """Place ``proposal`` at a placed one's position, moving that one to a free position.

    Placed proposals are tried from the worst position up, so the best-voted topics keep
    their rooms; the order is fixed, so the plan stays deterministic.
    """
    for pos in reversed(positions):
        other = taken.get(pos)
        # Trading places with a topic of the same author never helps, and could put the
        # two in one slot.
        if other is None or other.author_id == proposal.author_id:
            continue
        if _author_busy(taken, proposal.author_id, pos[1], ignore=pos):
            continue
        for target in free:
            if not _author_busy(taken, other.author_id, target[1], ignore=pos):
                taken[target] = other
                taken[pos] = proposal
                return True
    return False
