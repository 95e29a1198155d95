"""``/unconf plan|publish|export|merge`` and the Publish button: the organizers' side of the
unconference."""

from __future__ import annotations

import csv
import dataclasses
import io
import logging
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.commands.base import Access, Button, Capability, Command, HelpEntry, Notice, Tone, UsageError
from bot.commands.context import Context
from bot.commands.grammar import HELP_WORDS, normalise, parse_number
from bot.commands.propose import gone_away
from bot.commands.schedule import NotSent
from bot.commands.vote import button_number
from bot.ports import PortError, PrivateFile
from bot.text import has_controls
from bot.timefmt import clock
from bot.unconference import (
    MergeResult,
    Plan,
    PublishOutcome,
    PublishResult,
    StoredPlan,
    WithdrawResult,
    current_draft,
    export_csv,
    make_draft,
    merge,
    publish,
    published_plan,
    remove,
)
from bot.unconference.plans import PlannedSession, refresh_schedule

logger = logging.getLogger(__name__)

USAGE = (
    "Usage (organizers):\n"
    "`/unconf plan`: plan the block from the votes; only you see the draft.\n"
    "`/unconf publish`: publish the draft you were shown; `/next`, `/schedule` and the announcements include it.\n"
    "`/unconf export`: every proposal with its votes as a CSV file, sent to you.\n"
    "`/unconf merge <from> <into>`: merge a duplicate proposal into another; its votes move over.\n"
    "`/unconf remove <n> [reason]`: remove an abusive proposal; its votes go back."
)
NOT_ORGANIZER = (
    "Sorry, `/unconf` is for the workshop's organizers. "
    "You can propose a session with `/propose` and vote with `/proposals`."
)
NO_BLOCK = (
    "The schedule has no unconference block to plan: `workshop.yaml` needs an `unconference:` "
    "entry naming the block's session (with a start and an end), its rooms and the slot length."
)
_MERGE = re.compile(r"merge (\S+)(?: into| to| ->)? (\S+)")
# Excel reads a CSV without a byte order mark as the local code page, garbling emoji and
# right-to-left titles; with one it reads UTF-8. Other spreadsheets ignore it.
BOM = "\ufeff"


@dataclass(frozen=True)
class Draft:
    """The plan shown to the organizer who asked, before it is published."""

    plan: Plan
    draft: StoredPlan
    zone: ZoneInfo
    can_publish_by_button: bool


@dataclass(frozen=True)
class Published:
    """What publishing did: the plan now in the schedule, or why nothing changed."""

    result: PublishResult
    zone: ZoneInfo


@dataclass(frozen=True)
class ExportSending:
    """The CSV is on its way to the organizer in private."""

    count: int


@dataclass(frozen=True)
class Merged:
    """What a merge did; ``cancelled``: the merged proposal's published session, if it had one."""

    result: MergeResult
    cancelled: PlannedSession | None = None
    zone: ZoneInfo | None = None


@dataclass(frozen=True)
class Removed:
    """What a removal did; ``cancelled``: its published session, if it had one."""

    result: WithdrawResult
    cancelled: PlannedSession | None = None
    zone: ZoneInfo | None = None


def run(ctx: Context, text: str) -> Draft | Published | ExportSending | Merged | Removed | Notice:
    """Plan, publish, export, merge or remove (organizers only: the command declares it)."""
    args = normalise(text).casefold()
    if args.split(" ", 1)[0] == "remove":
        return _remove(ctx, normalise(text).split(" ", 2)[1:])
    if args == "plan":
        return _plan(ctx)
    if args == "publish":
        return _publish_shown(ctx)
    if args == "export":
        return _export(ctx)
    found = _MERGE.fullmatch(args)
    if found:
        source, target = parse_number(found.group(1)), parse_number(found.group(2))
        if source is not None and target is not None:
            return _merge(ctx, source, target)
    if args.startswith("merge"):
        raise UsageError(USAGE, "Merge needs two proposal numbers, e.g. `/unconf merge 12 4`.")
    raise UsageError(USAGE, None if args in ("", *HELP_WORDS) else "I don't know that one.")


def _plan(ctx: Context) -> Draft | Notice:
    with ctx.db() as db:
        made = make_draft(db, ctx.workshop, ctx.now, by=ctx.caller.key)
    if made is None:
        return Notice(NO_BLOCK, Tone.REFUSED)
    plan, draft = made
    return Draft(plan, draft, ctx.workshop.timezone, ctx.platform.can(Capability.BUTTONS))


def _publish_shown(ctx: Context) -> Published | Notice:
    """Publish the draft this organizer was shown: their own, still the current one."""
    with ctx.db() as db:
        draft = current_draft(db)
        if draft is not None and draft.created_by not in (None, ctx.caller.key):
            return Notice(
                "The waiting draft was made by another organizer, so you haven't seen it. "
                "`/unconf plan` shows the plan as it stands now; publish that one.",
                Tone.REFUSED,
            )
        result = _publish(ctx, db, draft.id if draft else None)
    return Published(result, ctx.workshop.timezone)


