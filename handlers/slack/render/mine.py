"""Block Kit for a person's agenda: ``/mine``, the Add/Remove buttons, reminders' leads,
the calendar feed, ``/awair interest``, and the buttons under ``/next`` and ``/schedule``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.agenda import Status
from bot.commands.awair import Interest
from bot.commands.mine import FeedKept, FeedLink, LeadSet, MineSending, Picked
from bot.my_agenda.text import EMPTY, heading, lead_line, picked_line, render_my_day
from bot.my_agenda.view import MyDay
from bot.schedule.model import Session
from bot.text import KIND_ICONS, session_details
from bot.timefmt import clock, day_label, span
from handlers.slack.markup import Blocks, context, escape, fit, header, inert, link, pack, plain, section
from handlers.slack.render.reply import Reply, reply

PICK_ACTION = "pick_session"
# Slack's limit on a button's value; our own values are "+" or "-" and a session's id.
MAX_VALUE = 2000


def pick_button(session: Session, picked: bool) -> dict[str, Any] | None:
    """The Add (or Remove, when picked) button of one session; its value carries the intent,
    so a second click on a stale button says what is already so."""
    value = f"{'-' if picked else '+'}{session.id}"
    if len(value) > MAX_VALUE:
        return None
    button = {
        "type": "button",
        "action_id": PICK_ACTION,
        "text": plain("Remove" if picked else "Add to my agenda"),
        "value": value,
    }
    return button if picked else {**button, "style": "primary"}


def with_pick(block: dict[str, Any], session: Session, picked: bool = False) -> dict[str, Any]:
    """A session's section with its Add/Remove button beside it."""
    button = pick_button(session, picked)
    return {**block, "accessory": button} if button else block


MAX_OPTIONS = 100  # Slack's limit on a select menu's options
MAX_OPTION_VALUE = 150


def pick_menu(sessions: list[Session], picked: frozenset[str]) -> dict[str, Any] | None:
    """A menu under ``/schedule``: pick a session to add it (or, if in, to remove it)."""
    options = []
    for s in sessions:
        mine = s.id in picked
        value = f"{'-' if mine else '+'}{s.id}"
        if len(value) > MAX_OPTION_VALUE:
            continue
        label = f"{'✓ Remove: ' if mine else ''}{clock(s.start, s.start.tzinfo, with_zone=False)} {s.title}"
        # Look-alike brackets: nothing in a label can read as a mention anywhere it is shown.
        label = label.replace("<", "‹").replace(">", "›")
        options.append({"text": plain(label[:75]), "value": value})
    if not options:
        return None
    menu = {
        "type": "static_select",
        "action_id": PICK_ACTION,
        "placeholder": plain("Add to my agenda…"),
        "options": options[:MAX_OPTIONS],
    }
    return {"type": "actions", "elements": [menu]}


def mark_picked(blocks: Blocks, picked: Iterable[str]) -> Blocks:
    """``blocks`` (drawn for someone with no picks) with the reader's picks' buttons turned
    to Remove: the same-for-everyone answer made theirs with no re-rendering."""
    wanted = {f"+{sid}" for sid in picked}
    out = []
    for block in blocks:
        accessory = block.get("accessory")
        if accessory and accessory.get("action_id") == PICK_ACTION and accessory.get("value") in wanted:
            block = {
                **block,
                "accessory": {**accessory, "value": "-" + accessory["value"][1:], "text": plain("Remove")},
            }
            block["accessory"].pop("style", None)
        out.append(block)
    return out


def without_picks(blocks: Blocks) -> Blocks:
    """``blocks`` with no one's personal buttons: what a Share posts to the channel."""
    out = []
    for block in blocks:
        accessory = block.get("accessory")
        if accessory and accessory.get("action_id") == PICK_ACTION:
            block = {k: v for k, v in block.items() if k != "accessory"}
        if block.get("type") == "actions":
            elements = [e for e in block.get("elements", []) if e.get("action_id") != PICK_ACTION]
            if not elements:
                continue
            block = {**block, "elements": elements}
        out.append(block)
    return out


_MARK = {Status.PAST: "~{}~", Status.NOW: "▶ *{}*  _now_", Status.NEXT: "→ *{}*  _next_", Status.LATER: "{}"}


def when_text(session: Session, zone: ZoneInfo, every_day: bool, reader: ZoneInfo | None = None) -> str:
    """'11:00-12:10 PT' (with its day when showing every day), and the reader's own time
    when their zone differs."""
    shown = span(session.start, session.end, zone)
    if every_day:
        shown = f"{day_label(session.day)} {shown}"
    return f"`{escape(shown)}`{local_time(session.start, reader)}"


def local_time(instant: datetime, reader: ZoneInfo | None) -> str:
    """' (20:00 your time)' as Slack writes it for the reader (``<!date>``, in their own
    zone and 12- or 24-hour clock); its fallback is the time in the zone we know of theirs."""
    if reader is None:
        return ""
    return f" (<!date^{int(instant.timestamp())}^{{time}}|{escape(clock(instant, reader))}> your time)"


