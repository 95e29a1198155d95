"""Running a command or a click through the core's runner as an adapter does, and what
every outcome must be: a value every adapter renders (console, Slack, Discord), never the "sorry" of an unexpected
exception or the "try again" of a database error, nothing logged as an error."""

from __future__ import annotations

from typing import Any

from bot.commands.base import SORRY, TRY_AGAIN, Arguments, Caller, Notice
from bot.commands.runner import run_button, run_command
from handlers.console.render import render as console_text
from handlers.discord.render import render as discord_reply
from handlers.slack.render import render as slack_reply
from tests.bot.commands.conftest import Bot


def rendered(outcome: Any, errors) -> Any:
    """``outcome``, checked: an answer the adapters render, with no error logged."""
    assert not (isinstance(outcome, Notice) and outcome.text in (SORRY, TRY_AGAIN)), outcome
    logged = [r.getMessage() for r in errors.records]
    assert not logged, logged
    console_text(outcome)
    slack_reply(outcome)
    discord_reply(outcome)
    return outcome


def command(core: Bot, errors, caller: Caller, name: str, text: str | Arguments) -> Any:
    """The checked outcome of ``/name text`` (or its arguments as fields), its follow-ups run."""
    errors.records.clear()
    answer = run_command(core.services, core.platform, caller, name, text, core.told.append)
    answer.start(core.services)
    return rendered(answer.outcome, errors)


def click(core: Bot, errors, caller: Caller, name: str, value: Any) -> Any:
    """The checked outcome of a click on button ``name`` carrying ``value``."""
    errors.records.clear()
    answer = run_button(core.services, core.platform, caller, name, value, core.told.append)
    answer.start(core.services)
    return rendered(answer.outcome, errors)
