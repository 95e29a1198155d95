"""Every outcome of the core as a Discord message: embeds within Discord's limits, buttons,
and ``allowed_mentions`` that let nothing ping anyone.

``/next`` has an embed of its own, with Discord timestamps beside the workshop's zone (each
member reads their own time, and "in 5 minutes" counts down by itself). Every other answer
is the console's text for it, which the core's tests already hold to every case, escaped
here (its `backticks` shown as code) and laid into embeds.
"""

from __future__ import annotations

from typing import Any

from bot.commands.base import NotAllowed, Notice, Tone, Usage
from bot.schedule.model import Session
from bot.text import KIND_ICONS, first_session_line, over_line, parallel_note, readings_hint, session_details
from bot.timefmt import clock, day_label, span
from bot.whats_next import NextAnswer, Phase
from handlers.console.choices import choices_for
from handlers.console.render import RENDERERS as TEXT_RENDERERS
from handlers.discord.markup import (
    BUTTONS_PER_ROW,
    CUSTOM_ID_MAX,
    DESCRIPTION_MAX,
    EMBEDS_TOTAL_MAX,
    LABEL_MAX,
    NOTHING_MENTIONED,
    ROWS_MAX,
    code_marked,
    cut,
    embed_size,
    escape,
    fit_embed,
    timestamp,
)
from handlers.discord.render_own import RENDERERS as OWN_RENDERERS

Reply = dict[str, Any]
EPHEMERAL = 1 << 6
COLOURS = {Tone.INFO: 0x5865F2, Tone.DONE: 0x57F287, Tone.REFUSED: 0xFEE75C, Tone.PROBLEM: 0xED4245}
# /next lists this many sessions of a slot; a big conference's slot can hold fifty.
MAX_PARALLEL = 8
SHARE_PREFIX = "share:"
BUTTON_PREFIXES = {"vote": "vote:", "publish": "publish:", "pick": "pick:"}


def reply(embeds: list[dict[str, Any]], components: list[dict[str, Any]] | None = None) -> Reply:
    """An ephemeral reply that mentions nobody."""
    message: Reply = {"embeds": embeds, "allowed_mentions": NOTHING_MENTIONED, "flags": EPHEMERAL}
    if components:
        message["components"] = components
    return message


def text_embeds(text: str, colour: int, *, marked: bool = False) -> list[dict[str, Any]]:
    """Text (escaped here, unless already ``marked`` up) in as many embed descriptions as it
    needs, within the 6,000 total."""
    lines, embeds, current, total = text.split("\n"), [], "", 0
    budget = EMBEDS_TOTAL_MAX - 200
    for line in lines:
        line = line if marked else code_marked(line)
        if len(current) + len(line) + 1 > DESCRIPTION_MAX - 10:
            embeds.append(current)
            total += len(current)
            current = ""
        if total + len(current) + len(line) > budget:
            current += "\n…" if current else "…"
            break
        current = f"{current}\n{line}" if current else cut(line, DESCRIPTION_MAX - 10)
    embeds.append(current or "\u200b")
    return [{"description": d, "color": colour} for d in embeds[:10]]


def _session_field(s: Session, answer: NextAnswer, running: bool) -> dict[str, str]:
    tz = answer.workshop.timezone
    when = (
        f"{escape(span(s.start, s.end, tz))} · ends {timestamp(s.end, 'R')}"
        if running and s.end
        else f"{escape(span(s.start, s.end, tz))} · {timestamp(s.start, 't')} your time"
    )
    lines = [when, escape(session_details(s))]
    hint = readings_hint(s)
    if hint:
        lines.append(
            escape(hint).replace("/readings all", "`/readings all`").replace("/readings", "`/readings`")
        )
    return {"name": cut(f"{KIND_ICONS[s.kind]} {escape(s.title)}", 250), "value": "\n".join(lines)}


def _fields(sessions: tuple[Session, ...], answer: NextAnswer, running: bool) -> list[dict[str, str]]:
    shown = [_session_field(s, answer, running) for s in sessions[:MAX_PARALLEL]]
    if len(sessions) > MAX_PARALLEL:
        more = len(sessions) - MAX_PARALLEL
        shown.append(
            {
                "name": f"…and {more} more in parallel",
                "value": "`/schedule today <room or track>` lists them.",
            }
        )
    return shown


