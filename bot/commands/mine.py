"""``/mine``: your own agenda; ``/mine remind N|off``: your reminders; ``/mine calendar
[reset]``: your private calendar feed; the Add/Remove buttons under ``/next`` and
``/schedule``. Who picked what is private to each person."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import ClassVar

from bot.commands.base import Arguments, Button, Capability, Command, HelpEntry, Notice, Tone, UsageError
from bot.commands.context import Context
from bot.commands.grammar import HELP_WORDS, normalise, quote, words_of
from bot.commands.schedule import NoSuchDay, NotSent, is_day_word, resolve_day
from bot.my_agenda import store
from bot.my_agenda.view import MyDay, clashes_of, my_day, other_zone, picked_sessions
from bot.ports import PortError, PrivateFile
from bot.schedule.model import Session, Workshop
from bot.schedule.slugs import slugify

logger = logging.getLogger(__name__)

USAGE = (
    "Usage: `/mine [today|tomorrow|<weekday>|<YYYY-MM-DD>|all]`: your own agenda, clashes marked.\n"
    "Add sessions with the *Add to my agenda* buttons under `/next` and `/schedule`.\n"
    "`/mine remind <minutes>` or `/mine remind off`: a direct message that long before each of "
    f"your sessions (default {store.DEFAULT_LEAD_MINUTES}).\n"
    "`/mine calendar`: your sessions for your calendar app; `/mine calendar reset`: a new "
    "private link (the old one stops working)."
)
MAX_LEAD = 120
FEED_PATH = "/cal/{token}.ics"
PICK_PROBLEM = "Sorry, that button didn't work. `/schedule` shows the sessions with fresh buttons."
REMIND_HOW = "Say how many minutes before, e.g. `/mine remind 10`, or `/mine remind off`."


# -- arguments -------------------------------------------------------------------------


@dataclass(frozen=True)
class ShowMine(Arguments):
    """``/mine [day|all]``: the day as given; None for the default."""

    day: str | None = None


@dataclass(frozen=True)
class Remind(Arguments):
    """``/mine remind N|off``: the lead as given, checked when set."""

    word: ClassVar[str] = "remind"
    minutes: str


@dataclass(frozen=True)
class OwnCalendar(Arguments):
    """``/mine calendar [reset]``."""

    word: ClassVar[str] = "calendar"
    reset: bool = False


MineArguments = ShowMine | Remind | OwnCalendar


# -- answers -------------------------------------------------------------------------


@dataclass(frozen=True)
class LeadSet:
    """``/mine remind``: the new lead (None: reminders off) and how many picks it covers."""

    minutes: int | None
    upcoming: int


@dataclass(frozen=True)
class FeedLink:
    """``/mine calendar`` in HTTP mode: the private address of the caller's feed."""

    url: str
    new: bool  # made just now (a first link, or a reset)
    reset: bool = False


@dataclass(frozen=True)
class FeedKept:
    """``/mine calendar`` when a feed exists: its link is not kept, only its hash."""


@dataclass(frozen=True)
class MineSending:
    """``/mine calendar`` without a web process: the file is on its way in private."""

    count: int


@dataclass(frozen=True)
class Picked:
    """A click on Add or Remove: the session, what was asked, whether it changed anything,
    and the caller's other picks it clashes with."""

    session: Session
    added: bool  # the button asked to add (else remove)
    changed: bool  # False: it was in already / was not in
    clashes: tuple[Session, ...]
    zone_key: str


# -- the command -----------------------------------------------------------------------


def mine(ctx: Context) -> store.Mine:
    """The caller's picks and lead: from memory when read in the last half minute (their
    own changes in this process at once), else from the database."""

    def load() -> store.Mine:
        with ctx.db() as db:
            return store.mine_of(db, ctx.caller.key)

    own = ctx.services.picks.get(ctx.caller.key, load)
    zone = ctx.caller.zone
    if zone and zone != own.zone:
        # A reminder is sent with nobody asking: it can show the reader's own times only if
        # their zone was recorded when they last asked for something.
        own = replace(own, zone=zone)
        ctx.services.picks.put(ctx.caller.key, own)
        ctx.after(_remember_zone, ctx, zone)
    return own


def _remember_zone(ctx: Context, zone: str) -> None:
    with ctx.db() as db:
        store.remember_zone(db, ctx.caller.key, zone)


