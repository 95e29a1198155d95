"""``/awair [help]``: what the bot does; ``/awair reload``: organizers re-read the schedule."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App

from bot.announcements.changes import diff_schedules
from bot.announcements.messages import change_line
from bot.commands import normalise, parse_help
from bot.schedule.errors import Problem
from bot.services import Services
from bot.text import SLACK_HELP_ENTRIES, render_help
from handlers.blocks import Blocks, context, escape, help_blocks, section
from handlers.common import Reply, answer_command, reply

logger = logging.getLogger(__name__)

MAX_PROBLEMS = 20


def build_reply(services: Services, text: str, user_id: str = "") -> Reply:
    """The reply to ``/awair <text>``."""
    if normalise(text).casefold() == "reload":
        return reload_reply(services, user_id)
    parse_help(text)
    help_text = render_help(
        services.workshop, SLACK_HELP_ENTRIES, organizer=services.settings.is_organizer(user_id)
    )
    return reply(help_blocks(help_text), help_text)


def reload_reply(services: Services, user_id: str) -> Reply:
    """Reload the schedule for an organizer and say what happened (nothing for anyone else)."""
    if not services.settings.is_organizer(user_id):
        logger.info("refused /awair reload from non-organizer %s", user_id)
        return reply(
            [section("Sorry, only the workshop's organizers can reload the schedule.")],
            "Sorry, only organizers can reload the schedule.",
        )
    old = services.workshop
    result = services.schedule.reload()
    path = escape(str(services.schedule.path))
    if not result.ok or result.workshop is None:
        return _refused(services, result.problems, path)
    new, now = result.workshop, services.clock.now()
    changes = diff_schedules(old, new, now)
    logger.info("organizer %s reloaded the schedule: %d changes", user_id, len(changes))
    days = len(new.days)
    blocks: Blocks = [
        section(
            f"✅ Reloaded `{path}`: {len(new.sessions)} sessions over {days} day{'s' if days != 1 else ''}."
        )
    ]
    if changes:
        lines = [f"• {escape(change_line(c, new.timezone))}" for c in changes[:MAX_PROBLEMS]]
        if len(changes) > MAX_PROBLEMS:
            lines.append(f"…and {len(changes) - MAX_PROBLEMS} more.")
        blocks.append(section("*Changed for upcoming sessions:*\n" + "\n".join(lines)))
        announcer = services.announcer
        blocks.append(
            context(
                f"A schedule-change notice goes to <#{announcer.channel}>, and announcements follow the new times."
                if announcer is not None
                else "Announcements are off (no ANNOUNCE_CHANNEL), so no change notice is posted."
            )
        )
    else:
        note = " (the bot also reloads by itself within seconds of a file change)"
        watching = note if services.settings.watch_schedule else ""
        blocks.append(section(f"Nothing upcoming changed since the last load{watching}."))
    blocks += [context(f"⚠️ {escape(w)}") for w in new.warnings[:10]]
    summary = f"Reloaded the schedule: {len(new.sessions)} sessions, {len(changes)} upcoming changes."
    return reply(blocks, summary)


def _refused(services: Services, problems: tuple[Problem, ...], path: str) -> Reply:
    n, kept = len(problems), len(services.workshop.sessions)
    lines = [f"• {escape(str(p))}" for p in problems[:MAX_PROBLEMS]]
    if n > MAX_PROBLEMS:
        lines.append(f"…and {n - MAX_PROBLEMS} more: `awair-bot check` lists them all.")
    blocks: Blocks = [
        section(
            f"⚠️ `{path}` has {n} problem{'s' if n != 1 else ''}, so I kept the schedule I had "
            f"({kept} sessions). Nothing changed and nothing was announced."
        )
    ]
    # Several sections, each within Slack's 3,000-character limit.
    chunk: list[str] = []
    for line in lines:
        if chunk and sum(len(x) + 1 for x in chunk) + len(line) > 2800:
            blocks.append(section("\n".join(chunk)))
            chunk = []
        chunk.append(line)
    if chunk:
        blocks.append(section("\n".join(chunk)))
    blocks.append(context("Fix them and run `/awair reload` again."))
    text = f"Schedule reload refused ({n} problem{'s' if n != 1 else ''}); the old schedule stays."
    return reply(blocks, text)


def register(app: App, services: Services) -> None:
    @app.command("/awair")
    def handle_awair(ack, command: dict[str, Any]):
        answer_command(ack, command, lambda text: build_reply(services, text, command.get("user_id", "")))
