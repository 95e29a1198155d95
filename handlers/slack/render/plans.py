"""Block Kit for the organizers' ``/unconf``: the draft plan with its Publish button, what
publishing did, the CSV on its way, merges."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from bot.bidi import isolate
from bot.commands.unconf import Draft, ExportSending, Merged, Published, Removed
from bot.timefmt import day_label, span
from bot.unconference import Plan, PlannedSession, PublishResult, StoredPlan
from bot.unconference.text import REASONS, placed_line, plan_text, proposal_line, published_line, room_label
from handlers.slack.markup import Blocks, context, escape, fit, header, inert, plain, section
from handlers.slack.render.reply import Reply, reply
from handlers.slack.render.unconf import plain_lines

PUBLISH_ACTION = "unconf_publish"


def plan_blocks(plan: Plan, draft: StoredPlan, zone: ZoneInfo, button: bool = True) -> Blocks:
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
            placed_line(here[r.name])
            if r.name in here
            else f"{isolate(room_label(r.name, r.capacity))}: free"
            for r in plan.rooms
        )
    if plan.unplaced:
        blocks.append(section("*Not in the plan*"))
        blocks += plain_lines(
            f"#{u.proposal.number}  {isolate(u.proposal.title)} · {REASONS[u.reason]}" for u in plan.unplaced
        )
    if placed:
        if button:
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
    blocks += plain_lines(published_line(i, zone) for i in result.plan.items)
    return fit(blocks, "More sessions than fit here: see `/schedule`.")


def render_draft(outcome: Draft) -> Reply:
    """The draft, for the organizer who asked."""
    blocks = plan_blocks(outcome.plan, outcome.draft, outcome.zone, outcome.can_publish_by_button)
    return reply(blocks, plan_text(outcome.plan, outcome.zone), theirs=True)


def render_published(outcome: Published) -> Reply:
    """What publishing did."""
    return reply(published_blocks(outcome.result, outcome.zone), outcome.result.message)


def render_export(outcome: ExportSending) -> Reply:
    """The CSV is on its way."""
    noun = "proposal" if outcome.count == 1 else "proposals"
    note = f"📤 Sending you the CSV of {outcome.count} {noun} (every status, with votes and voters) in a direct message…"
    return reply([section(note)], note)


def render_merged(outcome: Merged) -> Reply:
    """What a merge did: votes moved, and both posts say so."""
    result = outcome.result
    if not result.ok:
        return reply([section(escape(result.message))], result.message)
    moved = f"{result.moved} vote{'s' if result.moved != 1 else ''} moved over"
    both = len(result.returned_to)
    if both:
        moved += f"; {both} {'person' if both == 1 else 'people'} had voted for both and got a vote back"
    note = _cancelled_note(outcome.cancelled, outcome.zone)
    blocks = [section(f"✅ {escape(result.message)} {moved}. Both posts now say so.{note}")]
    lines = [proposal_line(p) for p in (result.source, result.target) if p is not None]
    blocks.append({"type": "context", "elements": [plain(line) for line in lines]})
    return reply(blocks, result.message)


def _cancelled_note(cancelled: PlannedSession | None, zone: ZoneInfo | None) -> str:
    if cancelled is None or zone is None:
        return ""
    when = (
        f"{day_label(cancelled.start.astimezone(zone).date())} {span(cancelled.start, cancelled.end, zone)}"
    )
    return f" Its session in the published plan ({when}, {inert(cancelled.room)}) is cancelled, and the channel is told."


def render_removed(outcome: Removed) -> Reply:
    """What a removal did: votes back, the post says so, a planned session cancelled."""
    result = outcome.result
    if not result.ok:
        return reply([section(escape(result.message))], result.message)
    note = _cancelled_note(outcome.cancelled, outcome.zone)
    blocks = [section(f"🧹 {escape(result.message)} Its post now says it was removed.{note}")]
    if result.proposal is not None:
        blocks.append({"type": "context", "elements": [plain(proposal_line(result.proposal))]})
    return reply(blocks, result.message)


RENDERERS = {
    Removed: render_removed,
    Draft: render_draft,
    Published: render_published,
    ExportSending: render_export,
    Merged: render_merged,
}
