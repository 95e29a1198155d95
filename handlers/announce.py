"""``/announce``: organizers post to the announcement channel now or at a set time; list; cancel.

Nothing here waits for Slack before answering: the announcement is stored first (so a crash
cannot lose it), the reply says it is on its way, and the organizer's display name
(``users.info``) and the post itself happen afterwards, off the request.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.announcements import organizer
from bot.announcements.when import USAGE, Refusal, parse_at, resolve
from bot.commands import UsageError, normalise
from bot.db.tables_announce import OrganizerStatus, ScheduledAnnouncement
from bot.services import Services
from bot.timefmt import clock, day_label, until
from handlers.blocks import Blocks, context, escape, section
from handlers.common import Reply, answer_command, reply

logger = logging.getLogger(__name__)

MAX_TEXT = 2800  # Slack's section limit is 3,000, and the post adds a little
NAME_WAIT = timedelta(seconds=1.5)  # "now" posts wait this long for the organizer's name
# Slack markup an organizer may use on purpose: mentions, channels, broadcasts, links.
_MARKUP = re.compile(
    r"<(?:@[UW][A-Z0-9]+|#C[A-Z0-9]+|!(?:here|channel|everyone)|!subteam\^[A-Z0-9]+"
    r"|(?:https?|mailto):[^\s<>|]+)(?:\|[^<>]*)?>"
)
_BROADCAST = re.compile(r"(?<![\w@<!])@(here|channel|everyone)\b")
_ENTITY = re.compile(r"&(amp|lt|gt);")
_OPEN = (OrganizerStatus.PENDING, OrganizerStatus.SENDING)


# -- text ------------------------------------------------------------------------------


def organizer_markup(text: str) -> str:
    """The organizer's text as Slack mrkdwn: their mentions, channel links, links and
    @here/@channel/@everyone kept working on purpose; every other ``& < >`` escaped."""
    out, last = [], 0
    for match in _MARKUP.finditer(text):
        out.append(_plain(text[last : match.start()]))
        out.append(match.group(0))
        last = match.end()
    out.append(_plain(text[last:]))
    return "".join(out)


def _unescape(text: str) -> str:
    return _ENTITY.sub(lambda m: {"amp": "&", "lt": "<", "gt": ">"}[m.group(1)], text)


def _plain(text: str) -> str:
    # Slack sends & < > escaped; undo that once so nothing is escaped twice.
    return _BROADCAST.sub(r"<!\1>", escape(_unescape(text)))


def preview(text: str, limit: int | None = None) -> str:
    """The announcement as a quote for the organizer's eyes only: broadcasts shown, not sent."""
    shown = re.sub(r"<!(here|channel|everyone)(?:\|[^>]*)?>", r"*@\1*", text)
    if limit is not None and len(shown) > limit:
        cut = shown[: limit - 1]
        # Never leave half a link or entity behind.
        cut = cut[: cut.rfind("<")] if cut.rfind("<") > cut.rfind(">") else cut
        cut = cut[: cut.rfind("&")] if cut.rfind("&") > cut.rfind(";") else cut
        shown = cut.rstrip() + "…"
    return "\n".join(f">{line}" for line in shown.splitlines() or [""])


# -- replies ---------------------------------------------------------------------------


def _when(row: ScheduledAnnouncement, services: Services, now: datetime) -> str:
    zone = services.workshop.timezone
    local_day = row.due_at.astimezone(zone).date()
    return escape(f"{day_label(local_day)} {clock(row.due_at, zone)} ({until(row.due_at, now)})")


def _listing(services: Services, now: datetime) -> Reply:
    announcer = services.announcer
    assert announcer is not None
    pending = announcer.organizer_announcements()
    blocks: Blocks = [section(f"*Scheduled announcements* for <#{announcer.channel}>")]
    if not pending:
        blocks.append(section("Nothing is scheduled. `/announce at 13:15 <text>` schedules one."))
    for row in pending[:30]:
        state = " · _posting now_" if row.status == OrganizerStatus.SENDING else ""
        head = f"*#{row.id}* · {_when(row, services, now)} · by {escape(row.author_name)}{state}"
        blocks.append(section(f"{head}\n{preview(row.text, 300)}"))
    if len(pending) > 30:
        blocks.append(context(f"…and {len(pending) - 30} more."))
    done = [r for r in announcer.organizer_announcements(include_done=True) if r.status not in _OPEN]
    recent = sorted(done, key=lambda r: r.due_at, reverse=True)[:5]
    if recent:
        blocks.append(context("*Recently:* " + " · ".join(_outcome(r, services) for r in recent)))
    if pending:
        blocks.append(context("Cancel one with `/announce cancel <id>`."))
    text = f"{len(pending)} scheduled announcement{'s' if len(pending) != 1 else ''}."
    return reply(blocks, text)


