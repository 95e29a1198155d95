"""The bot's commands as Discord application commands: their typed options, what the core
is given from them, and the autocomplete choices for days, rooms and proposals.

The core owns every command's grammar. Where a command takes its arguments as fields
(``/propose``'s title and description, ``/schedule``'s day and words, ``/mine``,
``/announce``), the options are passed as those fields, never written back into text the
grammar would read again: a title "C -- D" stays one title, "withdraw 7" stays a title.
The other commands' options are a choice, a number or one free text read whole, so their
text is the same the command reads on Slack.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from bot.commands import announce, mine, propose
from bot.commands.base import Access, Arguments
from bot.commands.runner import COMMANDS
from bot.commands.schedule import ScheduleRequest
from bot.schedule.model import Workshop
from bot.unconference.views import fetch, open_only
from handlers.discord.markup import CHOICES_MAX

STRING, INTEGER, SUB = 3, 4, 1
# Organizer commands are hidden from members without Manage Events (which an organizer team
# usually has); a server admin can grant them to any role under Integrations. The bot checks
# the organizer role again on every use. An integer, as the API spec types it.
MANAGE_EVENTS = 1 << 33


def _option(kind: int, name: str, description: str, *, required: bool = False, **more: Any) -> dict[str, Any]:
    return {"type": kind, "name": name, "description": description, "required": required, **more}


def _sub(name: str, description: str, *options: dict[str, Any]) -> dict[str, Any]:
    return {"type": SUB, "name": name, "description": description, "options": list(options)}


_PROPOSAL = {"min_value": 1, "max_value": 1_000_000, "autocomplete": True}
_OPTIONS: dict[str, list[dict[str, Any]]] = {
    "next": [_option(INTEGER, "count", "How many start times to show (1-10)", min_value=1, max_value=10)],
    "schedule": [
        _option(
            STRING,
            "day",
            "today, tomorrow, a weekday or a date (or ics for your calendar)",
            autocomplete=True,
            max_length=20,
        ),
        _option(
            STRING,
            "words",
            "Words to match: a room, a track, a kind, a speaker",
            autocomplete=True,
            max_length=200,
        ),
    ],
    "readings": [
        _option(STRING, "search", "all, or words to search titles, authors and topics", max_length=200)
    ],
    "propose": [
        _sub(
            "new",
            "Propose an unconference session",
            _option(
                STRING,
                "title",
                "The session's title (3-150 characters)",
                required=True,
                min_length=1,
                max_length=150,
            ),
            _option(STRING, "description", "What it is about (up to 2,000 characters)", max_length=2000),
        ),
        _sub(
            "withdraw",
            "Withdraw one of your proposals",
            _option(INTEGER, "proposal", "Its number", required=True, **_PROPOSAL),
        ),
    ],
    "proposals": [
        _option(
            STRING,
            "show",
            "Which proposals",
            choices=[{"name": "open", "value": "open"}, {"name": "mine", "value": "mine"}],
        )
    ],
    "awair": [
        _option(
            STRING,
            "topic",
            "help, or reload and interest (organizers)",
            choices=[
                {"name": "help", "value": "help"},
                {"name": "reload", "value": "reload"},
                {"name": "interest", "value": "interest"},
            ],
        )
    ],
    "mine": [
        _sub(
            "show",
            "Your agenda: the sessions you added, clashes marked",
            _option(
                STRING, "day", "today, tomorrow, a weekday, a date, or all", autocomplete=True, max_length=20
            ),
        ),
        _sub(
            "remind",
            "A direct message before each of your sessions",
            _option(STRING, "minutes", "Minutes before (1-120), or off", required=True, max_length=5),
        ),
        _sub("calendar", "Your sessions for your calendar app"),
        _sub("new-calendar-link", "A new private calendar link; the old one stops working"),
    ],
    "announce": [
        _sub(
            "now",
            "Post to the announcement channel now, signed with your name",
            _option(
                STRING,
                "text",
                "The announcement (@everyone and role mentions work)",
                required=True,
                max_length=1800,
            ),
        ),
        _sub(
            "at",
            "Post it later, at workshop time",
            _option(STRING, "when", "HH:MM or weekday HH:MM, e.g. sun 13:15", required=True, max_length=30),
            _option(STRING, "text", "The announcement", required=True, max_length=1800),
        ),
        _sub("list", "What is scheduled"),
        _sub(
            "cancel",
            "Cancel a scheduled announcement",
            _option(INTEGER, "id", "Its number (from list)", required=True, min_value=1),
        ),
    ],
    "unconf": [
        _sub("plan", "Plan the block from the votes; only you see the draft"),
        _sub("publish", "Publish the draft you were shown"),
        _sub("export", "Every proposal with its votes"),
        _sub(
            "merge",
            "Merge a duplicate proposal into another; its votes move over",
            _option(INTEGER, "from", "The duplicate", required=True, **_PROPOSAL),
            _option(INTEGER, "into", "The one to keep", required=True, **_PROPOSAL),
        ),
        _sub(
            "remove",
            "Remove an abusive proposal; its votes go back",
            _option(INTEGER, "proposal", "Its number", required=True, **_PROPOSAL),
            _option(STRING, "reason", "Why (shown to its author)", max_length=300),
        ),
    ],
}
_DESCRIPTIONS = {
    "next": "What is on now and what starts next",
    "schedule": "A day's agenda, or sessions matching words",
    "readings": "Papers for the reading session on now or next",
    "propose": "Propose an unconference session, or withdraw yours",
    "proposals": "The open unconference proposals, with Vote buttons",
    "awair": "What the bot does and how to use it",
    "announce": "Organizers: post or schedule an announcement",
    "unconf": "Organizers: plan and publish the unconference",
    "mine": "Your own agenda, reminders and private calendar",
}


def definitions() -> list[dict[str, Any]]:
    """Every command as Discord's bulk-overwrite body wants it."""
    found = []
    for name, command in COMMANDS.items():
        definition: dict[str, Any] = {
            "name": name,
            "type": 1,
            "description": _DESCRIPTIONS[name],
            "options": _OPTIONS[name],
            "contexts": [0],  # in the server only: the schedule and channels are the server's
        }
        if command.access is Access.ORGANIZER:
            definition["default_member_permissions"] = MANAGE_EVENTS
        found.append(definition)
    return found


