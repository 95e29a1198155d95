"""Proposals and plans as plain text: the console's answers and every platform's fallback.

People's titles and names are wrapped in Unicode isolates (``bot.text.isolate``), so a
right-to-left title cannot reorder the numbers and dots around it.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.bidi import isolate
from bot.db.tables_unconf import ProposalStatus
from bot.timefmt import span
from bot.unconference.planner import LeftOut, Placement, Plan
from bot.unconference.plans import PlannedSession
from bot.unconference.proposals import Mine
from bot.unconference.views import ProposalView


def votes_label(n: int) -> str:
    """'1 vote', '3 votes'."""
    return f"{n} vote" if n == 1 else f"{n} votes"


def status_text(p: ProposalView) -> str:
    """'3 votes', or what became of a withdrawn or merged proposal."""
    if p.status is ProposalStatus.WITHDRAWN:
        return "withdrawn"
    if p.status is ProposalStatus.MERGED:
        return f"merged into #{p.merged_into}"
    if p.status is ProposalStatus.REMOVED:
        return "removed by the organizers"
    return votes_label(p.votes)


def proposal_line(p: ProposalView, *, author: bool = True) -> str:
    """'#7  Title · by Jane Doe · 3 votes' as plain text."""
    by = f" · by {isolate(p.author_name)}" if author else ""
    return f"#{p.number}  {isolate(p.title)}{by} · {status_text(p)}"


def budget_line(used: int, budget: int) -> str:
    """'You have 2 of 3 votes left.'"""
    left = max(budget - used, 0)
    return (
        f"You have {left} of {budget} votes left." if left else f"You have used all {budget} of your votes."
    )


def mine_text(mine: Mine, budget: int) -> str:
    """The plain fallback of ``/proposals mine``."""
    lines = ["Your proposals:", *(proposal_line(p, author=False) for p in mine.proposed)]
    if not mine.proposed:
        lines.append("none yet")
    lines.append(f"Your votes: {budget_line(mine.votes_used, budget)}")
    lines += [proposal_line(p) for p in mine.voted_for] or ["none yet"]
    return "\n".join(lines)


REASONS = {
    LeftOut.NO_VOTES: "no votes yet",
    LeftOut.NO_ROOM: "no room left: every slot went to topics with more votes",
    LeftOut.AUTHOR_BUSY: "its author leads another session in every slot that had room",
}


def room_label(name: str, capacity: int | None) -> str:
    """'Library (30)': a room with its capacity."""
    return f"{name} ({capacity})" if capacity else name


def placed_line(p: Placement) -> str:
    """'Library (30): #7  Title · Jane Doe · 3 votes'."""
    q = p.proposal
    return (
        f"{isolate(room_label(p.room.name, p.room.capacity))}: #{q.number}  {isolate(q.title)}"
        f" · {isolate(q.author_name)} · {votes_label(q.votes)}"
    )


def published_line(item: PlannedSession, zone: ZoneInfo) -> str:
    """'16:00-17:00 PT · Library: #7  Title · Jane Doe': one session of a published plan."""
    return (
        f"{span(item.start, item.end, zone)} · {isolate(item.room)}: #{item.proposal_number}  "
        f"{isolate(item.title)} · {isolate(item.speaker_name)}"
    )


def plan_text(plan: Plan, zone: ZoneInfo) -> str:
    """The plain fallback of a draft."""
    lines = ["Draft plan for the unconference:"]
    for i, (start, end) in enumerate(plan.slots):
        lines.append(span(start, end, zone))
        lines += [f"  {placed_line(p)}" for p in plan.at(i)]
    lines += [f"Not placed: #{u.proposal.number} ({REASONS[u.reason]})" for u in plan.unplaced]
    return "\n".join(lines)
