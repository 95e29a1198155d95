"""Every outcome of the core as plain text, for the local console (no markup at all)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.announcements.messages import change_line
from bot.commands.announce import AnnouncementsOff, Cancelled, Listing, Queued, StoredAnnouncement
from bot.commands.awair import Help, Interest, Reloaded, ReloadRefused
from bot.commands.base import NotAllowed, Notice, Usage
from bot.commands.mine import FeedKept, FeedLink, LeadSet, MineSending, Picked
from bot.commands.proposals import MyProposals, OpenProposals
from bot.commands.propose import Duplicate, ProposalNotPosted, ProposalsClosed, Proposed, Withdrawn
from bot.commands.schedule import Agenda, CalendarLink, CalendarSending, NotSent
from bot.commands.unconf import Draft, ExportSending, Merged, Published, Removed
from bot.commands.vote import Voted
from bot.my_agenda.text import lead_line, picked_line, render_my_day
from bot.my_agenda.view import MyDay
from bot.reading_list import ReadingsAnswer
from bot.text import plural, render_agenda, render_next, render_readings
from bot.timefmt import clock, dated, span, until
from bot.unconference.text import budget_line, mine_text, plan_text, proposal_line, published_line
from bot.whats_next import NextAnswer

CONSOLE_HELP_EXTRA = (("quit", "Leave the console (or Ctrl-D)."),)


def _plain(text: str) -> str:
    """The core's sentences mark commands with backticks; a terminal shows them bare."""
    return text.replace("`", "")


def _when(a: StoredAnnouncement, outcome: Queued | Listing | Cancelled) -> str:
    zone = outcome.zone
    day, today = a.due_at.astimezone(zone).date(), outcome.now.astimezone(zone).date()
    return f"{dated(day, today)} {clock(a.due_at, zone)} ({until(a.due_at, outcome.now)})"


def _queued(o: Queued) -> str:
    a = o.announcement
    if o.scheduled:
        note = f"\n⚠️ {o.note} Cancel it if that is not what you meant." if o.note else ""
        return f"Scheduled #{a.id} for {_when(a, o)} in {o.channel}:\n> {a.text}{note}"
    return f"Announcement #{a.id} is on its way to {o.channel}:\n> {a.text}"


def _listing(o: Listing) -> str:
    lines = [f"Scheduled announcements for {o.channel}:"]
    lines += [f"#{a.id} · {_when(a, o)} · by {a.author_name}\n> {a.text}" for a in o.pending]
    if not o.pending:
        lines.append("Nothing is scheduled.")
    lines += [f"…and {o.more} more."] if o.more else []
    lines += [f"Recently: #{a.id} {a.status.value}" for a in o.recent]
    return "\n".join(lines)


def _reloaded(o: Reloaded) -> str:
    lines = [f"Reloaded {o.path}: {len(o.workshop.sessions)} sessions."]
    lines += [f"• {change_line(c, o.workshop.timezone)}" for c in o.changes]
    return "\n".join(lines + [f"⚠️ {w}" for w in o.workshop.warnings[:10]])


def _refused(o: ReloadRefused) -> str:
    head = f"{o.path} has {len(o.problems)} problem(s), so the schedule stays as it was ({o.kept} sessions):"
    return "\n".join([head, *(f"• {p}" for p in o.problems)])


def _open(o: OpenProposals) -> str:
    head = f"Open proposals: {len(o.proposals)}. {o.closed or budget_line(o.votes_used, o.budget)}"
    return "\n".join([head, *(proposal_line(p) for p in o.proposals)])


def _proposed(o: Proposed) -> str:
    p = o.result.proposal
    assert p is not None
    return f"{o.result.message}\n{proposal_line(p)}"


def _draft(o: Draft) -> str:
    return plan_text(o.plan, o.zone) + "\n`/unconf publish` publishes it."


def _published(o: Published) -> str:
    lines = [o.result.message]
    if o.result.plan is not None:
        lines += [published_line(i, o.zone) for i in o.result.plan.items]
    return "\n".join(lines)


def _cancelled(o: Merged | Removed) -> list[str]:
    c = o.cancelled
    if c is None or o.zone is None:
        return []
    return [
        f"Its published session ({span(c.start, c.end, o.zone)}, {c.room}) is cancelled; the channel is told."
    ]


def _merged(o: Merged) -> str:
    lines = [o.result.message, *(proposal_line(p) for p in (o.result.source, o.result.target) if p)]
    return "\n".join([*lines, *_cancelled(o)])


def _removed(o: Removed) -> str:
    lines = [o.result.message, *([proposal_line(o.result.proposal)] if o.result.proposal else [])]
    return "\n".join([*lines, *_cancelled(o)])


RENDERERS: dict[type, Callable[[Any], str]] = {
    Notice: lambda o: o.text,
    Usage: lambda o: o.text,
    NotAllowed: lambda o: o.text,
    NextAnswer: render_next,
    Agenda: lambda o: render_agenda(o.agenda),
    ReadingsAnswer: render_readings,
    CalendarLink: lambda o: f"The schedule as a calendar: {o.url}",
    CalendarSending: lambda o: "Writing the calendar…",
    NotSent: lambda o: o.hint or f"Couldn't send {o.what}: {o.reason}.",
    Help: lambda o: o.as_text(CONSOLE_HELP_EXTRA),
    Reloaded: _reloaded,
    ReloadRefused: _refused,
    Queued: _queued,
    Listing: _listing,
    Cancelled: lambda o: f"Cancelled #{o.announcement.id}:\n> {o.announcement.text}",
    AnnouncementsOff: lambda o: "Announcements are off here: the console has no channel to post to.",
    Proposed: _proposed,
    Duplicate: lambda o: o.result.message,
    ProposalsClosed: lambda o: o.message,
    Withdrawn: lambda o: o.result.message,
    ProposalNotPosted: lambda o: (
        f"#{o.number} is stored, but it couldn't be posted on {o.platform}: {o.reason}."
    ),
    OpenProposals: _open,
    MyProposals: lambda o: mine_text(o.mine, o.budget),
    Voted: lambda o: o.result.message,
    Draft: _draft,
    Published: _published,
    ExportSending: lambda o: f"Writing the CSV of {plural(o.count, 'proposal')}…",
    Merged: _merged,
    Removed: _removed,
}


def render(outcome: Any) -> str:
    """The console's text for any outcome the core returns."""
    renderer = RENDERERS.get(type(outcome))
    if renderer is None:
        raise TypeError(f"no console renderer for {type(outcome).__name__}")
    return _plain(renderer(outcome))


def _interest(o: Interest) -> str:
    lines = ["Picks per upcoming session (how many people added it to their agenda; never who):"]
    for r in o.rows:
        room = (
            f"{r.session.room} holds {r.capacity}"
            if r.capacity is not None
            else (r.session.room or "no room")
        )
        flag = "  ⚠ more than the room holds" if r.over else ""
        lines.append(
            f"{span(r.session.start, r.session.end, o.workshop.timezone)} {r.session.title}: {r.picked} ({room}){flag}"
        )
    lines += [f"…and {o.more} more."] if o.more else []
    return "\n".join(lines)


RENDERERS.update(
    {
        MyDay: render_my_day,
        Picked: picked_line,
        LeadSet: lambda o: lead_line(o.minutes),
        FeedLink: lambda o: f"Your private calendar: {o.url} (subscribe to it; keep it to yourself).",
        FeedKept: lambda o: "You have a calendar link already; /mine calendar reset makes a new one.",
        MineSending: lambda o: f"Sending your {o.count} sessions as a calendar file…",
        Interest: _interest,
    }
)