def remember(ctx: Context, db) -> frozenset[str]:  # noqa: ANN001 - a database session
    """Read the caller's picks and lead again after they changed them, and remember them."""
    found = store.mine_of(db, ctx.caller.key)
    ctx.services.picks.put(ctx.caller.key, found)
    return found.picks


def parse(text: str) -> MineArguments:
    """The text grammar: ``[day|all]``, ``remind N|off``, ``calendar [reset]``."""
    words = words_of(text)
    first = words[0].casefold() if words else ""
    if first in HELP_WORDS:
        raise UsageError(USAGE)
    if first == "remind":
        if len(words) != 2:
            raise UsageError(USAGE, REMIND_HOW)
        return Remind(words[1])
    if first in ("calendar", "ics", "ical"):
        reset = [w.casefold() for w in words[1:]] == ["reset"]
        if len(words) > 1 and not reset:
            raise UsageError(
                USAGE, f"I didn't understand `{quote(' '.join(words[1:]))}`: `/mine calendar [reset]`."
            )
        return OwnCalendar(reset)
    if len(words) > 1:
        raise UsageError(USAGE, f"I didn't understand `{quote(' '.join(words))}`.")
    return ShowMine(first or None)


def run(ctx: Context, args: MineArguments) -> MyDay | LeadSet | FeedLink | FeedKept | MineSending | Notice:
    """``/mine [day|all]``, ``/mine remind N|off``, ``/mine calendar [reset]``."""
    if isinstance(args, Remind):
        return _remind(ctx, args.minutes)
    if isinstance(args, OwnCalendar):
        return _calendar(ctx, args.reset)
    return show(ctx, normalise(args.day).casefold() or None)


def show(ctx: Context, day_word: str | None) -> MyDay | Notice:
    """The caller's day (or every day) at ``ctx.now``."""
    every_day = day_word == "all"
    day: date | None = None
    if day_word and not every_day:
        if not _is_day(day_word):
            raise UsageError(USAGE, f"I didn't understand `{quote(day_word)}`: a day, or `all`.")
        try:
            day = resolve_day(day_word.casefold(), ctx.workshop, ctx.now)
        except NoSuchDay as exc:
            return Notice(str(exc), Tone.REFUSED)
    own = mine(ctx)
    zone = other_zone(ctx.caller.zone, ctx.workshop, ctx.now)

    def compute(minute: datetime) -> MyDay:
        answer = my_day(ctx.workshop, own.picks, minute, day, own.lead, every_day)
        return replace(answer, reader_zone=zone) if zone else answer

    # The same picks, lead, day and zone give the same answer all the half minute: computed
    # once (and its Slack reply made once), as /next's is.
    question = ("mine", day_word, every_day, day, own, zone.key if zone else None)
    return ctx.services.personal.get(ctx.workshop, ctx.now, question, compute)


def _is_day(word: str) -> bool:
    return is_day_word(word)


def _remind(ctx: Context, said: str) -> LeadSet:
    arg = normalise(said).casefold()
    if not arg:
        raise UsageError(USAGE, REMIND_HOW)
    if arg in ("off", "none", "no"):
        minutes = None
    elif re.fullmatch(r"[0-9]{1,3}", arg) and 1 <= int(arg) <= MAX_LEAD:
        minutes = int(arg)
    else:
        raise UsageError(
            USAGE, f"I didn't understand `{quote(normalise(said))}`: minutes from 1 to {MAX_LEAD}, or `off`."
        )
    with ctx.db() as db:
        store.set_lead(db, ctx.caller.key, minutes)
        chosen = remember(ctx, db)
    sessions, _gone = picked_sessions(ctx.workshop, chosen)
    logger.info("%s set their reminder lead to %s", ctx.caller.key, minutes)
    return LeadSet(minutes, sum(1 for s in sessions if s.start > ctx.now))


def feed_url(ctx: Context, token: str) -> str | None:
    """The address of a personal feed, where a web process serves it."""
    base = ctx.settings.public_base_url
    return f"{base}{FEED_PATH.format(token=token)}" if base else None


