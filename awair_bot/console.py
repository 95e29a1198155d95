"""A local console over the same core: every command, as a local organizer (or, with
``--participant``, as a participant), buttons offered as numbered choices, and the
announcement channel printed as posts fall due. No Slack needed."""

from __future__ import annotations

import sys
import threading
from datetime import datetime
from typing import TextIO

from bot.commands.base import Caller, Capability
from bot.commands.runner import Answer, run_button, run_command
from bot.platforms import CONSOLE, Platform
from bot.ports import FileSender
from bot.services import Services
from bot.text import first_session_line, over_line
from handlers.console.choices import Choice, choices_for, choices_text
from handlers.console.poster import CONSOLE_CHANNEL
from handlers.console.render import render

# Whoever runs the console runs the bot: they may try the organizers' commands too.
LOCAL_USER = Caller(CONSOLE, "local", "You", is_organizer=True)
PARTICIPANT = Caller(CONSOLE, "local", "You", is_organizer=False)


def console_platform(services: Services, files: FileSender | None = None) -> Platform:
    """The console as a platform: buttons (as numbered choices), its own channel, which the
    terminal shows, and, given ``files``, private files saved where the console runs."""
    capabilities = {Capability.BUTTONS} | ({Capability.FILES} if files is not None else set())
    return services.platforms.get(CONSOLE) or services.add_platform(
        Platform(
            CONSOLE,
            frozenset(capabilities),
            files=files,
            announce_channel=CONSOLE_CHANNEL,
            organizers=(LOCAL_USER.user_id,),
        )
    )


class Console:
    """One person at the console: their answers, and the choices the last answer offered."""

    def __init__(self, services: Services, caller: Caller = LOCAL_USER):
        self.services = services
        self.caller = caller
        self.offered: tuple[Choice, ...] = ()

    def answer(self, line: str) -> str:
        """The console's answer to one typed line: a command, or the number of a choice."""
        line = line.strip()
        platform = console_platform(self.services)
        # ASCII digits only: "²".isdigit() is true, and int("²") raises.
        if line.isascii() and line.isdigit():
            if not self.offered:
                return "There is nothing to choose just now: type a command, or /help."
            index = int(line) - 1
            if not 0 <= index < len(self.offered):
                return f"Type a number from 1 to {len(self.offered)}, or a command."
            choice = self.offered[index]
            ran = run_button(self.services, platform, self.caller, choice.button, choice.value)
        else:
            name, _, args = line.partition(" ")
            name = name.removeprefix("/").casefold()
            if name == "help":
                name = "awair"
            ran = run_command(self.services, platform, self.caller, name, args)
        return self._shown(ran)

    def _shown(self, ran: Answer) -> str:
        ran.start(self.services)
        self.offered = choices_for(ran.outcome)
        offer = choices_text(self.offered)
        return render(ran.outcome) + (f"\n{offer}" if offer else "")


def answer(services: Services, line: str, caller: Caller = LOCAL_USER) -> str:
    """The console's answer to one typed line."""
    return Console(services, caller).answer(line)


def time_hint(services: Services, now: datetime, clock_set: bool) -> str | None:
    """When the schedule lies wholly in the past or the future and the clock was not set, a
    line saying so and how to start at a moment of it."""
    w = services.workshop
    if clock_set or not w.sessions:
        return None
    first, last = w.sessions[0], w.sessions[-1]
    if first.start <= now <= w.day_end(last.day):
        return None
    said = over_line(w) if now > first.start else first_session_line(w, now)
    moment = first.start.astimezone(w.timezone).isoformat()
    return (
        f"{said}\n  To try it at a moment of the workshop, set the bot's clock: "
        f"AWAIR_NOW={moment} awair-bot run"
    )


def run_console(
    services: Services,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    caller: Caller = LOCAL_USER,
    lock: threading.Lock | None = None,
) -> int:
    """Read commands until end of input or ``quit``; prompt only when a person is typing.
    ``lock`` is shared with the console's poster, so a post never cuts an answer in two."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    lock = lock or threading.Lock()
    console = Console(services, caller)
    interactive = stdin.isatty()
    if interactive:
        who = "an organizer" if caller.is_organizer else "a participant"
        print(
            f"awair-bot console for {services.workshop.name}, as {who}. Type /awair for help, quit to leave.",
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
        text = console.answer(line)
        with lock:
            print(text, file=stdout, flush=True)
            if not interactive:
                print(file=stdout)
