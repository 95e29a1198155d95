"""What every command is made of: who calls it, how it is declared, and the answers every
command may give (a usage, a notice, a refusal).

A command is declared once, in the core, with its grammar, its usage, who may run it and
what a platform must offer for it; adapters only turn a payload into a ``Caller`` and text
(or, where the platform's options are typed, the command's ``Arguments``), and render the
outcome the command returns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar


class Access(StrEnum):
    """Who may run a command (errbot's ``admin_only``, declared on the command)."""

    EVERYONE = "everyone"
    ORGANIZER = "organizer"
    # Anyone may ask; the rule that only the author may act on their own item is the
    # command's (``/propose withdraw``), since it depends on the item.
    AUTHOR = "author"


class Capability(StrEnum):
    """What a platform can do beyond answering in text; help and commands adapt to it."""

    BUTTONS = "buttons"  # interactive buttons under a message (Vote, Share, Publish)
    FILES = "files"  # send a person a file privately (a calendar, a CSV)
    CHANNELS = "channels"  # post to a shared channel (announcements, proposals)


@dataclass(frozen=True)
class Caller:
    """Who typed the command, as the adapter knows them."""

    platform: str  # "slack", "discord", "console"
    user_id: str  # the platform's own id for the person
    name: str  # a name to show until a better one is looked up
    is_organizer: bool = False
    # The person's own time zone (an IANA name) where the platform tells it and the answer
    # is theirs alone (``/mine``): times then also show in it. None: the workshop's only.
    zone: str | None = None

    @property
    def key(self) -> str:
        """The person's id in the database: namespaced by platform, so two platforms on one
        database never mistake one person for another."""
        return person_key(self.platform, self.user_id)


def person_key(platform: str, user_id: str) -> str:
    """'slack:U123': how a person is stored."""
    return f"{platform}:{user_id}"


# -- answers any command may give -----------------------------------------------------


class Tone(StrEnum):
    """How a notice reads: adapters pick an icon or colour from it."""

    INFO = "info"
    DONE = "done"
    REFUSED = "refused"
    PROBLEM = "problem"


@dataclass(frozen=True)
class Notice:
    """A sentence of the bot's own. ``text`` never holds anyone's typed text unquoted; it
    may mark commands with backticks, which adapters show as code."""

    text: str
    tone: Tone = Tone.INFO


@dataclass(frozen=True)
class Usage:
    """The command's usage, with what was wrong if anything."""

    usage: str
    problem: str | None = None

    @property
    def text(self) -> str:
        """Problem and usage as one text."""
        return f"{self.problem}\n{self.usage}" if self.problem else self.usage


@dataclass(frozen=True)
class NotAllowed:
    """The caller may not run this; ``ask`` are the people who can (the platform's ids)."""

    text: str
    ask: tuple[str, ...] = ()


class UsageError(ValueError):
    """The arguments do not fit the command; ``usage`` says how to use it."""

    def __init__(self, usage: str, problem: str | None = None):
        self.usage = usage
        self.problem = problem
        super().__init__(f"{problem}\n{usage}" if problem else usage)


class Refusal(Exception):
    """A request that cannot be done, with the plain sentence that says why."""


TRY_AGAIN = (
    "The bot's database is briefly unavailable, so nothing was saved. Please try again in a few seconds."
)
SORRY = "Sorry, something went wrong on our side. Please try again in a moment."
NO_DATABASE = "That isn't available: the bot runs without a database."


# -- declarations ----------------------------------------------------------------------


@dataclass(frozen=True)
class HelpEntry:
    """One line of ``/awair help``, shown where the platform can do what it needs."""

    syntax: str
    what: str
    needs: frozenset[Capability] = frozenset()
    access: Access = Access.EVERYONE


class Arguments:
    """A command's arguments as fields: what its grammar reads from typed text, and what a
    platform whose options are typed (Discord's title and description) gives directly, so
    that no option is written back into text and read again (a title "C -- D" stays whole,
    "withdraw 7" stays a title). Subclasses are frozen dataclasses, one per subcommand."""

    # The subcommand these are for, as a typed first word would say: it decides who may run
    # them (``Command.access_for``).
    word: ClassVar[str] = ""


def word_of(args: str | Arguments) -> str:
    """The subcommand asked for: the arguments' own, or the text's first word."""
    if isinstance(args, Arguments):
        return args.word
    return args.split(maxsplit=1)[0].casefold() if args.split() else ""


# (context, arguments) -> outcome: the text as typed, or the command's ``Arguments`` where it
# declares a ``parse``. The context is ``bot.commands.context.Context``, which is made of the
# declarations here, so it is not named.
Run = Callable[[Any, Any], Any]
ORGANIZERS_ONLY = "Sorry, only the workshop's organizers can do that."


@dataclass(frozen=True)
class Subcommand:
    """A first word with its own access: ``/awair reload`` is for organizers, ``/awair``
    for everyone."""

    word: str
    access: Access
    not_allowed: str = ORGANIZERS_ONLY


@dataclass(frozen=True)
class Command:
    """A command: its name (``next`` for ``/next``), usage, who may run it, and its function."""

    name: str
    usage: str
    run: Run
    # The grammar, text -> ``Arguments``, for a command whose ``run`` takes them (it may raise
    # ``UsageError``); None: ``run`` reads the text itself.
    parse: Callable[[str], Arguments] | None = None
    help: tuple[HelpEntry, ...] = ()
    access: Access = Access.EVERYONE
    not_allowed: str = ORGANIZERS_ONLY
    subcommands: tuple[Subcommand, ...] = ()
    # Whose answer is the same for everyone at a given instant: computed once a half minute.
    same_for_everyone: bool = False
    # Whose answer a "Share" button may post for everyone.
    shareable: bool = False

    def access_for(self, args: str | Arguments) -> tuple[Access, str]:
        """Who may run ``args`` (a subcommand's own rule, else the command's) and what a
        refused caller is told."""
        first = word_of(args)
        for sub in self.subcommands:
            if sub.word == first:
                return sub.access, sub.not_allowed
        return self.access, self.not_allowed

    def arguments(self, args: str | Arguments) -> Any:
        """What ``run`` is given: text through the command's grammar where it has one
        (``UsageError`` if it does not fit), arguments already in fields as they are."""
        if isinstance(args, str):
            return args if self.parse is None else self.parse(args)
        if self.parse is None:
            raise TypeError(f"/{self.name} reads text, not {type(args).__name__}")
        return args


@dataclass(frozen=True)
class Button:
    """A button's click: ``run(ctx, value)`` with the value the button carried."""

    name: str
    run: Run
    access: Access = Access.EVERYONE
    not_allowed: str = ORGANIZERS_ONLY
