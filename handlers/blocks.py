"""Block Kit rendering of the core's answers, with the plain-text fallback beside it.

Everything that comes from the core or from users is escaped here (``&``, ``<``, ``>``), so
no text ever pings ``@channel``/``@here``/a user or breaks a message. Links are built here.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from bot.agenda import AgendaItem, DayAgenda, Status
from bot.reading_list import ReadingsAnswer
from bot.schedule.model import Reading, Session, Workshop
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
# Slack's limits on one message (docs.slack.dev, Block Kit): 50 blocks; 3,000 characters in a
# section's or a context element's text; 150 in a header; 12,000 of markdown in all. Past about
# 13,000 characters of text over all blocks Slack answers msg_blocks_too_long even when each
# block is within its own limit, so every message keeps its text within MAX_MESSAGE_TEXT.
MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_MESSAGE_TEXT = 12_000
# What fit() leaves for the blocks a reply adds after it (the share button).
_REPLY_RESERVE = 500
# What an agenda's session lines may take, leaving room for its header and notes.
AGENDA_LINES_BUDGET = 10_000
SHARE_ACTION = "share_answer"
# A slot of a big conference can hold fifty parallel talks; /next lists the first few.
MAX_PARALLEL = 8


def escape(text: str) -> str:
    """Escape Slack's control characters so text shows literally and mentions stay inert."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# Slack's mrkdwn has no escape for its style characters, so text that is not ours (titles
# and names people typed, an imported schedule's titles) gets look-alikes: it reads the same
# and can never turn the rest of a line bold, italic, struck or code.
_INERT = str.maketrans({"*": "∗", "_": "ˍ", "~": "∼", "`": "ˋ"})


def inert(text: str) -> str:
    """``text`` for a mrkdwn field: escaped, and its style characters made inert."""
    return escape(text).translate(_INERT)


def link(url: str, label: str) -> str:
    """A mrkdwn link with an escaped label (a ``|`` in the label would end it early)."""
    return f"<{escape(url)}|{escape(label).replace('|', '¦')}>"


def section(text: str) -> dict[str, Any]:
    """A mrkdwn section (text already escaped), cut to Slack's limit."""
    if len(text) > MAX_SECTION_TEXT:
        text = text[: MAX_SECTION_TEXT - 1] + "…"
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def plain_section(text: str) -> dict[str, Any]:
    """A plain-text section: for text that holds what a user typed, so no ``*``, ``_``, ``~``
    or backtick of theirs can restyle the message (Slack's mrkdwn has no escape for them)."""
    if len(text) > MAX_SECTION_TEXT:
        text = text[: MAX_SECTION_TEXT - 1] + "…"
    return {"type": "section", "text": {"type": "plain_text", "text": text, "emoji": True}}


def plain_context(text: str) -> dict[str, Any]:
    """A small grey plain-text line (for text that holds what a user typed)."""
    return {
        "type": "context",
        "elements": [{"type": "plain_text", "text": text[:MAX_SECTION_TEXT], "emoji": True}],
    }


def context(text: str) -> dict[str, Any]:
    """A small grey line (text already escaped)."""
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:MAX_SECTION_TEXT]}]}


def header(text: str) -> dict[str, Any]:
    """A header block (plain text: no escaping needed, 150 characters at most)."""
    return {"type": "header", "text": {"type": "plain_text", "text": text[:MAX_HEADER_TEXT], "emoji": True}}


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


def text_size(blocks: Blocks) -> int:
    """Characters of text in ``blocks``, as Slack counts them against a message's limit."""
    return sum(_text_in(block) for block in blocks)


def _text_in(node: Any) -> int:
    if isinstance(node, dict):
        return sum(
            len(value) if key == "text" and isinstance(value, str) else _text_in(value)
            for key, value in node.items()
        )
    if isinstance(node, list):
        return sum(_text_in(item) for item in node)
    return 0


def fit(blocks: Blocks, note: str) -> Blocks:
    """Keep a message within Slack's limits on blocks and text, ending with ``note`` (plain
    text) if anything was cut."""
    room = MAX_MESSAGE_TEXT - _REPLY_RESERVE
    if len(blocks) < MAX_BLOCKS and text_size(blocks) <= room:
        return blocks  # one block spare for the share button a reply may add
    tail = context(escape(note))
    room -= text_size([tail])
    kept: Blocks = []
    for block in blocks[: MAX_BLOCKS - 2]:
        room -= text_size([block])
        if room < 0:
            break
        kept.append(block)
    return [*kept, tail]


def _session_block(s: Session, answer_now, tz, *, running: bool) -> dict[str, Any]:
    when = f"{span(s.start, s.end, tz)} · {ends_in(s.end, answer_now) if running else until(s.start, answer_now)}"
    lines = [f"{KIND_ICONS[s.kind]} *{inert(s.title)}*", inert(f"{when} · {session_details(s)}")]
    hint = readings_hint(s)
    if hint:
        lines.append(
            escape(hint)
            .replace("type /readings all", "type `/readings all`")
            .replace("type /readings", "type `/readings`")
        )
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


