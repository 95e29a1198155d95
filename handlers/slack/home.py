"""The App Home tab: the member's agenda, then the day's programme with its buttons,
published with ``views.publish`` when they open it and whenever they pick."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from slack_sdk import WebClient

from bot.agenda import Status
from bot.commands.base import Caller
from bot.commands.runner import run_command
from bot.commands.schedule import Agenda
from bot.my_agenda.view import MyDay
from bot.platforms import Platform
from bot.services import Services
from bot.text import KIND_ICONS, session_details
from handlers.slack.markup import Blocks, context, escape, header, inert, section
from handlers.slack.render import render
from handlers.slack.render.mine import my_day_blocks, when_text, with_pick
from handlers.slack.zones import SlackZones

logger = logging.getLogger(__name__)

MAX_HOME_BLOCKS = 100  # Slack's limit on a view
PROGRAMME_SESSIONS = 40


def home_blocks(services: Services, platform: Platform, caller: Caller) -> Blocks:
    """What the member's Home tab shows now."""
    answer = run_command(services, platform, caller, "mine", "")
    answer.start(services)  # records the member's zone for their reminders
    mine = answer.outcome
    blocks: Blocks = my_day_blocks(mine, limit=25) if isinstance(mine, MyDay) else render(mine)["blocks"]
    day = run_command(services, platform, caller, "schedule", "").outcome
    if isinstance(day, Agenda):
        blocks += [{"type": "divider"}, *programme_blocks(day, mine if isinstance(mine, MyDay) else None)]
    return blocks[:MAX_HOME_BLOCKS]


def programme_blocks(answer: Agenda, mine: MyDay | None) -> Blocks:
    """The day's sessions still to come, each with its Add or Remove button."""
    agenda, zone = answer.agenda, answer.agenda.workshop.timezone
    reader = mine.reader_zone if mine else None
    day = agenda.day.strftime("%A %-d %B") if agenda.day else "every day"
    blocks: Blocks = [header(f"The programme: {day}")]
    ahead = [item for item in agenda.items if item.status is not Status.PAST]
    for item in ahead[:PROGRAMME_SESSIONS]:
        s = item.session
        now = "  _now_" if item.status is Status.NOW else ""
        text = f"{when_text(s, zone, False, reader)} {KIND_ICONS[s.kind]} *{inert(s.title)}*{now}\n_{inert(session_details(s))}_"
        blocks.append(with_pick(section(text), s, picked=s.id in answer.picked))
    if not ahead:
        blocks.append(section("Nothing more is scheduled this day."))
    if len(ahead) > PROGRAMME_SESSIONS:
        blocks.append(
            context(f"…and {len(ahead) - PROGRAMME_SESSIONS} more: `/schedule` filters by room or track.")
        )
    blocks.append(
        context("Times in " + escape(zone.key) + " · updated as you pick and each time you open this tab.")
    )
    return blocks


def publish_home(
    client: WebClient, services: Services, platform: Platform, caller: Caller, zones: SlackZones | None = None
) -> None:
    """Publish the member's Home tab as it stands now (off the request), times also in
    their own zone when ``zones`` knows it."""
    if zones is not None:
        caller = replace(caller, zone=zones.zone_of(caller.user_id))
    view: dict[str, Any] = {"type": "home", "blocks": home_blocks(services, platform, caller)}
    client.views_publish(user_id=caller.user_id, view=view)
    logger.debug("published the home tab of %s", caller.key)
