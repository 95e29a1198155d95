"""``/unconf plan|publish|export|merge``: the organizers' side of the unconference."""

from __future__ import annotations

import dataclasses
import logging
import re
from typing import Any

from slack_bolt import App
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.commands import UsageError, normalise
from bot.services import Services
from bot.unconference import (
    PublishOutcome,
    PublishResult,
    current_draft,
    make_draft,
    merge,
    publish,
    published_plan,
)
from bot.unconference.plans import refresh_schedule
from handlers.blocks import escape, section
from handlers.common import SORRY, TRY_AGAIN, Reply, reply
from handlers.unconf_blocks import plain, proposal_line
from handlers.unconf_common import (
    BUTTON_PROBLEM,
    NO_DATABASE,
    Followup,
    NoDatabase,
    Unconf,
    answer_then,
    unconf_for,
)
from handlers.unconf_export import export_reply
from handlers.unconf_plan_blocks import PUBLISH_ACTION, plan_blocks, plan_text, published_blocks

logger = logging.getLogger(__name__)

USAGE = (
    "Usage (organizers):\n"
    "`/unconf plan`: plan the block from the votes; only you see the draft.\n"
    "`/unconf publish`: publish the draft you were shown; `/next`, `/schedule` and the announcements include it.\n"
    "`/unconf export`: every proposal with its votes as a CSV file, sent to you.\n"
    "`/unconf merge <from> <into>`: merge a duplicate proposal into another; its votes move over."
)
NOT_ORGANIZER = (
    "Sorry, `/unconf` is for the workshop's organizers. "
    "You can propose a session with `/propose` and vote with `/proposals`."
)
_MERGE = re.compile(r"merge #?(\d{1,9})(?: into| to| ->)? #?(\d{1,9})")


def build(ctx: Unconf, command: dict[str, Any], text: str, respond: Any) -> tuple[Reply, Followup | None]:
    """The reply to ``/unconf <text>`` (organizers only)."""
    user = command["user_id"]
    if not ctx.is_organizer(user):
        logger.info("/unconf refused for %s: not an organizer", user)
        return reply([section(escape(NOT_ORGANIZER))], NOT_ORGANIZER), None
    args = normalise(text).casefold()
    if args == "plan":
        return _plan(ctx, user), None
    if args == "publish":
        return _publish_command(ctx, user), None
    if args == "export":
        return export_reply(ctx, user, respond)
    found = _MERGE.fullmatch(args)
    if found:
        return _merge(ctx, int(found.group(1)), int(found.group(2)))
    if args.startswith("merge"):
        raise UsageError(USAGE, "Merge needs two proposal numbers, e.g. `/unconf merge 12 4`.")
    raise UsageError(USAGE, None if args in ("", "help", "-h", "--help") else "I don't know that one.")


def _plan(ctx: Unconf, user: str) -> Reply:
    zone = ctx.services.workshop.timezone
    with ctx.db() as db:
        made = make_draft(db, ctx.services.workshop, ctx.now(), by=user)
    if made is None:
        text = (
            "The schedule has no unconference block to plan: `workshop.yaml` needs an `unconference:` "
            "entry naming the block's session (with a start and an end), its rooms and the slot length."
        )
        return reply([section(escape(text))], text)
    plan, draft = made
    return reply(plan_blocks(plan, draft, zone), plan_text(plan, zone))


def _publish_command(ctx: Unconf, user: str) -> Reply:
    """Publish the draft this organizer was shown: their own, still the current one."""
    with ctx.db() as db:
        draft = current_draft(db)
        if draft is not None and draft.created_by not in (None, user):
            text = (
                "The waiting draft was made by another organizer, so you haven't seen it. "
                "`/unconf plan` shows the plan as it stands now; publish that one."
            )
            return reply([section(escape(text))], text)
        result = _publish(ctx, db, user, draft.id if draft else None)
    return reply(published_blocks(result, ctx.services.workshop.timezone), result.message)


def _publish(ctx: Unconf, db: Session, user: str, draft_id: int | None) -> PublishResult:
    """Publish the draft ``draft_id`` (None: whichever is waiting) and load it into the schedule."""
    result = publish(db, ctx.now(), by=user, draft_id=draft_id)
    if result.outcome is PublishOutcome.NO_DRAFT:
        published = published_plan(db)
        if published is not None and draft_id is None:
            return PublishResult(
                result.outcome,
                "There is no new draft: the plan already published is in the schedule. "
                "`/unconf plan` makes a new one.",
            )
        if published is not None and published.id == draft_id:
            return PublishResult(result.outcome, "That plan is already published: it is in the schedule.")
    if result.ok:
        # The running schedule follows at once: /next, /schedule and the announcer's re-plan.
        try:
            refresh_schedule(ctx.services.db, ctx.services.schedule)
        except Exception:
            logger.exception("plan published by %s, but the running schedule was not updated", user)
            note = " The running bot couldn't load it yet: it will when restarted."
            return dataclasses.replace(result, message=result.message + note)
    return result


def _merge(ctx: Unconf, source: int, target: int) -> tuple[Reply, Followup | None]:
    with ctx.db() as db:
        result = merge(db, source, target, ctx.now())
    if not result.ok:
        return reply([section(escape(result.message))], result.message), None
    moved = f"{result.moved} vote{'s' if result.moved != 1 else ''} moved over"
    both = len(result.returned_to)
    if both:
        moved += f"; {both} {'person' if both == 1 else 'people'} had voted for both and got a vote back"
    blocks = [section(f"✅ {escape(result.message)} {moved}. Both posts now say so.")]
    lines = [proposal_line(p) for p in (result.source, result.target) if p is not None]
    blocks.append({"type": "context", "elements": [plain(line) for line in lines]})
    return reply(blocks, result.message), lambda: ctx.posts.refresh(source, target)


def click_publish(ctx: Unconf, user: str, value: Any) -> dict[str, Any]:
    """The Publish button under a draft: publish exactly the draft shown."""
    if not ctx.is_organizer(user):
        return {"text": NOT_ORGANIZER}
    if not (isinstance(value, str) and re.fullmatch(r"[1-9]\d{0,8}", value)):
        logger.warning("publish button with an unusable value from %s", user[:20])
        return {"text": BUTTON_PROBLEM}
    try:
        with ctx.db() as db:
            result = _publish(ctx, db, user, int(value))
    except NoDatabase:
        return {"text": NO_DATABASE}
    except SQLAlchemyError:
        logger.warning("publish by %s: database unavailable", user, exc_info=True)
        return {"text": TRY_AGAIN}
    return {
        "text": escape(result.message),
        "blocks": published_blocks(result, ctx.services.workshop.timezone),
    }


def register(app: App, services: Services) -> None:
    ctx = unconf_for(app, services)

    @app.command("/unconf")
    def handle_unconf(ack, command, respond):
        answer_then(ack, command, lambda text: build(ctx, command, text, respond))

    @app.action(PUBLISH_ACTION)
    def handle_publish(ack, body, action, respond):
        ack()
        user = str((body.get("user") or {}).get("id") or "")
        try:
            answer = click_publish(ctx, user, action.get("value"))
        except Exception:
            logger.exception("publish by %s failed", user[:20])
            answer = {"text": SORRY}
        ctx.later(respond, {"response_type": "ephemeral", "replace_original": False, **answer})