def agenda_blocks(agenda: DayAgenda, calendar_url: str | None = None) -> Blocks:
    """``/schedule`` as Block Kit: one line a session, past struck through.

    A day too big for one message (a congress: hundreds of sessions in fifty rooms) shows
    what is on now and next first, then as much of the rest as fits, says how many are left
    out and how to filter. ``calendar_url`` links the whole schedule as a calendar.
    """
    w, tz = agenda.workshop, agenda.workshop.timezone
    blocks: Blocks = [header(f"{day_label(agenda.day)}: {w.name}")]
    if agenda.filter:
        blocks.append(plain_context(f"Sessions matching “{agenda.filter}” ({agenda.hidden} others hidden)"))
    if not agenda.items:
        blocks.append(section("No sessions match." if agenda.filter else "No sessions this day."))
    lines = [_agenda_line(item, tz) for item in agenda.items]
    shown, earlier, later = _agenda_window(
        agenda.items, [len(line) + 1 for line in lines], AGENDA_LINES_BUDGET
    )
    if earlier:
        blocks.append(context(f"✓ {_count(len(earlier), 'earlier')} not shown ({_starts(earlier, tz)})"))
    blocks += _sections([lines[i] for i in shown])
    if later:
        blocks.append(context(f"…and {_count(len(later), 'more')} ({_starts(later, tz)})"))
    if earlier or later:
        blocks.append(context(_narrow_hint(agenda, [agenda.items[i] for i in shown])))
    blocks.append(context("~past~ · ▶ now · → next · times in " + escape(tz.key)))
    if calendar_url:
        blocks.append(context(f"📅 {link(calendar_url, 'The whole schedule for your calendar')} (.ics)"))
    else:
        blocks.append(context("📅 `/schedule ics` sends you the whole schedule for your calendar."))
    return fit(
        blocks,
        "This day has more sessions than one message holds: filter with /schedule <day> <room or track>.",
    )


def _agenda_line(item: AgendaItem, tz) -> str:
    s = item.session
    text = f"`{span(s.start, s.end, tz)}` {KIND_ICONS[s.kind]} {inert(s.title)}"
    return _STATUS_MARK[item.status].format(text) + f"\n        _{inert(session_details(s))}_"


def _agenda_window(
    items: tuple[AgendaItem, ...], costs: list[int], budget: int
) -> tuple[list[int], list[Session], list[Session]]:
    """Which items to show within ``budget`` (indices), and the sessions left out before and
    after them. What is on now and later comes first, in order; then, if all of that fits,
    as many of the latest past ones as fit. A day that is over reads from its start."""
    ahead = [i for i, item in enumerate(items) if item.status is not Status.PAST]
    past = [i for i, item in enumerate(items) if item.status is Status.PAST]
    order = [*ahead, *reversed(past)] if ahead else past
    shown: set[int] = set()
    for i in order:
        if costs[i] > budget:
            break
        budget -= costs[i]
        shown.add(i)
    left_out = [i for i in range(len(items)) if i not in shown]
    earlier = [items[i].session for i in left_out if ahead and items[i].status is Status.PAST]
    later = [items[i].session for i in left_out if not (ahead and items[i].status is Status.PAST)]
    return sorted(shown), earlier, later


def _sections(lines: list[str]) -> Blocks:
    """Lines packed into as few sections as fit (several sessions a section keeps a big day
    within the block limit)."""
    blocks: Blocks = []
    chunk: list[str] = []
    for line in lines:
        if chunk and sum(len(x) + 1 for x in chunk) + len(line) > MAX_SECTION_TEXT - 100:
            blocks.append(section("\n".join(chunk)))
            chunk = []
        chunk.append(line)
    if chunk:
        blocks.append(section("\n".join(chunk)))
    return blocks


def _count(n: int, adjective: str) -> str:
    """'42 earlier sessions', '1 more session'."""
    return f"{n} {adjective} session{'s' if n != 1 else ''}"


def _starts(sessions: list[Session], tz) -> str:
    """'starting 16:40-23:20 CET', or 'starting 16:40 CET' when they all start together."""
    first, last = sessions[0].start, sessions[-1].start
    if first == last:
        return f"starting {clock(first, tz)}"
    return f"starting {clock(first, tz, with_zone=False)}-{clock(last, tz)}"


def _narrow_hint(agenda: DayAgenda, shown: list[AgendaItem]) -> str:
    """How to see the rest: the same day filtered by a room (or track) of this programme."""
    if agenda.filter:
        return (
            "Too many sessions match for one message: try a narrower room, track or speaker, "
            "or get them all with `/schedule ics`."
        )
    today = agenda.workshop.day_of(agenda.now)
    day = {today: "today", today + timedelta(days=1): "tomorrow"}.get(agenda.day, agenda.day.isoformat())
    sessions = [item.session for item in (*shown, *agenda.items)]
    example = next((s.room or s.track for s in sessions if s.room or s.track), None) or "<room or track>"
    command = escape(f"/schedule {day} {example}".replace("`", "'"))
    return (
        f"Too many sessions for one message: filter by room or track, e.g. `{command}`, "
        "or get them all with `/schedule ics`."
    )


def calendar_link_blocks(workshop: Workshop, url: str) -> Blocks:
    """``/schedule ics`` in HTTP mode: the address of the live calendar."""
    return [
        section(f"📅 *{escape(workshop.name)}* as a calendar: {link(url, url)}"),
        context(
            "Subscribe to this address in your calendar app to follow changes, "
            "or open it to add every session once."
        ),
    ]


def calendar_file_comment(workshop: Workshop) -> str:
    """The message that comes with the calendar file in the user's direct messages."""
    n = len(workshop.sessions)
    return (
        f"📅 *{escape(workshop.name)}*: {n} session{'s' if n != 1 else ''}. Open the file to add them "
        "to your calendar; importing a newer one later updates them instead of adding copies."
    )


def calendar_failure_text(error: str, needed: str | None = None) -> str:
    """Why the calendar file did not arrive, from Slack's error code."""
    if error == "missing_scope":
        return (
            f"I can't send files yet: this Slack app lacks the `{escape(needed or 'im:write')}` "
            "permission. An organizer can add it to the app and reinstall it."
        )
    return (
        f"Sorry, I couldn't send the calendar file (Slack said `{escape(error)}`). "
        "Please try again in a moment."
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
            return [plain_section(f"No readings match “{answer.query or ''}”. Try /readings all.")]
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
