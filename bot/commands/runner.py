"""The command table (every command and button of the bot) and the one way to run them.

An adapter turns its platform's payload into a ``Caller`` and text (or a command's
``Arguments``, where its platform's options are typed), calls ``run_command`` (or ``run_button``), renders the outcome it gets back, replies, and then calls
``Answer.start`` for the work that follows the reply. Who may run what, the grammar, the
rules and the effects are all here; so is the one error policy: a usage error becomes the
usage, an unavailable database "try again", anything unexpected "sorry", each logged once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from bot import metrics
from bot.commands import announce, awair, mine, next_up, proposals, propose, readings, schedule, unconf, vote
from bot.commands.base import (
    NO_DATABASE,
    SORRY,
    TRY_AGAIN,
    Access,
    Arguments,
    Button,
    Caller,
    Command,
    NotAllowed,
    Notice,
    Tone,
    Usage,
    UsageError,
)
from bot.commands.context import Context, Tell
from bot.platforms import Platform
from bot.services import NoDatabase, Services

logger = logging.getLogger(__name__)

COMMANDS: dict[str, Command] = {
    c.name: c
    for c in (
        next_up.COMMAND,
        schedule.COMMAND,
        mine.COMMAND,
        readings.COMMAND,
        propose.COMMAND,
        proposals.COMMAND,
        awair.COMMAND,
        announce.COMMAND,
        unconf.COMMAND,
    )
}
BUTTONS: dict[str, Button] = {b.name: b for b in (vote.BUTTON, unconf.PUBLISH_BUTTON, mine.BUTTON)}


@dataclass(frozen=True)
class Answer:
    """A command's outcome (a value for the adapter to render) and the work to start once
    the caller has it."""

    outcome: Any
    followups: tuple[Callable[[], None], ...] = ()

    def start(self, services: Services) -> None:
        """Start the follow-up work, off the request."""
        for followup in self.followups:
            services.later(followup)


def run_command(
    services: Services,
    platform: Platform,
    caller: Caller,
    name: str,
    text: str | Arguments,
    tell: Tell | None = None,
) -> Answer:
    """Run ``/name text`` for ``caller`` on ``platform``; never raises. ``text`` may be the
    command's ``Arguments`` instead, as a platform with typed options gives them."""
    command = COMMANDS.get(name)
    if command is None:
        known = ", ".join(f"/{n}" for n in COMMANDS)
        return Answer(Notice(f"I don't know `/{name[:40]}`. Try one of: {known}.", Tone.REFUSED))
    access, not_allowed = command.access_for(text)
    if access is Access.ORGANIZER and not caller.is_organizer:
        logger.info("refused /%s from %s: not an organizer", name, caller.key)
        metrics.observe_command(f"/{name}", "refused", 0.0)
        return Answer(NotAllowed(not_allowed, platform.organizers))
    ctx = _context(services, platform, caller, tell)
    if command.same_for_everyone:
        # The same for everyone at a given instant: computed once a half minute and schedule.
        workshop = services.workshop
        return _guarded(
            f"/{name}",
            caller,
            lambda: services.answers.get(
                workshop,
                ctx.now,
                (name, text),
                lambda minute: command.run(_at(ctx, minute), command.arguments(text)),
            ),
            ctx,
        )
    return _guarded(f"/{name}", caller, lambda: command.run(ctx, command.arguments(text)), ctx)


def answered_already(services: Services, name: str, text: str | Arguments) -> Answer | None:
    """The half minute's answer to ``/name text`` when the command's answer is the same for
    everyone and is computed already: what ``run_command`` would return, without the work of
    a run (a warm ``/next`` is mostly that work). None otherwise: run the command."""
    command = COMMANDS.get(name)
    if command is None or not command.same_for_everyone or command.access is not Access.EVERYONE:
        return None
    outcome = services.answers.peek(services.workshop, services.clock.now(), (name, text))
    return None if outcome is None else Answer(outcome)


def run_button(
    services: Services, platform: Platform, caller: Caller, name: str, value: str, tell: Tell | None = None
) -> Answer:
    """Run a click on button ``name`` carrying ``value``; never raises."""
    button = BUTTONS.get(name)
    if button is None:
        return Answer(Notice(vote.BUTTON_PROBLEM, Tone.PROBLEM))
    if button.access is Access.ORGANIZER and not caller.is_organizer:
        logger.info("refused the %s button from %s: not an organizer", name, caller.key)
        metrics.observe_command(f"{name} button", "refused", 0.0)
        return Answer(NotAllowed(button.not_allowed, platform.organizers))
    ctx = _context(services, platform, caller, tell)
    return _guarded(f"the {name} button", caller, lambda: button.run(ctx, value), ctx, f"{name} button")


def _context(services: Services, platform: Platform, caller: Caller, tell: Tell | None) -> Context:
    ctx = Context(services, platform, caller, services.clock.now(), commands=COMMANDS)
    if tell is not None:
        ctx.tell = tell
    return ctx


def _at(ctx: Context, minute) -> Context:  # noqa: ANN001
    return Context(ctx.services, ctx.platform, ctx.caller, minute, ctx.tell, ctx.followups, ctx.commands)


def _guarded(
    what: str, caller: Caller, run: Callable[[], Any], ctx: Context, label: str | None = None
) -> Answer:
    """The one error policy: a usage error is the usage, an unavailable database "try
    again", anything else "sorry"; logged once here, never in the commands. Each outcome
    and its time is counted for /metrics under ``label`` (default ``what``)."""
    started = time.perf_counter()
    answer, outcome = _outcome(what, caller, run, ctx)
    metrics.observe_command(label or what, outcome, time.perf_counter() - started)
    return answer


def _outcome(what: str, caller: Caller, run: Callable[[], Any], ctx: Context) -> tuple[Answer, str]:
    try:
        outcome = run()
    except UsageError as exc:
        logger.info("%s from %s: usage (%s)", what, caller.key, exc.problem or "asked")
        return Answer(Usage(exc.usage, exc.problem)), "usage"
    except NoDatabase:
        return Answer(Notice(NO_DATABASE, Tone.PROBLEM)), "no_database"
    except SQLAlchemyError:
        # The database restarting or unreachable: nothing was acknowledged, so nothing is
        # lost; the pool's pre-ping reconnects by itself once it is back.
        logger.warning("%s from %s: database unavailable", what, caller.key, exc_info=True)
        metrics.DATABASE_ERRORS.inc()
        return Answer(Notice(TRY_AGAIN, Tone.PROBLEM)), "try_again"
    except Exception:
        logger.exception("%s from %s failed", what, caller.key)
        return Answer(Notice(SORRY, Tone.PROBLEM)), "error"
    return Answer(outcome, tuple(ctx.followups)), "ok"
