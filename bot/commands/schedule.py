"""``/schedule [day] [room or track]``: a day's agenda; ``/schedule ics``: the calendar.

The text grammar reads the day and the words out of one line; a platform with typed options
gives them as a ``ScheduleRequest`` of their own, so words are never read as a day, ``ics``
or ``mine``."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, ClassVar

from sqlalchemy.exc import SQLAlchemyError

from bot.agenda import DayAgenda, day_agenda, default_day
from bot.commands.base import Arguments, Capability, Command, HelpEntry, Notice, Tone, UsageError
from bot.commands.context import Context
from bot.commands.grammar import HELP_WORDS, MAX_SEARCH, is_iso_date, normalise, quote, weekday_of, words_of
from bot.my_agenda.store import Mine, mine_of
from bot.ports import PortError, PrivateFile
from bot.schedule.model import Workshop
from bot.schedule.slugs import slugify
from bot.services import NoDatabase
from bot.timefmt import day_label

logger = logging.getLogger(__name__)

USAGE = (
    "Usage: `/schedule [today|tomorrow|<weekday>|<YYYY-MM-DD>] [words]`: a day's agenda.\n"
    "Words keep the sessions with each of them in the title, room, track, kind or speaker; "
    "without a day they search the whole workshop.\n"
    "e.g. `/schedule`, `/schedule sunday`, `/schedule today Library`, `/schedule talk`.\n"
    "`/schedule ics`: the whole schedule for your calendar app; `/schedule mine`: your own agenda."
)
# ``/schedule ics``: the calendar file instead of a day ("calendar" may well be a track's name).
CALENDAR_WORDS = ("ics", "ical")
CALENDAR_PATH = "/schedule.ics"  # served in HTTP mode by the web process
_RELATIVE = {"today": 0, "tomorrow": 1, "yesterday": -1}


@dataclass(frozen=True)
class ScheduleRequest(Arguments):
    """``/schedule`` arguments: which day (None = default) and an optional filter, or
    ``calendar`` for the whole schedule as a calendar file. Given as fields, the day may
    also be ``ics`` (the calendar), and both are checked when run."""

    day_word: str | None
    filter: str | None
    calendar: bool = False


@dataclass(frozen=True)
class OwnAgenda(Arguments):
    """``/schedule mine …``: ``/mine …``, with the text that follows."""

    word: ClassVar[str] = "mine"
    text: str = ""


def parse(text: str) -> ScheduleRequest | OwnAgenda:
    """The text grammar: ``mine …``, else ``parse_schedule``."""
    words = words_of(text)
    if words and words[0].casefold() == "mine":
        return OwnAgenda(" ".join(words[1:]))
    return parse_schedule(text)


def parse_schedule(text: str | None) -> ScheduleRequest:
    """``/schedule [day] [room or track]`` or ``/schedule ics``. The day word is checked
    against the workshop later."""
    words = words_of(text)
    if not words:
        return ScheduleRequest(None, None)
    if len(words) == 1 and words[0].casefold() in CALENDAR_WORDS:
        # Alone only: "/schedule ICS lab" still filters by a room that happens to start so.
        return ScheduleRequest(None, None, calendar=True)
    if is_day_word(words[0]):
        rest = " ".join(words[1:]) or None
        return ScheduleRequest(words[0].casefold(), _checked_filter(rest))
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", words[0]):
        raise UsageError(USAGE, f"`{words[0]}` is not a date.")
    if words[0].casefold() in HELP_WORDS:
        raise UsageError(USAGE)
    # A bare filter ("/schedule Library") searches the whole workshop.
    return ScheduleRequest(None, _checked_filter(" ".join(words)))


def checked(request: ScheduleRequest) -> ScheduleRequest:
    """A request as the grammar would have read it, whoever filled in its fields: a day word
    or ``ics`` for the day, words that search."""
    day, words = normalise(request.day_word).casefold() or None, normalise(request.filter) or None
    if request.calendar or day in CALENDAR_WORDS:
        if words is not None:
            raise UsageError(USAGE, "The calendar holds every session: leave out the words.")
        return ScheduleRequest(None, None, calendar=True)
    if day is not None and not is_day_word(day):
        raise UsageError(USAGE, f"`{quote(day)}` is not a day: today, tomorrow, a weekday or a date.")
    return ScheduleRequest(day, _checked_filter(words))


def _checked_filter(words: str | None) -> str | None:
    """The filter words, or the usage when they are too long or hold no word to match
    (punctuation alone would otherwise keep every session)."""
    if words is None:
        return None
    if len(words) > MAX_SEARCH:
        raise UsageError(USAGE, f"That search is too long ({MAX_SEARCH} characters at most).")
    if not re.search(r"\w", words):
        raise UsageError(USAGE, "Search with words: a room, a track, a kind or a speaker's name.")
    return words


def is_day_word(word: str) -> bool:
    """Whether ``word`` names a day: today, tomorrow, yesterday, a weekday or a date."""
    return word.casefold() in _RELATIVE or weekday_of(word) is not None or is_iso_date(word)


class NoSuchDay(ValueError):
    """The day asked for is not a day of the workshop; the message lists the days."""


def resolve_day(word: str | None, workshop: Workshop, now: datetime) -> date:
    """Turn a day word into one of the workshop's days, relative to ``now``."""
    if word is None:
        return default_day(workshop, now)
    today = workshop.day_of(now)
    wanted: date | None
    if word in _RELATIVE:
        wanted = today + timedelta(days=_RELATIVE[word])
    elif is_iso_date(word):
        wanted = date.fromisoformat(word)
    else:
        weekday = weekday_of(word)
        matching = [d for d in workshop.days if d.weekday() == weekday]
        later = [d for d in matching if d >= today]
        if later or matching:
            return (later or matching)[0]
        wanted = None
    if wanted is not None and wanted in workshop.days:
        return wanted
    days = ", ".join(day_label(d) for d in workshop.days) or "none yet"
    asked = day_label(wanted) if wanted else word.capitalize()
    raise NoSuchDay(f"Nothing is scheduled on {asked}. The workshop's days: {days}.")