def next_embeds(answer: NextAnswer) -> list[dict[str, Any]]:
    """``/next`` as embeds: what is on, then each coming slot with its own start time."""
    w, now, tz = answer.workshop, answer.now, answer.workshop.timezone
    colour = COLOURS[Tone.INFO]
    if answer.phase is Phase.EMPTY:
        return [{"description": "The schedule has no sessions yet.", "color": colour}]
    if answer.phase is Phase.AFTER:
        return [{"description": escape(over_line(w)), "color": colour}]
    embeds: list[dict[str, Any]] = []
    if answer.phase is Phase.BEFORE:
        first = w.sessions[0].start
        embeds.append(
            {"description": f"{escape(first_session_line(w, now))} {timestamp(first, 'R')}", "color": colour}
        )
    elif answer.current:
        embeds.append({"title": "On now", "color": colour, "fields": _fields(answer.current, answer, True)})
    elif answer.in_break:
        first = answer.upcoming[0].start
        embeds.append(
            {
                "description": f"☕ **Break** until {escape(clock(first, tz))} ({timestamp(first, 'R')})",
                "color": colour,
            }
        )
    else:
        embeds.append({"description": "Nothing on right now.", "color": colour})
    for i, slot in enumerate(answer.upcoming):
        day = w.day_of(slot.start)
        day_note = "" if day == w.day_of(now) else f"{day_label(day)}, "
        parallel = parallel_note(slot.sessions, " · {n} in parallel")
        title = f"{'Next' if i == 0 else 'Then'}: {day_note}{clock(slot.start, tz)}{parallel}"
        embeds.append(
            {
                "title": title,
                "description": f"{timestamp(slot.start, 't')} your time, {timestamp(slot.start, 'R')}",
                "color": colour,
                "fields": _fields(slot.sessions, answer, False),
            }
        )
    if not answer.upcoming:
        embeds.append({"description": "Nothing else is scheduled after this.", "color": colour})
    return _within_total([fit_embed(e) for e in embeds[:10]])


def _within_total(embeds: list[dict[str, Any]]) -> list[dict[str, Any]]:
    kept, total = [], 0
    for embed in embeds:
        size = embed_size(embed)
        if total + size > EMBEDS_TOTAL_MAX - 100:
            break
        kept.append(embed)
        total += size
    return kept


def _tone(outcome: Any) -> Tone:
    if isinstance(outcome, Notice):
        return outcome.tone
    if isinstance(outcome, (Usage, NotAllowed)):
        return Tone.REFUSED
    return Tone.INFO


def _not_allowed_text(outcome: NotAllowed) -> str:
    ask = " Ask someone with the organizer role." if not outcome.ask else " You can ask an organizer: "
    return outcome.text + ask


def buttons(outcome: Any) -> list[dict[str, Any]]:
    """The rows of buttons under ``outcome`` (Vote, Publish): at most 5 rows of 5."""
    found = [
        {
            "type": 2,
            "style": 1 if c.button in ("publish", "pick") else 2,
            "label": cut(c.label, LABEL_MAX),
            "custom_id": (BUTTON_PREFIXES[c.button] + c.value)[:CUSTOM_ID_MAX],
        }
        for c in choices_for(outcome)
    ]
    found = found[: ROWS_MAX * BUTTONS_PER_ROW]
    return [
        {"type": 1, "components": found[i : i + BUTTONS_PER_ROW]}
        for i in range(0, len(found), BUTTONS_PER_ROW)
    ]


def share_row(command: str, args: str) -> dict[str, Any]:
    """The Share button: its custom_id holds the command and its text (within 100 characters)."""
    custom_id = f"{SHARE_PREFIX}{command}:{args}"
    while len(custom_id.encode()) > CUSTOM_ID_MAX:
        custom_id = custom_id[:-1]
    return {
        "type": 1,
        "components": [{"type": 2, "style": 2, "label": "Share in channel", "custom_id": custom_id}],
    }


def render(outcome: Any) -> Reply:
    """The Discord reply for any outcome the core returns."""
    if isinstance(outcome, NextAnswer):
        # Add to my agenda under each session (a Share strips them: they are the clicker's).
        return reply(next_embeds(outcome), buttons(outcome)[:4])
    own = OWN_RENDERERS.get(type(outcome))
    if own is not None:
        return reply(text_embeds(own(outcome), COLOURS[Tone.INFO], marked=True), buttons(outcome))
    renderer = TEXT_RENDERERS.get(type(outcome))
    if renderer is None:
        raise TypeError(f"no Discord renderer for {type(outcome).__name__}")
    if isinstance(outcome, NotAllowed):
        text = _not_allowed_text(outcome)
        embeds = text_embeds(text, COLOURS[Tone.REFUSED])
        if outcome.ask:
            # Mentions of organizers render as names; allowed_mentions keeps them from pinging.
            embeds[0]["description"] += ", ".join(f"<@{o}>" for o in outcome.ask[:10]) + "."
        return reply(embeds)
    return reply(text_embeds(renderer(outcome), COLOURS[_tone(outcome)]), buttons(outcome))
