"""Block Kit rendering of the core's answers, with the plain-text fallback beside it.

Everything that comes from the core or from users is escaped here (``&``, ``<``, ``>``), so
no text ever pings ``@channel``/``@here``/a user or breaks a message. Links are built here.
"""

from __future__ import annotations

import json
from typing import Any

from bot.agenda import DayAgenda, Status
from bot.reading_list import ReadingsAnswer
from bot.schedule.model import Reading, Session
from bot.text import (
    KIND_ICONS,
    duration_minutes,
    first_session_line,
    over_line,
    readings_hint,
    session_details,
)
from bot.timefmt import clock, day_label, ends_in, span, until
from bot.whats_next import NextAnswer, Phase

Blocks = list[dict[str, Any]]
MAX_BLOCKS = 50  # Slack refuses messages with more
MAX_SECTION_TEXT = 3000
SHARE_ACTION = "share_answer"
# A slot of a big conference can hold fifty parallel talks; /next lists the first few.
MAX_PARALLEL = 8


def escape(text: str) -> str:
    """Escape Slack's control characters so text shows literally and mentions stay inert."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def link(url: str, label: str) -> str:
    """A mrkdwn link with an escaped label (a ``|`` in the label would end it early)."""
    return f"<{escape(url)}|{escape(label).replace('|', '¦')}>"


def section(text: str) -> dict[str, Any]:
    """A mrkdwn section (text already escaped), cut to Slack's limit."""
    if len(text) > MAX_SECTION_TEXT:
        text = text[: MAX_SECTION_TEXT - 1] + "…"
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def context(text: str) -> dict[str, Any]:
    """A small grey line (text already escaped)."""
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:MAX_SECTION_TEXT]}]}


def header(text: str) -> dict[str, Any]:
    """A header block (plain text: no escaping needed, 150 characters at most)."""
    return {"type": "header", "text": {"type": "plain_text", "text": text[:150], "emoji": True}}


def share_button(command: str, args: str) -> dict[str, Any]:
    """The "Share in channel" button; its value says which answer to post."""
    value = json.dumps({"c": command, "a": args[:200]})
    return {
        "type": "actions",
        "elements": [
            {
                "type": "button",
                "action_id": SHARE_ACTION,
                "text": {"type": "plain_text", "text": "Share in channel"},
                "value": value,
            }
        ],
    }


def fit(blocks: Blocks, note: str) -> Blocks:
    """Keep a message within Slack's block limit, ending with ``note`` if anything was cut."""
    if len(blocks) <= MAX_BLOCKS:
        return blocks
    return [*blocks[: MAX_BLOCKS - 1], context(escape(note))]


def _session_block(s: Session, answer_now, tz, *, running: bool) -> dict[str, Any]:
    when = f"{span(s.start, s.end, tz)} · {ends_in(s.end, answer_now) if running else until(s.start, answer_now)}"
    lines = [f"{KIND_ICONS[s.kind]} *{escape(s.title)}*", escape(f"{when} · {session_details(s)}")]
    hint = readings_hint(s)
    if hint:
        lines.append(escape(hint).replace("type /readings", "type `/readings`"))
    return section("\n".join(lines))


def _capped(shown: Blocks, total: int) -> Blocks:
    """``shown`` plus a line naming how many more there are, if any."""
    if total <= len(shown):
        return shown
    more = total - len(shown)
    return [
        *shown,
        context(f"…and {more} more in parallel: `/schedule today &lt;room or track&gt;` lists them."),
    ]


def next_blocks(answer: NextAnswer) -> Blocks:
    """``/next`` as Block Kit."""
    w, now, tz = answer.workshop, answer.now, answer.workshop.timezone
    if answer.phase is Phase.EMPTY:
        return [section("The schedule has no sessions yet.")]
    if answer.phase is Phase.AFTER:
        return [section(escape(over_line(w)))]
    blocks: Blocks = []
    if answer.phase is Phase.BEFORE:
        blocks.append(section(escape(first_session_line(w, now))))
    elif answer.current:
        blocks.append(header("On now"))
        blocks += _capped(
            [_session_block(s, now, tz, running=True) for s in answer.current[:MAX_PARALLEL]],
            len(answer.current),
        )
    elif answer.in_break:
        first = answer.upcoming[0].start
        blocks.append(section(f"☕ *Break* until {escape(clock(first, tz))} ({until(first, now)})"))
    else:
        blocks.append(section("Nothing on right now."))
    for i, slot in enumerate(answer.upcoming):
        day = w.day_of(slot.start)
        day_note = "" if day == w.day_of(now) else f"{day_label(day)}, "
        parallel = f" · {len(slot.sessions)} in parallel" if len(slot.sessions) > 1 else ""
        title = "Next" if i == 0 else "Then"
        blocks.append(header(f"{title}: {day_note}{clock(slot.start, tz)}{parallel}"))
        shown = [_session_block(s, now, tz, running=False) for s in slot.sessions[:MAX_PARALLEL]]
        blocks += _capped(shown, len(slot.sessions))
    if not answer.upcoming:
        blocks.append(context("Nothing else is scheduled after this."))
    return fit(blocks, "More sessions than fit here: try /next with a smaller N.")