def my_day_blocks(day: MyDay, *, limit: int = 40) -> Blocks:
    """``/mine`` as Block Kit: each pick with its Remove button, clashes marked."""
    zone = day.workshop.timezone
    blocks: Blocks = [header(heading(day))]
    if not day.items:
        empty = (
            EMPTY
            if day.total == 0
            else f"Nothing of yours this day ({day.total} on other days: `/mine all`)."
        )
        blocks.append(section(escape(empty).replace("/next", "`/next`").replace("/schedule", "`/schedule`")))
    for item in day.items[:limit]:
        s = item.session
        text = f"{when_text(s, zone, day.day is None, day.reader_zone)} {KIND_ICONS[s.kind]} {inert(s.title)}"
        lines = [_MARK[item.status].format(text), f"_{inert(session_details(s))}_"]
        if item.clashes:
            names = ", ".join(inert(c.title) for c in item.clashes[:3])
            lines.append(f"⚠️ *Clashes with* {names}")
        block = section("\n".join(lines))
        blocks.append(with_pick(block, s, picked=True) if item.status is not Status.PAST else block)
    if len(day.items) > limit:
        blocks.append(context(f"…and {len(day.items) - limit} more: `/mine` with a day shows fewer."))
    if day.gone:
        blocks.append(context(f"{day.gone} of your sessions are no longer in the schedule."))
    if day.clashes:
        blocks.append(context("⚠️ Two of your sessions at once: remove one, or pick which to attend."))
    blocks.append(
        context(
            escape(lead_line(day.lead_minutes))
            .replace("/mine remind 10", "`/mine remind 10`")
            .replace("/mine remind off", "`/mine remind off`")
        )
    )
    return fit(blocks, "More sessions than fit here: try /mine <day>.")


def render_my_day_answer(day: MyDay) -> Reply:
    """``/mine``."""
    return reply(my_day_blocks(day), render_my_day(day), theirs=True)


def picked_text(o: Picked) -> str:
    """What a click did, as mrkdwn."""
    title = f"*{inert(o.session.title)}*"
    if o.added:
        text = f"✅ Added {title} to your agenda." if o.changed else f"{title} is already in your agenda."
        if o.clashes:
            text += " ⚠️ It clashes with " + ", ".join(inert(c.title) for c in o.clashes[:3]) + "."
        return text + " `/mine` shows your agenda."
    return f"Removed {title} from your agenda." if o.changed else f"{title} was not in your agenda."


def render_picked(o: Picked) -> Reply:
    """A click on Add or Remove."""
    return reply([section(picked_text(o))], picked_line(o), theirs=True)


def render_lead(o: LeadSet) -> Reply:
    """``/mine remind``."""
    text = lead_line(o.minutes)
    if o.minutes is not None and o.upcoming:
        text += f" That covers {o.upcoming} upcoming session{'s' if o.upcoming != 1 else ''}."
    return reply([section(escape(text))], text)


def render_feed(o: FeedLink) -> Reply:
    """``/mine calendar`` in HTTP mode."""
    first = "A new private link (the old one no longer works)" if o.reset else "Your private calendar"
    blocks = [
        section(f"📅 {first}: {link(o.url, o.url)}"),
        context(
            "Subscribe to it in your calendar app: it follows your picks and the schedule's changes. Keep it to yourself; `/mine calendar reset` makes a new one."
        ),
    ]
    return reply(blocks, f"{first}: {o.url}")


def render_feed_kept(_o: FeedKept) -> Reply:
    """``/mine calendar`` when a feed exists: only its hash is kept, so it cannot be shown."""
    text = "You have a private calendar link already (shown once, when it was made). Lost it? `/mine calendar reset` makes a new one, and the old one stops working."
    return reply([section(text)], text)


def render_mine_sending(o: MineSending) -> Reply:
    """``/mine calendar`` without a web process."""
    text = f"📅 Sending you your {o.count} session{'s' if o.count != 1 else ''} as a calendar file in a direct message…"
    return reply([section(text)], text)


def interest_blocks(o: Interest) -> Blocks:
    """``/awair interest``: counts beside capacity, the full rooms flagged; never who."""
    zone = o.workshop.timezone
    blocks: Blocks = [
        header("Picks per upcoming session"),
        context(
            "How many people added each session to their agenda (never who), beside its room's capacity."
        ),
    ]
    lines = []
    for r in o.rows:
        s = r.session
        room = (
            f"{inert(s.room)} holds {r.capacity}"
            if r.capacity is not None
            else (inert(s.room) if s.room else "no room")
        )
        flag = "  ⚠️ *more than the room holds*" if r.over else ""
        lines.append(
            f"`{escape(day_label(s.day))} {escape(span(s.start, s.end, zone))}` {inert(s.title)}: *{r.picked}* ({room}){flag}"
        )
    if not lines:
        blocks.append(section("No sessions are left."))
    blocks += pack(lines)
    if o.more:
        blocks.append(context(f"…and {o.more} more later."))
    return fit(blocks, "More sessions than fit here.")


def render_interest(o: Interest) -> Reply:
    """``/awair interest``."""
    text = "\n".join(f"{r.session.title}: {r.picked}" for r in o.rows) or "No sessions are left."
    return reply(interest_blocks(o), text, theirs=True)


RENDERERS = {
    MyDay: render_my_day_answer,
    Picked: render_picked,
    LeadSet: render_lead,
    FeedLink: render_feed,
    FeedKept: render_feed_kept,
    MineSending: render_mine_sending,
    Interest: render_interest,
}