def _publish(ctx: Context, db: Session, draft_id: int | None) -> PublishResult:
    """Publish the draft ``draft_id`` (None: whichever is waiting) and load it into the schedule."""
    result = publish(db, ctx.now, by=ctx.caller.key, draft_id=draft_id)
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
        # The running schedule follows at once: /next, /schedule and the announcers' re-plan.
        try:
            refresh_schedule(ctx.services.db, ctx.services.schedule)
        except Exception:
            logger.exception("plan published by %s, but the running schedule was not updated", ctx.caller.key)
            note = " The running bot couldn't load it yet: it will when restarted."
            return dataclasses.replace(result, message=result.message + note)
    return result


def click_publish(ctx: Context, value: str) -> Published | Notice:
    """The Publish button under a draft: publish exactly the draft shown."""
    number = button_number(ctx, value, "publish")
    if isinstance(number, Notice):
        return number
    with ctx.db() as db:
        result = _publish(ctx, db, number)
    return Published(result, ctx.workshop.timezone)


def _export(ctx: Context) -> ExportSending | Notice:
    """Build the CSV now (so the count is exact) and send it once the command is answered."""
    if ctx.platform.files is None:
        return Notice(
            "Files can't be sent here: run `/unconf export` where the bot can send files (Slack), and the CSV comes to you there.",
            Tone.REFUSED,
        )
    with ctx.db() as db:
        text = export_csv(db)
    count = sum(1 for _ in csv.reader(io.StringIO(text))) - 1
    ctx.after(_send_csv, ctx, text, count)
    return ExportSending(count)


def _send_csv(ctx: Context, text: str, count: int) -> None:
    zone, now, files = ctx.workshop.timezone, ctx.now, ctx.platform.files
    assert files is not None
    body = (BOM + text).encode()
    file = PrivateFile(
        filename=f"unconference-proposals-{now.astimezone(zone):%Y-%m-%d-%H%M}.csv",
        content=body,
        title="Unconference proposals",
        icon="📤",
        heading="Unconference proposals",
        comment=f": {count}, every status, with votes and voters (exported {clock(now, zone)}).",
    )
    try:
        files.send_file(ctx.caller.user_id, file)
    except PortError as exc:
        logger.warning("sending the unconference CSV to %s failed: %s", ctx.caller.key, exc.reason)
        ctx.tell(NotSent("the CSV", exc.reason, exc.hint))
        return
    logger.info("sent the unconference CSV (%d proposals, %d bytes) to %s", count, len(body), ctx.caller.key)


def _merge(ctx: Context, source: int, target: int) -> Merged:
    with ctx.db() as db:
        result = merge(db, source, target, ctx.now)
    if not result.ok:
        return Merged(result)
    ctx.after(ctx.services.proposal_posts.refresh, target)
    return Merged(result, gone_away(ctx, source), ctx.workshop.timezone)


MAX_REASON = 300


def _remove(ctx: Context, words: list[str]) -> Removed | Notice:
    number = parse_number(words[0]) if words else None
    if number is None:
        raise UsageError(USAGE, "Which proposal? e.g. `/unconf remove 12 off-topic`.")
    reason = words[1] if len(words) > 1 else ""
    if len(reason) > MAX_REASON or has_controls(reason):
        raise UsageError(USAGE, f"A reason is one line of at most {MAX_REASON} characters.")
    with ctx.db() as db:
        result = remove(db, number, reason, ctx.now, by=ctx.caller.key)
    if not result.ok:
        return Removed(result)
    return Removed(result, gone_away(ctx, number), ctx.workshop.timezone)


COMMAND = Command(
    name="unconf",
    usage=USAGE,
    run=run,
    access=Access.ORGANIZER,
    not_allowed=NOT_ORGANIZER,
    help=(
        HelpEntry(
            "/unconf plan|publish",
            "Turn the top proposals into sessions; publish the plan shown.",
            access=Access.ORGANIZER,
        ),
        HelpEntry(
            "/unconf export",
            "Every proposal with its votes, as a CSV file.",
            needs=frozenset({Capability.FILES}),
            access=Access.ORGANIZER,
        ),
        HelpEntry(
            "/unconf merge <a> <b>",
            "Merge duplicate proposal #a into #b; votes move.",
            access=Access.ORGANIZER,
        ),
        HelpEntry(
            "/unconf remove <n> [why]",
            "Remove an abusive proposal; its votes go back.",
            access=Access.ORGANIZER,
        ),
    ),
)
PUBLISH_BUTTON = Button(name="publish", run=click_publish, access=Access.ORGANIZER, not_allowed=NOT_ORGANIZER)