_STATUS_MARK = {
    Status.PAST: "~{}~",
    Status.NOW: "▶ *{}*  _now_",
    Status.NEXT: "→ *{}*  _next_",
    Status.LATER: "{}",
}


def agenda_blocks(agenda: DayAgenda) -> Blocks:
    """``/schedule`` as Block Kit: one line a session, past struck through."""
    w, tz = agenda.workshop, agenda.workshop.timezone
    title = f"{day_label(agenda.day)}: {w.name}"
    blocks: Blocks = [header(title)]
    if agenda.filter:
        blocks.append(context(f"Sessions matching “{escape(agenda.filter)}” ({agenda.hidden} others hidden)"))
    lines = []
    for item in agenda.items:
        s = item.session
        text = f"`{span(s.start, s.end, tz)}` {KIND_ICONS[s.kind]} {escape(s.title)}"
        details = escape(session_details(s))
        lines.append(_STATUS_MARK[item.status].format(text) + f"\n        _{details}_")
    if not lines:
        blocks.append(section("No sessions match." if agenda.filter else "No sessions this day."))
    # Several sessions per section keeps big programmes within the 50-block limit.
    chunk: list[str] = []
    for line in lines:
        if chunk and sum(len(x) + 1 for x in chunk) + len(line) > MAX_SECTION_TEXT - 100:
            blocks.append(section("\n".join(chunk)))
            chunk = []
        chunk.append(line)
    if chunk:
        blocks.append(section("\n".join(chunk)))
    blocks.append(context("~past~ · ▶ now · → next · times in " + escape(tz.key)))
    return fit(
        blocks,
        "This day has more sessions than one message holds: filter with /schedule <day> <room or track>.",
    )


def reading_item(r: Reading) -> str:
    """One reading as a mrkdwn line: linked title, authors, year, minutes, required."""
    byline = ", ".join(x for x in (r.authors_short, str(r.year or "")) if x)
    bits = [f"• {link(r.url, r.title)}"]
    if byline:
        bits.append(escape(byline))
    if r.minutes:
        bits.append(f"{r.minutes} min")
    bits.append("*required*" if r.required else "_optional_")
    return " · ".join(bits)


def readings_blocks(answer: ReadingsAnswer) -> Blocks:
    """``/readings`` as Block Kit."""
    tz = answer.workshop.timezone
    if not answer.sections:
        if answer.mode == "search":
            return [section(f"No readings match “{escape(answer.query or '')}”. Try `/readings all`.")]
        if answer.mode == "all":
            return [section("This schedule has no readings.")]
        return [section("No reading sessions are left. `/readings all` lists every session's readings.")]
    blocks: Blocks = []
    for sec in answer.sections:
        s = sec.session
        if s is None:
            blocks.append(header(f"Readings matching “{(answer.query or '')[:100]}”"))
        else:
            when = "now" if sec.is_current else until(s.start, answer.now)
            blocks.append(header(f"{KIND_ICONS[s.kind]} {s.title}"))
            blocks.append(context(escape(f"{day_label(s.day)} {span(s.start, s.end, tz)} ({when})")))
            total = sum(r.minutes or 0 for r in sec.readings if r.required)
            if answer.mode == "session" and total:
                blocks.append(context(f"Required reading: about {duration_minutes(total)}"))
        blocks.append(section("\n".join(reading_item(r) for r in sec.readings)))
    return fit(blocks, "More readings than fit here: search with /readings <words>.")


def usage_blocks(usage: str, problem: str | None = None) -> Blocks:
    """A usage message (the core writes it with backticks; everything is escaped)."""
    text = escape(f"{problem}\n{usage}" if problem else usage)
    return [section(text)]


def help_blocks(help_text: str) -> Blocks:
    """``/awair help``: the plain help in a code block keeps its columns."""
    first, _, rest = help_text.partition("\n")
    return [section(f"*{escape(first)}*"), section(f"```{escape(rest.strip())}```")]
