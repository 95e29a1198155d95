"""Plain-text rendering of the core's answers: the console, rehearsals, and Slack's fallback."""

from __future__ import annotations

import unicodedata

from bot.agenda import DayAgenda, Status
from bot.reading_list import ReadingsAnswer
from bot.schedule.model import Kind, Reading, Session, Workshop
from bot.timefmt import clock, day_label, duration, ends_in, span, until
from bot.whats_next import NextAnswer, Phase

KIND_ICONS = {
    Kind.TALK: "🗣️",
    Kind.READING: "📕",
    Kind.DISCUSSION: "💬",
    Kind.MEAL: "🍽️",
    Kind.LOGISTICS: "📋",
    Kind.UNCONFERENCE: "🧩",
}


def _encloses(block: Session, other: Session) -> bool:
    """Whether ``block`` is an unconference block holding ``other``, one of its sessions."""
    if block is other or block.kind is not Kind.UNCONFERENCE or other.kind is not Kind.UNCONFERENCE:
        return False
    if block.end is None or other.end is None:
        return False
    inside = block.start <= other.start and other.end <= block.end
    return inside and (block.start, block.end) != (other.start, other.end)


def parallel_count(sessions: tuple[Session, ...] | list[Session]) -> int:
    """How many sessions run in parallel: the unconference block is not one more beside the
    sessions inside it."""
    return sum(1 for s in sessions if not any(_encloses(s, o) for o in sessions))


def parallel_note(sessions: tuple[Session, ...] | list[Session], template: str) -> str:
    """``template`` (with ``{n}``) when more than one session runs in parallel, else ''."""
    n = parallel_count(sessions)
    return template.format(n=n) if n > 1 else ""


def has_controls(text: str, allowed: str = "") -> bool:
    """Whether ``text`` holds a control character (NUL, escapes, DEL; a lone surrogate, which
    no database encodes) other than those in ``allowed``."""
    return any(unicodedata.category(ch) in ("Cc", "Cs") and ch not in allowed for ch in text)


def session_details(session: Session) -> str:
    """'talk + Q&A · Evan Hubinger (Anthropic) · Main room · optional'."""
    parts = [session.kind.label]
    if session.speakers:
        parts.append(", ".join(str(p) for p in session.speakers))
    if session.room:
        parts.append(session.room)
    if session.optional:
        parts.append("optional")
    return " · ".join(parts)


def readings_hint(session: Session) -> str | None:
    """'5 readings: type /readings' for a reading session; '1 related reading: type
    /readings all' for a talk that lists papers; else None."""
    if not session.readings:
        return None
    n = len(session.readings)
    if session.kind is Kind.READING:
        return f"{n} reading{'s' if n != 1 else ''}: type /readings"
    if not any(r.required for r in session.readings):  # a talk's links: slides, a video, a page
        return f"{n} link{'s' if n != 1 else ''}: type /readings all"
    return f"{n} related reading{'s' if n != 1 else ''}: type /readings all"


def first_session_line(workshop: Workshop, now) -> str:
    """'The workshop starts Sat 5 Aug at 09:00 PT (in 3 days).'"""
    first = workshop.sessions[0]
    return (
        f"{workshop.name} starts {day_label(first.day)} at "
        f"{clock(first.start, workshop.timezone)} ({until(first.start, now)})."
    )


def over_line(workshop: Workshop) -> str:
    """'The workshop is over: it ran Sat 5 Aug to Sun 6 Aug 2023.'"""
    days = workshop.days
    first, last = days[0], days[-1]
    when = day_label(first) if first == last else f"{day_label(first)} to {day_label(last)}"
    return f"{workshop.name} is over: it ran {when} {last.year}. Thanks for coming!"


def render_next(answer: NextAnswer) -> str:
    """The ``/next`` answer as plain text."""
    w, now, tz = answer.workshop, answer.now, answer.workshop.timezone
    if answer.phase is Phase.EMPTY:
        return "The schedule has no sessions yet."
    if answer.phase is Phase.AFTER:
        return over_line(w)
    lines: list[str] = []
    if answer.phase is Phase.BEFORE:
        lines.append(first_session_line(w, now))
    elif answer.current:
        lines.append("Now:")
        for s in answer.current:
            end = s.end
            lines.append(f"  {KIND_ICONS[s.kind]} {s.title}  ({span(s.start, end, tz)}, {ends_in(end, now)})")
            lines.append(f"     {session_details(s)}")
    elif answer.in_break:
        lines.append(
            f"Break: nothing on until {clock(answer.upcoming[0].start, tz)} ({until(answer.upcoming[0].start, now)})."
        )
    else:
        lines.append("Nothing on right now.")
    if not answer.upcoming:
        lines.append("Nothing else is scheduled after this.")
    for slot in answer.upcoming:
        day_note = "" if w.day_of(slot.start) == w.day_of(now) else f"{day_label(w.day_of(slot.start))}, "
        label = "Next" if slot is answer.upcoming[0] else "Then"
        parallel = parallel_note(slot.sessions, " ({n} in parallel)")
        lines.append(f"{label}: {day_note}{clock(slot.start, tz)} ({until(slot.start, now)}){parallel}")
        for s in slot.sessions:
            lines.append(f"  {KIND_ICONS[s.kind]} {s.title}  ({span(s.start, s.end, tz)})")
            lines.append(f"     {session_details(s)}")
            hint = readings_hint(s)
            if hint:
                lines.append(f"     {hint}")
    return "\n".join(lines)


