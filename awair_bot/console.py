"""A local console over the same core: type /next, /schedule, /readings; no Slack needed."""

from __future__ import annotations

import sys
from typing import TextIO

from bot.commands.base import Caller
from bot.commands.runner import run_command
from bot.platforms import CONSOLE, Platform
from bot.services import Services
from handlers.console.render import render

# Whoever runs the console runs the bot: they may try the organizers' commands too.
LOCAL_USER = Caller(CONSOLE, "local", "You", is_organizer=True)


def console_platform(services: Services) -> Platform:
    """The console as a platform: text only, no buttons, files or channels."""
    return services.platforms.get(CONSOLE) or services.add_platform(Platform(CONSOLE))


def answer(services: Services, line: str, caller: Caller = LOCAL_USER) -> str:
    """The console's answer to one typed line."""
    name, _, args = line.strip().partition(" ")
    name = name.removeprefix("/").casefold()
    if name == "help":
        name = "awair"
    outcome = run_command(services, console_platform(services), caller, name, args).outcome
    return render(outcome)


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