def _calendar(ctx: Context, reset: bool) -> FeedLink | FeedKept | MineSending | Notice:
    if ctx.settings.public_base_url:
        with ctx.db() as db:
            if not reset and store.has_feed(db, ctx.caller.key):
                return FeedKept()
            token = store.new_feed_token(db, ctx.caller.key)
        url = feed_url(ctx, token)
        assert url is not None
        logger.info("%s %s their calendar feed", ctx.caller.key, "reset" if reset else "made")
        return FeedLink(url, new=True, reset=reset)
    if ctx.platform.files is None:
        return Notice("Files can't be sent here, and the bot serves no web pages: ask an organizer.")
    sessions, _gone = picked_sessions(ctx.workshop, mine(ctx).picks)
    ctx.after(send_mine, ctx, tuple(sessions))
    return MineSending(len(sessions))


def personal_workshop(workshop: Workshop, sessions: tuple[Session, ...]) -> Workshop:
    """The workshop with only ``sessions``: what a person's calendar holds."""
    return replace(workshop, sessions=sessions, name=workshop.name)


def personal_ics(workshop: Workshop, chosen: frozenset[str], now: datetime) -> bytes:
    """A person's sessions as a calendar; events keep the whole schedule's ids, so a calendar
    with both never shows a session twice."""
    from bot.formats.ics_export import workshop_to_ics

    sessions, _gone = picked_sessions(workshop, chosen)
    return workshop_to_ics(personal_workshop(workshop, tuple(sessions)), now)


def send_mine(ctx: Context, sessions: tuple[Session, ...]) -> None:
    """Send the caller their own calendar file; tell them if the platform refuses."""
    assert ctx.platform.files is not None
    body = personal_ics(ctx.workshop, frozenset(s.id for s in sessions), ctx.now)
    n = len(sessions)
    file = PrivateFile(
        filename=f"my-{slugify(ctx.workshop.name, limit=50) or 'agenda'}.ics",
        content=body,
        title=f"My agenda: {ctx.workshop.name}",
        icon="📅",
        heading="Your agenda",
        comment=f": {n} session{'s' if n != 1 else ''}. Importing a newer one later updates them.",
    )
    try:
        ctx.platform.files.send_file(ctx.caller.user_id, file)
    except PortError as exc:
        logger.warning("sending %s their agenda failed: %s", ctx.caller.key, exc.reason)
        ctx.tell(NotSent("your calendar file", exc.reason, exc.hint))


# -- the buttons -------------------------------------------------------------------------


def click(ctx: Context, value: str) -> Picked | Notice:
    """Add (``+id``) or remove (``-id``) a session; the value says which, so a second click
    on a stale button says what is already so instead of undoing the first."""
    if not isinstance(value, str) or len(value) < 2 or value[0] not in "+-" or len(value) > 201:
        logger.warning("pick button with an unusable value from %s", ctx.caller.key[:40])
        return Notice(PICK_PROBLEM, Tone.PROBLEM)
    add, session_id = value[0] == "+", value[1:]
    session = ctx.workshop.session(session_id)
    with ctx.db() as db:
        if session is None:
            # Cancelled since the button was drawn: removing it still works, adding not.
            if not add and store.remove_pick(db, ctx.caller.key, session_id):
                remember(ctx, db)
                return Notice("Removed from your agenda.", Tone.DONE)
            return Notice("That session is no longer in the schedule.", Tone.REFUSED)
        if add:
            changed = store.add_pick(db, ctx.caller.key, session_id, ctx.now)
        else:
            changed = store.remove_pick(db, ctx.caller.key, session_id)
        chosen = remember(ctx, db)
    if changed:
        logger.info("%s %s %s", ctx.caller.key, "picked" if add else "dropped", session_id)
        if add and ctx.platform.reminders is not None:
            ctx.after(ctx.platform.reminders.poke)  # picked late: its reminder may be due now
    clashes: tuple[Session, ...] = ()
    if add:
        sessions, _gone = picked_sessions(ctx.workshop, chosen)
        clashes = clashes_of(ctx.workshop, sessions).get(session_id, ())
    return Picked(session, add, changed, clashes, ctx.workshop.timezone.key)


BUTTON = Button(name="pick", run=click)

COMMAND = Command(
    name="mine",
    usage=USAGE,
    run=run,
    parse=parse,
    help=(
        HelpEntry(
            "/mine [day|all]",
            "Your own agenda: the sessions you added with the buttons under /next and /schedule, clashes marked.",
            needs=frozenset({Capability.BUTTONS}),
        ),
        HelpEntry("/mine remind <min>|off", "A direct message that long before each of your sessions."),
        HelpEntry("/mine calendar [reset]", "Your sessions as a private calendar for your calendar app."),
    ),
)