@dataclass(frozen=True)
class CalendarLink:
    """``/schedule ics`` where the web process serves the calendar: its address."""

    workshop: Workshop
    url: str


@dataclass(frozen=True)
class CalendarSending:
    """``/schedule ics`` otherwise: the file is on its way to the caller in private."""

    workshop: Workshop


@dataclass(frozen=True)
class NotSent:
    """A file that could not be delivered: ``what`` it was, the platform's reason and hint."""

    what: str
    reason: str
    hint: str | None = None


@dataclass(frozen=True)
class Agenda:
    """The ``/schedule`` answer: the day, and where the whole calendar can be had."""

    agenda: DayAgenda
    calendar_url: str | None
    picked: frozenset[str] = frozenset()  # the caller's own picks, for their buttons


def calendar_url(ctx: Context) -> str | None:
    """Where the web process serves the calendar, when a public base URL is configured."""
    base = ctx.settings.public_base_url
    return f"{base}{CALENDAR_PATH}" if base else None


def calendar_filename(workshop: Workshop) -> str:
    """'alignment-workshop-for-ai-researchers-awair-august-2023.ics'."""
    return f"{slugify(workshop.name, limit=60) or 'schedule'}.ics"


def run(ctx: Context, args: ScheduleRequest | OwnAgenda) -> Any:
    """A day's agenda, or the whole schedule as a calendar."""
    if isinstance(args, OwnAgenda):
        # ``/schedule mine``: the same as ``/mine`` (through the table: no import circle).
        mine = ctx.commands["mine"]
        return mine.run(ctx, mine.arguments(args.text))
    request = checked(args)
    link = calendar_url(ctx)
    if request.calendar:
        if link:
            return CalendarLink(ctx.workshop, link)
        if ctx.platform.files is None:
            return Notice(
                "Files can't be sent here: `awair-bot export ics -o awair.ics` writes the calendar."
            )
        ctx.after(send_calendar, ctx)
        return CalendarSending(ctx.workshop)
    if request.day_word is None and request.filter:
        return Agenda(day_agenda(ctx.workshop, None, ctx.now, request.filter), link, _picks(ctx))
    try:
        day = resolve_day(request.day_word, ctx.workshop, ctx.now)
    except NoSuchDay as exc:
        return Notice(str(exc), Tone.REFUSED)
    return Agenda(day_agenda(ctx.workshop, day, ctx.now, request.filter), link, _picks(ctx))


def _picks(ctx: Context) -> frozenset[str]:
    """The caller's picks (remembered a half minute), for their Add/Remove buttons; none
    without a database, or while it is away: the agenda is worth showing anyway."""

    def load() -> Mine:
        with ctx.db() as db:
            return mine_of(db, ctx.caller.key)

    try:
        return ctx.services.picks.get(ctx.caller.key, load).picks
    except (NoDatabase, SQLAlchemyError):
        return frozenset()


def send_calendar(ctx: Context) -> None:
    """Send the caller the calendar file; tell them if the platform refuses."""
    from bot.formats.ics_export import workshop_to_ics

    workshop, files = ctx.workshop, ctx.platform.files
    assert files is not None
    n = len(workshop.sessions)
    body = workshop_to_ics(workshop, ctx.now)
    file = PrivateFile(
        filename=calendar_filename(workshop),
        content=body,
        title=f"{workshop.name} (calendar)",
        icon="📅",
        heading=workshop.name,
        comment=(
            f": {n} session{'s' if n != 1 else ''}. Open the file to add them to your calendar; "
            "importing a newer one later updates them instead of adding copies."
        ),
    )
    try:
        files.send_file(ctx.caller.user_id, file)
    except PortError as exc:
        logger.warning("sending the calendar to %s failed: %s", ctx.caller.key, exc.reason)
        ctx.tell(NotSent("the calendar file", exc.reason, exc.hint))
        return
    logger.info("sent the calendar (%d bytes) to %s", len(body), ctx.caller.key)


COMMAND = Command(
    name="schedule",
    usage=USAGE,
    run=run,
    parse=parse,
    help=(
        HelpEntry(
            "/schedule [day] [words]",
            "A day's agenda, marking past, now and next; words filter (room, kind, speaker…), "
            "and without a day search every day.",
        ),
        HelpEntry(
            "/schedule ics",
            "The schedule as a calendar for your own calendar app.",
            needs=frozenset({Capability.FILES}),
        ),
    ),
)
