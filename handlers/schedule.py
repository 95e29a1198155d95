"""``/schedule [day] [room or track]``: a day's agenda; ``/schedule ics``: the calendar."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.answers import schedule_answer
from bot.commands import NoSuchDay, UsageError, parse_schedule
from bot.formats.ics_export import workshop_to_ics
from bot.schedule.model import Workshop
from bot.schedule.slugs import slugify
from bot.services import Services
from bot.settings import Settings
from bot.text import render_agenda
from handlers.blocks import (
    agenda_blocks,
    calendar_failure_text,
    calendar_file_comment,
    calendar_link_blocks,
    escape,
    section,
)
from handlers.common import SORRY, Reply, answer_command, reply

logger = logging.getLogger(__name__)

CALENDAR_PATH = "/schedule.ics"  # served in HTTP mode by awair_bot.http_server


def calendar_url(settings: Settings) -> str | None:
    """Where HTTP mode serves the calendar, when a public base URL is configured."""
    return f"{settings.public_base_url}{CALENDAR_PATH}" if settings.public_base_url else None


def calendar_filename(workshop: Workshop) -> str:
    """'alignment-workshop-for-ai-researchers-awair-august-2023.ics'."""
    return f"{slugify(workshop.name, limit=60) or 'schedule'}.ics"


def build_reply(services: Services, text: str) -> Reply:
    """The reply to ``/schedule <text>``."""
    link = calendar_url(services.settings)
    if parse_schedule(text).calendar:
        if link:
            return reply(calendar_link_blocks(services.workshop, link), f"The schedule as a calendar: {link}")
        note = "📅 Sending you the whole schedule as a calendar file in a direct message…"
        return reply([section(note)], note)
    try:
        agenda = schedule_answer(services.workshop, services.clock.now(), text)
    except NoSuchDay as exc:
        return reply([section(escape(str(exc)))], str(exc))
    return reply(agenda_blocks(agenda, link), render_agenda(agenda))


def send_calendar(services: Services, client: WebClient, user_id: str, respond: Any) -> None:
    """Upload the calendar into the user's direct messages with the bot; say so if Slack refuses.

    A DM, not the command's channel: the file is for the asker, and a slash command may come
    from a conversation the bot is not in (a DM between two people), where it cannot post.
    """
    workshop = services.workshop
    try:
        body = workshop_to_ics(workshop, services.clock.now())
        channel = client.conversations_open(users=user_id)["channel"]["id"]
        client.files_upload_v2(
            channel=channel,
            content=body,
            filename=calendar_filename(workshop),
            title=f"{workshop.name} (calendar)",
            initial_comment=calendar_file_comment(workshop),
        )
        logger.info("sent the calendar (%d bytes) to user %s", len(body), user_id)
    except SlackApiError as exc:
        error, needed = exc.response.get("error", "unknown_error"), exc.response.get("needed")
        logger.warning("sending the calendar to user %s failed: %s %s", user_id, error, needed or "")
        respond(response_type="ephemeral", replace_original=False, text=calendar_failure_text(error, needed))
    except Exception:
        logger.exception("sending the calendar to user %s failed", user_id)
        respond(response_type="ephemeral", replace_original=False, text=SORRY)


def _wants_file(services: Services, text: str) -> bool:
    try:
        return parse_schedule(text).calendar and calendar_url(services.settings) is None
    except UsageError:
        return False


def register(app: App, services: Services) -> None:
    @app.command("/schedule")
    def handle_schedule(ack, command, client, respond):
        answer_command(ack, command, lambda text: build_reply(services, text))
        if _wants_file(services, command.get("text") or ""):
            # After the ack, off the request: an upload takes a few round trips to Slack.
            args = (services, client, command["user_id"], respond)
            if services.background is not None:
                services.background.submit(send_calendar, *args)
            else:
                send_calendar(*args)
