"""Block Kit for the organizer's view of a plan: slots, rooms, topics, and what was left out."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from bot.timefmt import day_label, span
from bot.unconference import LeftOut, Plan, PublishResult, StoredPlan
from bot.unconference.planner import Placement
from handlers.blocks import Blocks, context, escape, fit, header, section
from handlers.unconf_blocks import isolate, plain_lines, votes_label

PUBLISH_ACTION = "unconf_publish"

REASONS = {
    LeftOut.NO_VOTES: "no votes yet",
    LeftOut.NO_ROOM: "no room left: every slot went to topics with more votes",
    LeftOut.AUTHOR_BUSY: "its author leads another session in every slot that had room",
}


def _room(name: str, capacity: int | None) -> str:
    return f"{name} ({capacity})" if capacity else name


def _placed_line(p: Placement) -> str:
    q = p.proposal
    return (
        f"{isolate(_room(p.room.name, p.room.capacity))}: #{q.number}  {isolate(q.title)}"
        f" · {isolate(q.author_name)} · {votes_label(q.votes)}"
    )


def plan_blocks(plan: Plan, draft: StoredPlan, zone: ZoneInfo) -> Blocks:
    """The draft as the organizer sees it before publishing, with a Publish button."""
    placed = len(plan.placements)
    considered = placed + len(plan.unplaced)
    blocks: Blocks = [header("📋 Draft plan for the unconference")]
    if plan.slots:
        start, end = plan.slots[0][0], plan.slots[-1][1]
        minutes = int((plan.slots[0][1] - plan.slots[0][0]).total_seconds() // 60)
        blocks.append(
            context(
                escape(
                    f"{day_label(start.astimezone(zone).date())} {span(start, end, zone)} · "
                    f"{len(plan.rooms)} rooms × {len(plan.slots)} slots of {minutes} min · "
                    f"{placed} of {considered} open proposals placed"
                )
            )
        )
    else:
        blocks.append(
            section(
                "The block has no room for a session: check its rooms and `slot_minutes` in the schedule."
            )
        )
    for i, (start, end) in enumerate(plan.slots):
        blocks.append(section(f"*{escape(span(start, end, zone))}*"))
        here = {p.room.name: p for p in plan.at(i)}
        blocks += plain_lines(
            _placed_line(here[r.name]) if r.name in here else f"{isolate(_room(r.name, r.capacity))}: free"
            for r in plan.rooms
        )
    if plan.unplaced:
        blocks.append(section("*Not in the plan*"))
        blocks += plain_lines(
            f"#{u.proposal.number}  {isolate(u.proposal.title)} · {REASONS[u.reason]}" for u in plan.unplaced
        )
    if placed:
        blocks.append(_publish_actions(draft.id, placed))
        tail = "Nothing is public until you publish."
    else:
        tail = "No proposal has votes yet, so there is nothing to publish."
    blocks.append(
        context(
            f"{tail} To change the plan, merge duplicates (`/unconf merge &lt;from&gt; &lt;into&gt;`) "
            "or wait for votes, then `/unconf plan` again."
        )
    )
    return fit(blocks, "The plan is longer than a message: `/unconf export` has every proposal.")


def plan_text(plan: Plan, zone: ZoneInfo) -> str:
    """The plain fallback of a draft."""
    lines = ["Draft plan for the unconference:"]
    for i, (start, end) in enumerate(plan.slots):
        lines.append(span(start, end, zone))
        lines += [f"  {_placed_line(p)}" for p in plan.at(i)]
    lines += [f"Not placed: #{u.proposal.number} ({REASONS[u.reason]})" for u in plan.unplaced]
    return "\n".join(lines)


def _publish_actions(draft_id: int, sessions: int) -> dict[str, Any]:
    what = "1 session goes" if sessions == 1 else f"{sessions} sessions go"
    return {
        "type": "actions",
        "elements": [
            {
                "type": "button",
                "action_id": PUBLISH_ACTION,
                "style": "primary",
                "text": {"type": "plain_text", "text": "Publish this plan", "emoji": True},
                "value": str(draft_id),
                "confirm": {
                    "title": {"type": "plain_text", "text": "Publish the plan?"},
                    "text": {
                        "type": "plain_text",
                        "text": f"{what} into the schedule: /next, /schedule and the announcements will show "
                        "the plan.",
                    },
                    "confirm": {"type": "plain_text", "text": "Publish"},
                    "deny": {"type": "plain_text", "text": "Not yet"},
                },
            }
        ],
    }


def published_blocks(result: PublishResult, zone: ZoneInfo) -> Blocks:
    """The answer to publishing: what is now in the schedule."""
    if not result.ok or result.plan is None:
        return [section(escape(result.message))]
    blocks: Blocks = [
        section(
            f"✅ {escape(result.message)} `/next`, `/schedule` and the session announcements now include the plan."
        )
    ]
    blocks += plain_lines(
        f"{span(i.start, i.end, zone)} · {isolate(i.room)}: #{i.proposal_number}  {isolate(i.title)}"
        f" · {isolate(i.speaker_name)}"
        for i in result.plan.items
    )
    return fit(blocks, "More sessions than fit here: see `/schedule`.")
