"""``/announce``: organizers post to the announcement channels now or at a set time; list;
cancel.

Nothing here waits for a platform before answering: the announcement is stored first, one
row for every platform that announces (so a crash cannot lose it and each platform posts it
once), the answer says it is on its way, and the organizer's display name and the posts
happen afterwards, off the request.

The text grammar reads what to do out of one line; a platform with typed options gives it as
one of the ``Arguments`` below, so an announcement's text is never read for a subcommand.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import ClassVar
from zoneinfo import ZoneInfo

from bot.announcements import organizer
from bot.announcements.scheduler import AnnouncementScheduler
from bot.commands.announce_when import USAGE, parse_at, parse_when, resolve
from bot.commands.base import Access, Arguments, Command, HelpEntry, Notice, Refusal, Tone, UsageError
from bot.commands.context import Context
from bot.commands.grammar import HELP_WORDS, is_number, parse_number, words_of
from bot.db.tables_announce import OrganizerStatus, ScheduledAnnouncement
from bot.text import has_controls

logger = logging.getLogger(__name__)

MAX_TEXT = 2800  # a message section holds 3,000 characters, and the post adds a little
MAX_LISTED = 30
RECENT = 5
_OPEN = (OrganizerStatus.PENDING, OrganizerStatus.SENDING)
WHICH = "Which one? `/announce cancel 12` (`/announce list` shows the numbers)."
SAY_WHAT = "What should the announcement say?"


# -- arguments -------------------------------------------------------------------------


@dataclass(frozen=True)
class PostNow(Arguments):
    """Post ``text`` now."""

    word: ClassVar[str] = "now"
    text: str


@dataclass(frozen=True)
class PostAt(Arguments):
    """Post ``text`` later, ``when`` as typed (``[day] HH:MM``, workshop time)."""

    word: ClassVar[str] = "at"
    when: str
    text: str


@dataclass(frozen=True)
class ListScheduled(Arguments):
    """What is scheduled."""

    word: ClassVar[str] = "list"


@dataclass(frozen=True)
class CancelScheduled(Arguments):
    """Cancel announcement ``number``; None where a platform gave none it could use."""

    word: ClassVar[str] = "cancel"
    number: int | None


AnnounceArguments = PostNow | PostAt | ListScheduled | CancelScheduled


@dataclass(frozen=True)
class StoredAnnouncement:
    """An organizer announcement as the organizer sees it in answers."""

    id: int
    text: str  # as typed
    author_name: str
    due_at: datetime
    status: OrganizerStatus
    sent_at: datetime | None = None
    late: bool = False
    error: str | None = None


@dataclass(frozen=True)
class Queued:
    """An announcement stored: on its way now, or scheduled for later."""

    announcement: StoredAnnouncement
    channel: str
    scheduled: bool
    zone: ZoneInfo
    now: datetime
    note: str | None = None  # a time outside the workshop's days or hours, stored as asked


@dataclass(frozen=True)
class Listing:
    """``/announce list``: what is scheduled on this platform, and how the last ones went."""

    channel: str
    pending: tuple[StoredAnnouncement, ...]
    more: int  # pending ones beyond those listed
    recent: tuple[StoredAnnouncement, ...]
    zone: ZoneInfo
    now: datetime


@dataclass(frozen=True)
class Cancelled:
    """An announcement cancelled before it went out."""

    announcement: StoredAnnouncement
    zone: ZoneInfo
    now: datetime


@dataclass(frozen=True)
class AnnouncementsOff:
    """No announcement channel is configured on this platform."""


def _stored(row: ScheduledAnnouncement) -> StoredAnnouncement:
    return StoredAnnouncement(
        row.id,
        row.text,
        row.author_name,
        row.due_at,
        OrganizerStatus(row.status),
        row.sent_at,
        bool(row.late),
        row.error,
    )


def parse(text: str) -> AnnounceArguments:
    """The text grammar: ``[now] <text>``, ``at [day] <time> <text>``, ``list``, ``cancel <n>``."""
    words = words_of(text)
    first = words[0].casefold() if words else ""
    if first in ("", *HELP_WORDS) and len(words) <= 1:
        raise UsageError(USAGE)
    if first == "list" and len(words) == 1:
        return ListScheduled()
    if first == "cancel":
        number = parse_number(" ".join(words[1:]))
        if number is None:
            raise UsageError(USAGE, WHICH)
        return CancelScheduled(number)
    if first == "at":
        _, used = parse_at(words[1:])
        # Keep the organizer's line breaks: take the text from what was typed.
        body = text.strip().split(None, 1 + used)[-1].strip()
        return PostAt(" ".join(words[1 : 1 + used]), body)
    if first in ("list", "help"):
        raise UsageError(USAGE, f"To post text starting with “{first}”, use `/announce now {first} …`.")
    if first == "now" and len(words) == 1:
        raise UsageError(USAGE, SAY_WHAT)
    return PostNow(text.strip().split(None, 1)[1] if first == "now" else text.strip())


def run(ctx: Context, args: AnnounceArguments) -> Queued | Listing | Cancelled | AnnouncementsOff | Notice:
    """Store, list or cancel an organizer announcement."""
    if not ctx.platform.announce_channel:
        return AnnouncementsOff()
    announcer = ctx.platform.announcer
    if announcer is None:
        return Notice(
            "Announcements aren't running in this bot yet (they start with the database); "
            "please try again in a moment.",
            Tone.PROBLEM,
        )
    try:
        if isinstance(args, ListScheduled):
            return _listing(ctx, announcer)
        if isinstance(args, CancelScheduled):
            return _cancel(ctx, announcer, args.number)
        body = args.text.strip()
        if not body:
            raise UsageError(USAGE, SAY_WHAT)
        if isinstance(args, PostAt):
            resolved = resolve(parse_when(args.when), ctx.workshop, ctx.now)
            return _store(ctx, body, resolved.at, resolved.note)
        return _store(ctx, body, None)
    except Refusal as refusal:
        return Notice(str(refusal), Tone.REFUSED)


def _announcers(ctx: Context) -> list[AnnouncementScheduler]:
    """Every platform's announcer, the caller's first (its row's id is the one they see)."""
    others = [
        p.announcer
        for p in ctx.services.platforms.values()
        if p.announcer is not None and p.name != ctx.platform.name
    ]
    assert ctx.platform.announcer is not None
    return [ctx.platform.announcer, *others]


def _store(ctx: Context, text: str, due_at: datetime | None, note: str | None = None) -> Queued:
    if len(text) > MAX_TEXT:
        raise Refusal(
            f"That is {len(text):,} characters; an announcement holds {MAX_TEXT:,}. Please shorten it."
        )
    if has_controls(text, allowed="\n\r\t"):
        # PostgreSQL cannot store NUL at all, and the rest would reach the channel as is.
        raise Refusal(
            "An announcement can't contain control characters such as NUL; nothing was stored. "
            "Please type it again without them."
        )
    caller, mine = ctx.caller, _announcers(ctx)
    # In UTC: the scheduler subtracts its clock's offset from it, and wall-clock arithmetic on
    # a zoned instant would be an hour off across a daylight-saving change. "Now" is a moment
    # away, which gives the name lookup, off the request, time to sign it.
    due = (due_at or ctx.now + mine[0].name_wait).astimezone(UTC)
    name = caller.name[:200]
    first = mine[0].schedule_organizer(text, caller.key, name, due)
    for announcer in mine[1:]:
        announcer.schedule_organizer(text, caller.key, name, due, group_id=first.id)
    logger.info("organizer %s stored announcement #%s due %s", caller.key, first.id, due.isoformat())
    ctx.after(_sign, ctx, first.group_id or first.id)
    return Queued(_stored(first), mine[0].channel, due_at is not None, ctx.workshop.timezone, ctx.now, note)


def _sign(ctx: Context, group_id: int) -> None:
    """Put the organizer's display name on their stored announcement, if still pending."""
    name = ctx.platform.name_of(ctx.caller.user_id, ctx.caller.name)
    if name == ctx.caller.name:
        return
    with ctx.db() as db:
        organizer.sign(db, group_id, name[:200])


def _listing(ctx: Context, announcer: AnnouncementScheduler) -> Listing:
    pending = announcer.organizer_announcements()
    done = [r for r in announcer.organizer_announcements(include_done=True) if r.status not in _OPEN]
    recent = sorted(done, key=lambda r: r.due_at, reverse=True)[:RECENT]
    return Listing(
        announcer.channel,
        tuple(_stored(r) for r in pending[:MAX_LISTED]),
        max(len(pending) - MAX_LISTED, 0),
        tuple(_stored(r) for r in recent),
        ctx.workshop.timezone,
        ctx.now,
    )


def _cancel(ctx: Context, announcer: AnnouncementScheduler, number: int | None) -> Cancelled:
    if not is_number(number):
        raise UsageError(USAGE, WHICH)
    with ctx.db() as db:
        row = organizer.get(db, number)
        if row is None or row.platform != ctx.platform.name:
            raise Refusal(f"There is no announcement #{number}. `/announce list` shows the scheduled ones.")
        siblings = [r for r in organizer.in_group(db, row.group_id or row.id) if r.id != row.id]
    if not announcer.cancel(number):
        with ctx.db() as db:
            row = organizer.get(db, number) or row
        why = {
            OrganizerStatus.SENT: "was already posted",
            OrganizerStatus.SENDING: "is being posted right now",
            OrganizerStatus.CANCELLED: "was already cancelled",
        }.get(OrganizerStatus(row.status), f"is {row.status}")
        raise Refusal(f"#{number} {why}, so there is nothing to cancel.")
    # The same announcement on the other platforms goes too, where it has not gone out yet.
    by_platform = {p.name: p.announcer for p in ctx.services.platforms.values() if p.announcer}
    for sibling in siblings:
        other = by_platform.get(sibling.platform)
        if other is not None:
            other.cancel(sibling.id)
    logger.info("announcement #%s cancelled by %s", number, ctx.caller.key)
    return Cancelled(_stored(row), ctx.workshop.timezone, ctx.now)


COMMAND = Command(
    name="announce",
    usage=USAGE,
    run=run,
    parse=parse,
    access=Access.ORGANIZER,
    not_allowed="Sorry, only the workshop's organizers can post announcements.",
    help=(
        HelpEntry(
            "/announce <text>",
            "Post to the announcement channel now, signed with your name.",
            access=Access.ORGANIZER,
        ),
        HelpEntry(
            "/announce at <time> …",
            "Post it later: at 13:15 … or at sun 9:00 … (workshop time).",
            access=Access.ORGANIZER,
        ),
        HelpEntry(
            "/announce list|cancel", "What is scheduled; cancel <id> cancels one.", access=Access.ORGANIZER
        ),
    ),
)