def _outcome(row: ScheduledAnnouncement, services: Services) -> str:
    at = escape(clock(row.sent_at or row.due_at, services.workshop.timezone))
    match row.status:
        case OrganizerStatus.SENT:
            return f"#{row.id} posted {at}" + (" (late)" if row.late else "")
        case OrganizerStatus.FAILED:
            return f"#{row.id} *failed*: {escape(row.error or 'unknown error')}"
        case OrganizerStatus.SKIPPED:
            return f"#{row.id} skipped: the bot was down at {at}"
    return f"#{row.id} {escape(row.status)}"


def _cancel(services: Services, arg: str, now: datetime) -> Reply:
    announcer = services.announcer
    assert announcer is not None and services.db is not None
    if not re.fullmatch(r"#?\d{1,9}", arg):
        raise UsageError(USAGE, "Which one? `/announce cancel 12` (`/announce list` shows the numbers).")
    number = int(arg.lstrip("#"))
    with services.db() as db:
        row = organizer.get(db, number)
    if row is None:
        raise Refusal(f"There is no announcement #{number}. `/announce list` shows the scheduled ones.")
    if not announcer.cancel(number):
        with services.db() as db:
            row = organizer.get(db, number) or row
        why = {
            OrganizerStatus.SENT: "was already posted",
            OrganizerStatus.SENDING: "is being posted right now",
            OrganizerStatus.CANCELLED: "was already cancelled",
        }.get(OrganizerStatus(row.status), f"is {escape(row.status)}")
        raise Refusal(f"#{number} {why}, so there is nothing to cancel.")
    logger.info("announcement #%s cancelled", number)
    head = f"🗑️ Cancelled #{number} ({_when(row, services, now)}, by {escape(row.author_name)}):"
    return reply([section(f"{head}\n{preview(row.text, 500)}")], f"Cancelled announcement #{number}.")


def _refuse_non_organizer(services: Services) -> Reply:
    organizers = sorted(services.settings.organizer_ids)
    if organizers:
        ask = (
            "If something needs announcing, ask an organizer: "
            + ", ".join(f"<@{o}>" for o in organizers)
            + "."
        )
    else:
        ask = "No organizers are set up yet (ORGANIZER_IDS), so nobody can."
    return reply(
        [section(f"Sorry, only the workshop's organizers can post announcements. {ask}")],
        "Sorry, only organizers can post announcements.",
    )


# -- storing and posting ---------------------------------------------------------------


def display_name(client: WebClient, user_id: str, fallback: str) -> str:
    """The name Slack shows for ``user_id`` (display name, else real name), else ``fallback``."""
    try:
        user = client.users_info(user=user_id).get("user") or {}
    except SlackApiError as exc:
        logger.warning(
            "users.info for %s failed (%s): using the command's user name", user_id, exc.response.get("error")
        )
        return fallback
    except Exception:  # a name is not worth failing an announcement for
        logger.warning("users.info for %s failed: using the command's user name", user_id, exc_info=True)
        return fallback
    profile = user.get("profile") or {}
    name = (
        profile.get("display_name") or profile.get("real_name") or user.get("real_name") or user.get("name")
    )
    return str(name)[:200] if name else fallback


def sign(services: Services, client: WebClient, row_id: int, user_id: str, fallback: str) -> None:
    """Put the organizer's display name on their stored announcement, if still pending."""
    name = display_name(client, user_id, fallback)
    if name == fallback or services.db is None:
        return
    with services.db() as db:
        row = organizer.get(db, row_id)
        if row is not None and row.status == OrganizerStatus.PENDING:
            row.author_name = name
            db.commit()


