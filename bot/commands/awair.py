"""``/awair [help]``: what the bot does; ``/awair reload``: organizers re-read the schedule."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.announcements.changes import Change, diff_schedules
from bot.commands.base import Access, Command, HelpEntry, Subcommand, UsageError
from bot.commands.context import Context
from bot.commands.grammar import normalise, quote
from bot.schedule.errors import Problem
from bot.schedule.model import Session, Workshop

logger = logging.getLogger(__name__)

USAGE = (
    "Usage: `/awair [help]`: what the bot does and how to use each command.\n"
    "Organizers: `/awair reload` re-reads the schedule; `/awair interest` counts the people who "
    "added each upcoming session to their agenda, beside its room's capacity."
)
MAX_INTEREST = 40


HELP_COLUMN = 28


@dataclass(frozen=True)
class Help:
    """What the bot does: the entries this caller can use on this platform."""

    workshop_name: str
    zone: ZoneInfo
    entries: tuple[HelpEntry, ...]
    organizer_entries: tuple[HelpEntry, ...] = ()

    def as_text(self, extra: tuple[tuple[str, str], ...] = ()) -> str:
        """The help as plain text in two columns (and, for organizers, theirs);
        ``extra`` are the platform's own lines (the console's ``quit``)."""
        lines = [f"awair-bot: the schedule and readings of {self.workshop_name}.", ""]
        for syntax, what in (*((e.syntax, e.what) for e in self.entries), *extra):
            lines.append(f"{syntax:<{HELP_COLUMN}} {what}")
        if self.organizer_entries:
            lines += ["", "For organizers:"]
            lines += [f"{e.syntax:<{HELP_COLUMN}} {e.what}" for e in self.organizer_entries]
        lines += ["", f"Times are shown in the workshop's time zone ({self.zone.key})."]
        return "\n".join(lines)


@dataclass(frozen=True)
class Reloaded:
    """A reload that took: the new schedule and what changed for upcoming sessions."""

    path: str
    workshop: Workshop
    changes: tuple[Change, ...]
    notices_channel: str | None  # where the change notice goes; None: announcements are off
    watching: bool  # the bot also reloads by itself on a file change


@dataclass(frozen=True)
class ReloadRefused:
    """A reload refused for problems in the files: the old schedule stays."""

    path: str
    problems: tuple[Problem, ...]
    kept: int  # sessions in the schedule that stays


@dataclass(frozen=True)
class InterestRow:
    """One upcoming session: how many people picked it, and its room's capacity if known."""

    session: Session
    picked: int
    capacity: int | None

    @property
    def over(self) -> bool:
        """More people picked it than its room holds."""
        return self.capacity is not None and self.picked > self.capacity


@dataclass(frozen=True)
class Interest:
    """``/awair interest``: counts only, never who."""

    workshop: Workshop
    now: datetime
    rows: tuple[InterestRow, ...]
    more: int  # upcoming sessions beyond those shown


def interest(ctx: Context) -> Interest:
    """How many people picked each session not yet over, soonest first, beside capacity."""
    from bot.my_agenda.store import interest as counts

    w, now = ctx.workshop, ctx.now
    ahead = [s for s in w.sessions if s.effective_end(w.day_end(s.day)) > now]
    shown = ahead[:MAX_INTEREST]
    with ctx.db() as db:
        picked = counts(db, [s.id for s in shown])
    capacity = {r.name: r.capacity for r in w.rooms}
    rows = tuple(InterestRow(s, picked.get(s.id, 0), capacity.get(s.room or "")) for s in shown)
    return Interest(w, now, rows, len(ahead) - len(shown))


def help_for(ctx: Context) -> Help:
    """The help this caller sees on this platform: what it can do, organizers' lines apart."""
    usable = [
        entry
        for command in ctx.commands.values()
        for entry in command.help
        if entry.needs <= ctx.platform.capabilities
    ]
    everyone = tuple(e for e in usable if e.access is not Access.ORGANIZER)
    organizers = tuple(e for e in usable if e.access is Access.ORGANIZER) if ctx.caller.is_organizer else ()
    w = ctx.workshop
    return Help(w.name, w.timezone, everyone, organizers)


def reload(ctx: Context) -> Reloaded | ReloadRefused:
    """Re-read the schedule now; an invalid edit is refused and the old schedule stays."""
    old = ctx.workshop
    result = ctx.services.schedule.reload()
    path = str(ctx.services.schedule.path)
    if not result.ok or result.workshop is None:
        return ReloadRefused(path, result.problems, len(old.sessions))
    changes = diff_schedules(old, result.workshop, ctx.now)
    logger.info("organizer %s reloaded the schedule: %d changes", ctx.caller.key, len(changes))
    announcer = ctx.platform.announcer
    return Reloaded(
        path,
        result.workshop,
        tuple(changes),
        announcer.channel if announcer is not None else None,
        ctx.settings.watch_schedule,
    )


def run(ctx: Context, text: str) -> Help | Reloaded | ReloadRefused | Interest:
    """``/awair``, ``/awair help``, ``/awair reload`` or ``/awair interest``."""
    args = normalise(text).casefold()
    if args == "reload":
        return reload(ctx)
    if args == "interest":
        return interest(ctx)
    if args not in ("", "help"):
        raise UsageError(USAGE, f"I don't know `{quote(args)}`.")
    return help_for(ctx)


COMMAND = Command(
    name="awair",
    usage=USAGE,
    run=run,
    help=(
        HelpEntry("/awair help", "This help."),
        HelpEntry(
            "/awair reload",
            "Re-read the schedule now; the channel hears what changed.",
            access=Access.ORGANIZER,
        ),
        HelpEntry(
            "/awair interest",
            "How many people added each upcoming session to their agenda, beside the room's capacity.",
            access=Access.ORGANIZER,
        ),
    ),
    subcommands=(
        Subcommand(
            "reload", Access.ORGANIZER, "Sorry, only the workshop's organizers can reload the schedule."
        ),
        Subcommand(
            "interest",
            Access.ORGANIZER,
            "Sorry, only the workshop's organizers can see how many people picked each session.",
        ),
    ),
)
