"""A local console over the same core: type /next, /schedule, /readings; no Slack needed."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TextIO

from bot.answers import next_answer, readings_answer, schedule_answer
from bot.commands import NoSuchDay, UsageError, parse_help
from bot.services import Services
from bot.text import render_agenda, render_help, render_next, render_readings

CONSOLE_HELP_EXTRA = (("quit", "Leave the console (or Ctrl-D)."),)


def _next(services: Services, text: str) -> str:
    return render_next(next_answer(services.workshop, services.clock.now(), text))


def _schedule(services: Services, text: str) -> str:
    if text.strip().lower() == "ics":
        return "The console can't send files: `awair-bot export ics -o awair.ics` writes the calendar."
    try:
        return render_agenda(schedule_answer(services.workshop, services.clock.now(), text))
    except NoSuchDay as exc:
        return str(exc)


def _readings(services: Services, text: str) -> str:
    return render_readings(readings_answer(services.workshop, services.clock.now(), text))


def _help(services: Services, text: str) -> str:
    parse_help(text)
    return render_help(services.workshop, CONSOLE_HELP_EXTRA)


COMMANDS: dict[str, Callable[[Services, str], str]] = {
    "/next": _next,
    "/schedule": _schedule,
    "/readings": _readings,
    "/awair": _help,
    "/help": _help,
}


def answer(services: Services, line: str) -> str:
    """The console's answer to one typed line."""
    name, _, args = line.strip().partition(" ")
    if not name.startswith("/"):
        name = "/" + name
    handler = COMMANDS.get(name.lower())
    if handler is None:
        known = ", ".join(c for c in COMMANDS if c != "/help")
        return f"Unknown command '{name[:40]}'. Try one of: {known}."
    try:
        return handler(services, args)
    except UsageError as exc:
        return str(exc).replace("`", "")


def run_console(services: Services, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    """Read commands until end of input or ``quit``; prompt only when a person is typing."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    interactive = stdin.isatty()
    if interactive:
        print(
            f"awair-bot console for {services.workshop.name}. Type /awair for help, quit to leave.",
            file=stdout,
        )
    while True:
        if interactive:
            print("awair> ", end="", file=stdout, flush=True)
        line = stdin.readline()
        if not line:
            if interactive:
                print(file=stdout)
            return 0
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.lower() in ("quit", "exit", "/quit"):
            return 0
        print(answer(services, line), file=stdout, flush=True)
        if not interactive:
            print(file=stdout)
