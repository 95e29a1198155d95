"""Block Kit for announcements: session starts, schedule changes, organizer posts."""

from __future__ import annotations

from bot.announcements.changes import ChangeKind
from bot.announcements.messages import (
    Message,
    OrganizerPost,
    ScheduleChange,
    SessionStart,
    announced_readings,
    change_line,
)
from bot.my_agenda.reminders import AgendaChange, Reminder
from bot.text import KIND_ICONS, parallel_note, session_details
from bot.timefmt import clock, span, until
from handlers.slack.markup import Blocks, context, escape, fit, header, inert, section
from handlers.slack.organizer_text import organizer_markup
from handlers.slack.render.answers import reading_item
from handlers.slack.render.mine import local_time


def announcement_blocks(message: Message) -> Blocks:
    """The message as Block Kit; its plain text (``render_text``) is the fallback."""
    match message:
        case SessionStart():
            return _session_start(message)
        case ScheduleChange():
            return [
                section("📣 *Schedule change*"),
                section("\n".join(f"• {inert(change_line(c, message.zone))}" for c in message.changes)),
            ]
        case OrganizerPost():
            return _organizer(message)
        case Reminder():
            return _reminder(message)
        case AgendaChange():
            line = inert(change_line(message.change, message.zone))
            new = message.change.new
            if new is not None and message.change.kind is not ChangeKind.CANCELLED:
                line += local_time(new.start, message.reader_zone)
            return [
                section(f"📣 *In your agenda:* {line}"),
                context("`/mine` shows your agenda as it is now."),
            ]
    raise TypeError(f"not a message: {message!r}")  # pragma: no cover


def _reminder(m: Reminder) -> Blocks:
    s = m.session
    blocks: Blocks = [
        section(f"⏰ *{inert(s.title)}* starts {escape(until(s.start, m.now))}"),
        section(
            escape(span(s.start, s.end, m.zone))
            + local_time(s.start, m.reader_zone)
            + inert(f" · {session_details(s)}")
        ),
    ]
    shown, rest = announced_readings(s)
    if shown:
        lines = [reading_item(r) for r in shown] + ([escape(rest)] if rest else [])
        blocks.append(section("\n".join(lines)))
    blocks.append(context("In your agenda. `/mine` shows it · `/mine remind off` stops these."))
    return blocks


def _session_start(m: SessionStart) -> Blocks:
    verb = "Starting" if m.start > m.now else "Started"
    parallel = parallel_note(m.sessions, " · {n} in parallel")
    blocks: Blocks = [header(f"⏰ {verb} at {clock(m.start, m.zone)} ({until(m.start, m.now)}){parallel}")]
    for s in m.sessions:
        lines = [
            f"{KIND_ICONS[s.kind]} *{inert(s.title)}*",
            inert(f"{span(s.start, s.end, m.zone)} · {session_details(s)}"),
        ]
        blocks.append(section("\n".join(lines)))
        shown, rest = announced_readings(s)
        if shown:
            lines = [reading_item(r) for r in shown] + ([escape(rest)] if rest else [])
            blocks.append(section("\n".join(lines)))
    if m.late:
        blocks.append(context("Posted late: the bot was catching up."))
    return fit(blocks, "More sessions than fit here: see /schedule.")


def _organizer(m: OrganizerPost) -> Blocks:
    # The organizer's own words, mentions included, are meant. Only organizers can reach
    # this: /announce is declared organizer-only.
    blocks: Blocks = [section(f"📢 {organizer_markup(m.text)}"), context(f"— {inert(m.author_name)}")]
    if m.late:
        blocks.append(context(escape(f"Scheduled for {clock(m.due_at, m.zone)}; posted late.")))
    return blocks