def _values(options: Any) -> tuple[str | None, dict[str, Any]]:
    """(subcommand, {option: value}) from an interaction's options."""
    if not isinstance(options, list):
        return None, {}
    if options and isinstance(options[0], dict) and options[0].get("type") == SUB:
        return str(options[0].get("name")), _values(options[0].get("options"))[1]
    found = {}
    for o in options:
        if isinstance(o, dict) and isinstance(o.get("name"), str):
            found[o["name"]] = o.get("value")
    return None, found


def _s(value: Any) -> str:
    return "" if value is None or isinstance(value, (dict, list)) else str(value).strip()


def _n(value: Any) -> int | None:
    # A typed integer option; the core checks its range. JSON's true is no number.
    return value if type(value) is int else None


def _or_none(value: Any) -> str | None:
    return _s(value) or None


_ARGUMENTS: dict[str, Callable[[str | None, dict[str, Any]], str | Arguments]] = {
    "next": lambda sub, v: _s(v.get("count")),
    "schedule": lambda sub, v: ScheduleRequest(_or_none(v.get("day")), _or_none(v.get("words"))),
    "readings": lambda sub, v: _s(v.get("search")),
    "propose": lambda sub, v: (
        propose.Withdraw(_n(v.get("proposal")))
        if sub == "withdraw"
        else propose.NewProposal(_s(v.get("title")), _s(v.get("description")))
    ),
    "proposals": lambda sub, v: "mine" if _s(v.get("show")) == "mine" else "",
    "awair": lambda sub, v: _s(v.get("topic")),
    "mine": lambda sub, v: {
        "remind": lambda: mine.Remind(_s(v.get("minutes"))),
        "calendar": lambda: mine.OwnCalendar(),
        "new-calendar-link": lambda: mine.OwnCalendar(reset=True),
    }.get(sub or "", lambda: mine.ShowMine(_or_none(v.get("day"))))(),
    "announce": lambda sub, v: {
        "now": lambda: announce.PostNow(_s(v.get("text"))),
        "at": lambda: announce.PostAt(_s(v.get("when")), _s(v.get("text"))),
        "list": lambda: announce.ListScheduled(),
        "cancel": lambda: announce.CancelScheduled(_n(v.get("id"))),
    }.get(sub or "", lambda: "help")(),
    # Subcommands, numbers, and a reason the grammar reads as the rest of the line.
    "unconf": lambda sub, v: " ".join(
        x
        for x in (sub or "", _s(v.get("from")), _s(v.get("into")), _s(v.get("proposal")), _s(v.get("reason")))
        if x
    ),
}


def command_arguments(name: str, options: Any) -> str | Arguments:
    """What the core's ``/name`` is given from Discord's typed options: its ``Arguments``
    where it takes them as fields, else its text."""
    sub, values = _values(options)
    return _ARGUMENTS[name](sub, values)


def focused(options: Any) -> tuple[str, str] | None:
    """(option name, what is typed so far) of the option an autocomplete asks about."""
    if not isinstance(options, list):
        return None
    for o in options:
        if not isinstance(o, dict):
            continue
        if o.get("type") == SUB:
            return focused(o.get("options"))
        if o.get("focused"):
            return str(o.get("name")), _s(o.get("value"))
    return None


def _matching(candidates: list[tuple[str, str]], typed: str) -> list[dict[str, Any]]:
    typed = typed.casefold()
    hits = [(n, v) for n, v in candidates if typed in n.casefold()]
    return [{"name": n[:100], "value": v[:100]} for n, v in hits[:CHOICES_MAX]]


def day_choices(workshop: Workshop, typed: str) -> list[dict[str, Any]]:
    """today, tomorrow and each of the workshop's days."""
    days = [(f"{d:%A} {d.day} {d:%B}", d.isoformat()) for d in workshop.days]
    return _matching(
        [("today", "today"), ("tomorrow", "tomorrow"), *days, ("ics (calendar file)", "ics")], typed
    )


def room_choices(workshop: Workshop, typed: str) -> list[dict[str, Any]]:
    """The workshop's rooms and tracks."""
    names = sorted(
        {s.room for s in workshop.sessions if s.room} | {s.track for s in workshop.sessions if s.track}
    )
    return _matching([(n, n) for n in names], typed)


def proposal_choices(db: Session, typed: str) -> list[dict[str, Any]]:
    """Open proposals, by number and title."""
    candidates = [(f"#{p.number} {p.title}", p.number) for p in fetch(db, open_only())]
    typed = typed.casefold().lstrip("#")
    hits = [(n, v) for n, v in candidates if typed in n.casefold()]
    return [{"name": n[:100], "value": v} for n, v in hits[:CHOICES_MAX]]
