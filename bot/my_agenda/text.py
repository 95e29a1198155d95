"""A person's agenda and its answers as plain text: the console's form and Slack's fallback."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.agenda import Status
from bot.bidi import isolate
from bot.my_agenda.view import MyDay
from bot.schedule.model import Session
from bot.text import KIND_ICONS, session_details
from bot.timefmt import day_label, span

if TYPE_CHECKING:
    from bot.commands.mine import Picked

_MARK = {Status.PAST: "✓ ", Status.NOW: "▶ ", Status.NEXT: "→ ", Status.LATER: "  "}
EMPTY = "Your agenda is empty: add sessions with the Add to my agenda buttons under /next and /schedule."


def lead_line(minutes: int | None) -> str:
    """'Reminders: a direct message 10 min before each session.' or that they are off."""
    if minutes is None:
        return "Reminders are off: /mine remind 10 turns them on."
    return f"Reminders: a direct message {minutes} min before each of your sessions (/mine remind off stops them)."


def heading(day: MyDay) -> str:
    """'Your agenda: Sunday 6 August' or 'Your agenda: every day'."""
    return f"Your agenda: {day_label(day.day) if day.day else 'every day'}"


def clash_note(session: Session, clashes: tuple[Session, ...]) -> str:
    """'⚠ clashes with AI Takeover'."""
    names = ", ".join(isolate(c.title) for c in clashes[:3])
    more = f" and {len(clashes) - 3} more" if len(clashes) > 3 else ""
    return f"⚠ clashes with {names}{more}"


def item_line(day: MyDay, index: int) -> str:
    """One picked session: mark, time, title, details, clash."""
    item = day.items[index]
    s, zone = item.session, day.workshop.timezone
    when = (
        f"{day_label(s.day)} {span(s.start, s.end, zone)}" if day.day is None else span(s.start, s.end, zone)
    )
    line = f"{_MARK[item.status]}{when}  {KIND_ICONS[s.kind]} {isolate(s.title)} · {session_details(s)}"
    return line + (f"  {clash_note(s, item.clashes)}" if item.clashes else "")


def render_my_day(day: MyDay) -> str:
    """``/mine`` as text."""
    lines = [heading(day)]
    if not day.items:
        lines.append(
            EMPTY if day.total == 0 else f"Nothing of yours this day ({day.total} on other days: /mine all)."
        )
    lines += [item_line(day, i) for i in range(len(day.items))]
    if day.gone:
        lines.append(f"{day.gone} of your sessions are no longer in the schedule.")
    lines.append(lead_line(day.lead_minutes))
    return "\n".join(lines)


def picked_line(o: Picked) -> str:
    """What a click on Add or Remove did."""
    title = isolate(o.session.title)
    if o.added:
        text = f"Added {title} to your agenda." if o.changed else f"{title} is already in your agenda."
        return text + (f" {clash_note(o.session, o.clashes)}." if o.clashes else "")
    return f"Removed {title} from your agenda." if o.changed else f"{title} was not in your agenda."
