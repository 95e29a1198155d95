"""A person's reminders and change notes as plain text (the console's form and Slack's
fallback text)."""

from __future__ import annotations

from typing import Any

from bot.announcements.messages import announced_readings, change_line
from bot.bidi import isolate
from bot.my_agenda.reminders import AgendaChange, Reminder
from bot.text import KIND_ICONS, reading_line, session_details
from bot.timefmt import clock, span, until


def reminder_head(m: Reminder) -> str:
    """'⏰ Misalignment starts in 10 min (11:00-12:10 PT)', and '(19:00 BST your time)' after
    it for a reader elsewhere."""
    s = m.session
    head = f"⏰ {isolate(s.title)} starts {until(s.start, m.now)} ({span(s.start, s.end, m.zone)})"
    if m.reader_zone is not None:
        head += f" ({clock(s.start, m.reader_zone)} your time)"
    return head


def personal_text(message: Any) -> str:
    """A reminder or a change note as text."""
    match message:
        case Reminder():
            s = message.session
            lines = [reminder_head(message), f"{KIND_ICONS[s.kind]} {session_details(s)}"]
            shown, rest = announced_readings(s)
            lines += [f"• {reading_line(r)}" for r in shown] + ([rest] if rest else [])
            lines.append("You added it to your agenda: /mine shows it; /mine remind off stops these.")
            return "\n".join(lines)
        case AgendaChange():
            return f"📣 In your agenda: {change_line(message.change, message.zone)}"
    raise TypeError(f"not a message: {message!r}")
