"""Block Kit for ``/awair reload``: what changed, or why the edit was refused."""

from __future__ import annotations

from bot.announcements.messages import change_line
from bot.commands.awair import Reloaded, ReloadRefused
from handlers.slack.markup import Blocks, context, escape, inert, pack, section
from handlers.slack.render.reply import Reply, reply

MAX_PROBLEMS = 20


def render_reloaded(outcome: Reloaded) -> Reply:
    """A reload that took: the sessions now, and what changed for upcoming ones."""
    new, changes, path = outcome.workshop, outcome.changes, escape(outcome.path)
    days = len(new.days)
    blocks: Blocks = [
        section(
            f"✅ Reloaded `{path}`: {len(new.sessions)} sessions over {days} day{'s' if days != 1 else ''}."
        )
    ]
    if changes:
        lines = [f"• {inert(change_line(c, new.timezone))}" for c in changes[:MAX_PROBLEMS]]
        if len(changes) > MAX_PROBLEMS:
            lines.append(f"…and {len(changes) - MAX_PROBLEMS} more.")
        blocks.append(section("*Changed for upcoming sessions:*\n" + "\n".join(lines)))
        blocks.append(
            context(
                f"A schedule-change notice goes to <#{outcome.notices_channel}>, and announcements follow the new times."
                if outcome.notices_channel is not None
                else "Announcements are off (no ANNOUNCE_CHANNEL), so no change notice is posted."
            )
        )
    else:
        note = " (the bot also reloads by itself within seconds of a file change)"
        blocks.append(
            section(f"Nothing upcoming changed since the last load{note if outcome.watching else ''}.")
        )
    blocks += [context(f"⚠️ {inert(w)}") for w in new.warnings[:10]]
    summary = f"Reloaded the schedule: {len(new.sessions)} sessions, {len(changes)} upcoming changes."
    return reply(blocks, summary)


def render_refused(outcome: ReloadRefused) -> Reply:
    """An edit with problems: every one listed (within limits), and the old schedule kept."""
    problems, path = outcome.problems, escape(outcome.path)
    n = len(problems)
    lines = [f"• {inert(str(p))}" for p in problems[:MAX_PROBLEMS]]
    if n > MAX_PROBLEMS:
        lines.append(f"…and {n - MAX_PROBLEMS} more: `awair-bot check` lists them all.")
    blocks: Blocks = [
        section(
            f"⚠️ `{path}` has {n} problem{'s' if n != 1 else ''}, so I kept the schedule I had "
            f"({outcome.kept} sessions). Nothing changed and nothing was announced."
        ),
        *pack(lines, room=2800),
        context("Fix them and run `/awair reload` again."),
    ]
    text = f"Schedule reload refused ({n} problem{'s' if n != 1 else ''}); the old schedule stays."
    return reply(blocks, text)


RENDERERS = {Reloaded: render_reloaded, ReloadRefused: render_refused}