def _after_reply(services: Services, job, *args: Any) -> None:
    def run() -> None:
        try:
            job(*args)
        except Exception:  # the announcement itself is stored and scheduled already
            logger.exception("looking up the organizer's name failed")

    if services.background is not None:
        services.background.submit(run)
    else:
        run()


def _store(
    services: Services, client: WebClient, command: dict[str, Any], text: str, due_at: datetime | None
) -> Reply:
    announcer = services.announcer
    assert announcer is not None
    user_id, now = command["user_id"], services.clock.now()
    fallback = str(command.get("user_name") or user_id)[:200]
    markup = organizer_markup(text)
    if len(markup) > MAX_TEXT:
        raise Refusal(
            f"That is {len(markup):,} characters; an announcement holds {MAX_TEXT:,}. Please shorten it."
        )
    # Stored (so a crash cannot lose it) and handed to the scheduler's one worker (so it goes out
    # in order with everything else) before the reply; "now" is a moment away, which gives
    # users.info, off the request, time to put the organizer's display name on it.
    # In UTC: the scheduler subtracts its clock's offset from it, and wall-clock arithmetic on
    # a zoned instant would be an hour off across a daylight-saving change.
    due = (due_at or now + NAME_WAIT).astimezone(UTC)
    row = announcer.schedule_organizer(markup, user_id, fallback, due)
    logger.info("organizer %s stored announcement #%s due %s", user_id, row.id, row.due_at.isoformat())
    _after_reply(services, sign, services, client, row.id, user_id, fallback)
    if due_at is None:
        head = f"📢 Your announcement (#{row.id}) is on its way to <#{announcer.channel}>:"
        blocks = [section(f"{head}\n{preview(markup)}")]
        return reply(blocks, f"Announcement #{row.id} is on its way.")
    head = f"🗓️ Scheduled #{row.id} for *{_when(row, services, now)}* in <#{announcer.channel}>:"
    blocks = [
        section(f"{head}\n{preview(markup)}"),
        context(f"`/announce cancel {row.id}` cancels it; `/announce list` shows what is scheduled."),
    ]
    return reply(blocks, f"Announcement #{row.id} is scheduled.")


def build_reply(services: Services, client: WebClient, command: dict[str, Any]) -> Reply:
    """The reply to ``/announce <text>`` (storing or cancelling on the way)."""
    if not services.settings.is_organizer(command.get("user_id", "")):
        logger.info("refused /announce from non-organizer %s", command.get("user_id"))
        return _refuse_non_organizer(services)
    if services.announcer is None or services.db is None:
        return reply(
            [
                section(
                    "Announcements are off: no announcement channel is set. Whoever runs the bot can set "
                    "`ANNOUNCE_CHANNEL` to the channel's ID (channel details, at the bottom) and restart it."
                )
            ],
            "Announcements are off: ANNOUNCE_CHANNEL is not set.",
        )
    raw = (command.get("text") or "").strip()
    words = normalise(raw).split(" ") if normalise(raw) else []
    first = words[0].casefold() if words else ""
    now = services.clock.now()
    try:
        if first in ("", "help", "-h", "--help") and len(words) <= 1:
            raise UsageError(USAGE)
        if first == "list" and len(words) == 1:
            return _listing(services, now)
        if first == "cancel":
            return _cancel(services, " ".join(words[1:]), now)
        if first == "at":
            when, used = parse_at(words[1:])
            # Keep the organizer's line breaks: take the text from the raw input.
            text = raw.split(None, 1 + used)[-1].strip()
            return _store(services, client, command, text, resolve(when, services.workshop, now))
        if first in ("list", "help"):
            raise UsageError(USAGE, f"To post text starting with “{first}”, use `/announce now {first} …`.")
        text = raw.split(None, 1)[1] if first == "now" and len(words) > 1 else raw
        if first == "now" and len(words) == 1:
            raise UsageError(USAGE, "What should the announcement say?")
        return _store(services, client, command, text, None)
    except Refusal as refusal:
        return reply([section(str(refusal))], re.sub(r"[`*]", "", _unescape(str(refusal))))


def register(app: App, services: Services) -> None:
    @app.command("/announce")
    def handle_announce(ack, command, client):
        answer_command(ack, command, lambda _text: build_reply(services, client, command))
