"""Block Kit for the schedule's answers: ``/next``, ``/schedule``, ``/readings``, help."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from bot.agenda import AgendaItem, DayAgenda, Status, fit_window
from bot.commands.awair import Help
from bot.commands.schedule import Agenda, CalendarLink, CalendarSending, NotSent
from bot.reading_list import ReadingsAnswer
from bot.schedule.model import Reading, Session, Workshop
from bot.text import (
    KIND_ICONS,
    agenda_heading,
    duration_minutes,
    first_session_line,
    over_line,
    parallel_note,
    readings_hint,
    render_agenda,
    render_readings,
    session_details,
    summarise_next,
)
from bot.timefmt import clock, day_label, ends_in, span, until
from bot.whats_next import NextAnswer, Phase
from handlers.slack.markup import (
    Blocks,
    context,
    escape,
    fit,
    header,
    inert,
    link,
    pack,
    plain_context,
    plain_section,
    section,
)
from handlers.slack.render.mine import pick_menu, with_pick
from handlers.slack.render.reply import Reply, reply

# What an agenda's session lines may take, leaving room for its header and notes.
AGENDA_LINES_BUDGET = 10_000
SHARE_ACTION = "share_answer"
# A slot of a big conference can hold fifty parallel talks; /next lists the first few.
MAX_PARALLEL = 8


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
    return with_pick(section("\n".join(lines)), s)


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
        parallel = parallel_note(slot.sessions, " · {n} in parallel")
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


def agenda_blocks(
    agenda: DayAgenda, calendar_url: str | None = None, picked: frozenset[str] = frozenset()
) -> Blocks:
    """``/schedule`` as Block Kit: one line a session, past struck through.

    A day too big for one message (a congress: hundreds of sessions in fifty rooms) shows
    what is on now and next first, then as much of the rest as fits, says how many are left
    out and how to filter. ``calendar_url`` links the whole schedule as a calendar.
    """
    w, tz = agenda.workshop, agenda.workshop.timezone
    blocks: Blocks = [header(f"{agenda_heading(agenda)}: {w.name}")]
    if agenda.filter:
        blocks.append(plain_context(f"Sessions matching “{agenda.filter}” ({agenda.hidden} others hidden)"))
    if not agenda.items:
        blocks.append(section("No sessions match." if agenda.filter else "No sessions this day."))
    lines = [_agenda_line(item, tz, every_day=agenda.day is None) for item in agenda.items]
    shown, earlier, later = fit_window(agenda.items, [len(line) + 1 for line in lines], AGENDA_LINES_BUDGET)
    if earlier:
        blocks.append(context(f"✓ {_count(len(earlier), 'earlier')} not shown ({_starts(earlier, tz)})"))
    blocks += pack(lines[i] for i in shown)
    if later:
        blocks.append(context(f"…and {_count(len(later), 'more')} ({_starts(later, tz)})"))
    if earlier or later:
        blocks.append(context(_narrow_hint(agenda, [agenda.items[i] for i in shown])))
    menu = pick_menu(
        [
            item.session
            for i, item in enumerate(agenda.items)
            if i in set(shown) and item.status is not Status.PAST
        ],
        picked,
    )
    if menu is not None:
        blocks.append(menu)
    blocks.append(context("~past~ · ▶ now · → next · times in " + escape(tz.key)))
    if calendar_url:
        blocks.append(context(f"📅 {link(calendar_url, 'The whole schedule for your calendar')} (.ics)"))
    else:
        blocks.append(context("📅 `/schedule ics` sends you the whole schedule for your calendar."))
    return fit(
        blocks,
        "This day has more sessions than one message holds: filter with /schedule <day> <room or track>.",
    )


def _agenda_line(item: AgendaItem, tz, every_day: bool = False) -> str:
    s = item.session
    when = f"{day_label(s.day)} {span(s.start, s.end, tz)}" if every_day else span(s.start, s.end, tz)
    text = f"`{when}` {KIND_ICONS[s.kind]} {inert(s.title)}"
    return _STATUS_MARK[item.status].format(text) + f"\n        _{inert(session_details(s))}_"


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
        section(f"📅 *{inert(workshop.name)}* as a calendar: {link(url, url)}"),
        context(
            "Subscribe to this address in your calendar app to follow changes, "
            "or open it to add every session once."
        ),
    ]


def reading_item(r: Reading) -> str:
    """One reading as a mrkdwn line: linked title, authors, year, minutes, required."""
    byline = ", ".join(x for x in (r.authors_short, str(r.year or "")) if x)
    bits = [f"• {link(r.url, r.title)}"]
    if byline:
        bits.append(inert(byline))
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


def help_blocks(help_text: str) -> Blocks:
    """``/awair help``: the plain help, preformatted, keeps its columns. A rich text block
    shows its text as given, so ``<title>`` is not written ``&lt;title&gt;`` and every
    column lines up however the client reads entities in code."""
    first, _, rest = help_text.partition("\n")
    # Already code: the backticks that mark a word as code in a sentence would show as such.
    rest = rest.strip().replace("`", "")
    preformatted = {"type": "rich_text_preformatted", "elements": [{"type": "text", "text": rest}]}
    return [section(f"*{escape(first)}*"), {"type": "rich_text", "elements": [preformatted]}]


def render_next(answer: NextAnswer) -> Reply:
    """``/next``."""
    return reply(next_blocks(answer), summarise_next(answer), theirs=True)


def render_schedule(answer: Agenda) -> Reply:
    """``/schedule``."""
    return reply(
        agenda_blocks(answer.agenda, answer.calendar_url, answer.picked),
        render_agenda(answer.agenda),
        theirs=True,
    )


def render_readings_answer(answer: ReadingsAnswer) -> Reply:
    """``/readings``."""
    return reply(readings_blocks(answer), render_readings(answer), theirs=True)


def render_calendar_link(answer: CalendarLink) -> Reply:
    """``/schedule ics`` in HTTP mode."""
    return reply(
        calendar_link_blocks(answer.workshop, answer.url), f"The schedule as a calendar: {answer.url}"
    )


def render_calendar_sending(_answer: CalendarSending) -> Reply:
    """``/schedule ics`` otherwise: the file is on its way."""
    note = "📅 Sending you the whole schedule as a calendar file in a direct message…"
    return reply([section(note)], note)


def render_not_sent(answer: NotSent) -> Reply:
    """A file that did not arrive, and why."""
    text = answer.hint or (
        f"Sorry, I couldn't send {answer.what} (Slack said `{answer.reason}`). Please try again in a moment."
    )
    return reply([section(escape(text))], text)


def render_help_answer(answer: Help) -> Reply:
    """``/awair help``."""
    text = answer.as_text()
    return reply(help_blocks(text), text)


RENDERERS = {
    NextAnswer: render_next,
    Agenda: render_schedule,
    ReadingsAnswer: render_readings_answer,
    CalendarLink: render_calendar_link,
    CalendarSending: render_calendar_sending,
    NotSent: render_not_sent,
    Help: render_help_answer,
}
