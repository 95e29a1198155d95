"""Block Kit for ``/announce``: stored, listed, cancelled, or announcements off."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.commands.announce import AnnouncementsOff, Cancelled, Listing, Queued, StoredAnnouncement
from bot.db.tables_announce import OrganizerStatus
from bot.timefmt import clock, dated, until
from handlers.slack.markup import Blocks, context, escape, inert, section
from handlers.slack.organizer_text import preview
from handlers.slack.render.reply import Reply, reply


def _when(a: StoredAnnouncement, zone: ZoneInfo, now: datetime) -> str:
    local_day, today = a.due_at.astimezone(zone).date(), now.astimezone(zone).date()
    return escape(f"{dated(local_day, today)} {clock(a.due_at, zone)} ({until(a.due_at, now)})")


def render_queued(outcome: Queued) -> Reply:
    """Stored: on its way now, or scheduled."""
    a = outcome.announcement
    if not outcome.scheduled:
        head = f"📢 Your announcement (#{a.id}) is on its way to <#{outcome.channel}>:"
        return reply([section(f"{head}\n{preview(a.text)}")], f"Announcement #{a.id} is on its way.")
    head = f"🗓️ Scheduled #{a.id} for *{_when(a, outcome.zone, outcome.now)}* in <#{outcome.channel}>:"
    blocks = [
        section(f"{head}\n{preview(a.text)}"),
        context(f"`/announce cancel {a.id}` cancels it; `/announce list` shows what is scheduled."),
    ]
    if outcome.note:
        blocks.insert(1, section(f"⚠️ {escape(outcome.note)} Cancel it if that is not what you meant."))
    return reply(blocks, f"Announcement #{a.id} is scheduled.")


def render_listing(outcome: Listing) -> Reply:
    """What is scheduled, and how the last ones went."""
    zone, now = outcome.zone, outcome.now
    blocks: Blocks = [section(f"*Scheduled announcements* for <#{outcome.channel}>")]
    if not outcome.pending:
        blocks.append(section("Nothing is scheduled. `/announce at 13:15 &lt;text&gt;` schedules one."))
    for a in outcome.pending:
        state = " · _posting now_" if a.status is OrganizerStatus.SENDING else ""
        head = f"*#{a.id}* · {_when(a, zone, now)} · by {inert(a.author_name)}{state}"
        blocks.append(section(f"{head}\n{preview(a.text, 300)}"))
    if outcome.more:
        blocks.append(context(f"…and {outcome.more} more."))
    if outcome.recent:
        blocks.append(context("*Recently:* " + " · ".join(_outcome(a, zone) for a in outcome.recent)))
    if outcome.pending:
        blocks.append(context("Cancel one with `/announce cancel &lt;id&gt;`."))
    n = len(outcome.pending) + outcome.more
    return reply(blocks, f"{n} scheduled announcement{'s' if n != 1 else ''}.")


def _outcome(a: StoredAnnouncement, zone: ZoneInfo) -> str:
    at = escape(clock(a.sent_at or a.due_at, zone))
    match a.status:
        case OrganizerStatus.SENT:
            return f"#{a.id} posted {at}" + (" (late)" if a.late else "")
        case OrganizerStatus.FAILED:
            return f"#{a.id} *failed*: {escape(a.error or 'unknown error')}"
        case OrganizerStatus.SKIPPED:
            return f"#{a.id} skipped: the bot was down at {at}"
    return f"#{a.id} {escape(a.status)}"


def render_cancelled(outcome: Cancelled) -> Reply:
    """Cancelled before it went out."""
    a = outcome.announcement
    head = f"🗑️ Cancelled #{a.id} ({_when(a, outcome.zone, outcome.now)}, by {inert(a.author_name)}):"
    return reply([section(f"{head}\n{preview(a.text, 500)}")], f"Cancelled announcement #{a.id}.")


def render_off(_outcome: AnnouncementsOff) -> Reply:
    """No announcement channel: say which setting turns them on."""
    return reply(
        [
            section(
                "Announcements are off: no announcement channel is set. Whoever runs the bot can set "
                "`ANNOUNCE_CHANNEL` to the channel's ID (channel details, at the bottom) and restart it."
            )
        ],
        "Announcements are off: ANNOUNCE_CHANNEL is not set.",
    )


RENDERERS = {
    Queued: render_queued,
    Listing: render_listing,
    Cancelled: render_cancelled,
    AnnouncementsOff: render_off,
}
