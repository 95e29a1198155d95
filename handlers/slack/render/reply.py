"""The reply every Slack answer is, and the answers any command may give (a notice, the
usage, a refusal)."""

from __future__ import annotations

from typing import Any

from bot.commands.base import NotAllowed, Notice, Tone, Usage
from handlers.slack.markup import Blocks, escape, inert, section

Reply = dict[str, Any]
ICONS = {Tone.INFO: "", Tone.DONE: "✅ ", Tone.REFUSED: "", Tone.PROBLEM: ""}


def reply(blocks: Blocks, text: str, *, theirs: bool = False) -> Reply:
    """An ephemeral reply; ``text`` is the plain fallback (escaped here). Slack shows the
    fallback as mrkdwn in notifications and when an answer is shared: where it carries
    other people's text (titles, names), ``theirs`` makes its style characters inert."""
    return {
        "response_type": "ephemeral",
        "blocks": blocks,
        "text": (inert if theirs else escape)(text)[:3000],
    }


def notice(outcome: Notice) -> Reply:
    """A sentence of the bot's own (its backticks are code in mrkdwn)."""
    return reply([section(ICONS[outcome.tone] + escape(outcome.text))], outcome.text)


def usage(outcome: Usage) -> Reply:
    """The command's usage, with what was wrong."""
    return reply([section(escape(outcome.text))], outcome.text)


def not_allowed(outcome: NotAllowed) -> Reply:
    """The caller may not: say who can."""
    if outcome.ask:
        ask = " You can ask an organizer: " + ", ".join(f"<@{o}>" for o in outcome.ask) + "."
    else:
        ask = " No organizers are set up yet (ORGANIZER_IDS)."
    return reply([section(escape(outcome.text) + ask)], outcome.text)


RENDERERS = {Notice: notice, Usage: usage, NotAllowed: not_allowed}