def summarise_next(answer: NextAnswer) -> str:
    """One line for notifications and screen readers: what is on, and what is next."""
    w, now, tz = answer.workshop, answer.now, answer.workshop.timezone
    if answer.phase is Phase.EMPTY:
        return "The schedule has no sessions yet."
    if answer.phase is Phase.AFTER:
        return over_line(w)
    if answer.phase is Phase.BEFORE:
        return first_session_line(w, now)
    if answer.current:
        head = "Now: " + ", ".join(s.title for s in answer.current) + "."
    elif answer.in_break:
        head = f"Break: nothing on until {clock(answer.upcoming[0].start, tz)} ({until(answer.upcoming[0].start, now)})."
    else:
        head = "Nothing on right now."
    if not answer.upcoming:
        return head + " Nothing else is scheduled after this."
    slot = answer.upcoming[0]
    titles = ", ".join(s.title for s in slot.sessions[:3]) + (" and more" if len(slot.sessions) > 3 else "")
    return f"{head} Next at {clock(slot.start, tz)}: {titles}."


_MARKS = {Status.PAST: "✓ ", Status.NOW: "▶ ", Status.NEXT: "→ ", Status.LATER: "  "}


def agenda_heading(agenda: DayAgenda) -> str:
    """'Sat 5 Aug', or 'Every day' for a search of the whole workshop."""
    return day_label(agenda.day) if agenda.day is not None else "Every day"


def render_agenda(agenda: DayAgenda) -> str:
    """The ``/schedule`` answer as plain text."""
    w = agenda.workshop
    title = f"{agenda_heading(agenda)}: {w.name}"
    if agenda.filter:
        title += f" (matching '{agenda.filter}')"
    lines = [title]
    if not agenda.items:
        lines.append("  No sessions match." if agenda.filter else "  No sessions.")
    for item in agenda.items:
        s = item.session
        mark = _MARKS[item.status]
        when = span(s.start, s.end, w.timezone)
        when = f"{day_label(s.day)} {when}" if agenda.day is None else when
        lines.append(f"{mark} {when:<17} {KIND_ICONS[s.kind]} {s.title}  [{session_details(s)}]")
    lines.append("✓ past · ▶ now · → next")
    return "\n".join(lines)


def reading_line(reading: Reading) -> str:
    """'Title (Authors, 2022) · 30 min · required · URL'."""
    byline = ", ".join(x for x in (reading.authors_short, str(reading.year or "")) if x)
    parts = [f"{reading.title}" + (f" ({byline})" if byline else "")]
    if reading.minutes:
        parts.append(f"{reading.minutes} min")
    parts.append("required" if reading.required else "optional")
    parts.append(reading.url)
    return " · ".join(parts)


def render_readings(answer: ReadingsAnswer) -> str:
    """The ``/readings`` answer as plain text."""
    tz = answer.workshop.timezone
    if not answer.sections:
        if answer.mode == "search":
            return f"No readings match '{answer.query}'. Try `/readings all`."
        if answer.mode == "all":
            return "This schedule has no readings."
        return "No reading sessions are left. `/readings all` lists every session's readings."
    lines: list[str] = []
    for section in answer.sections:
        s = section.session
        if s is None:
            n = len(section.readings)
            lines.append(f"{n} reading{'s' if n != 1 else ''} matching '{answer.query}':")
        else:
            when = "now" if section.is_current else until(s.start, answer.now)
            lines.append(
                f"{KIND_ICONS[s.kind]} {s.title}: {day_label(s.day)} {span(s.start, s.end, tz)} ({when})"
            )
            total = sum(r.minutes or 0 for r in section.readings if r.required)
            if answer.mode == "session" and total:
                lines.append(f"  Required reading: about {duration_minutes(total)}.")
        for r in section.readings:
            lines.append(f"  • {reading_line(r)}")
    return "\n".join(lines)


def duration_minutes(minutes: int) -> str:
    """'1 h 45 min' from a count of minutes."""
    from datetime import timedelta

    return duration(timedelta(minutes=minutes))


def plural(n: int, noun: str) -> str:
    """'1 proposal', '3 proposals': a count with its noun (regular plurals only)."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"
