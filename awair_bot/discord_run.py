"""Discord in ``awair-bot run``: the app, its commands registered on the server, its
announcements and its Events tab, started beside Slack or alone."""

from __future__ import annotations

import logging
import sys

from awair_bot.wiring import start_announcements, start_reminders
from bot.events_tab import CalendarSync
from bot.services import Services
from handlers.discord.app import DiscordApp, RegistrationFailed, create_app
from handlers.discord.dm import DM_RATE, DM_REFUSED, DiscordDirectMessages
from handlers.discord.events_tab import DiscordCalendar
from handlers.discord.poster import DiscordPoster
from handlers.discord.settings import DiscordSettings

logger = logging.getLogger("awair_bot")


def start_discord(services: Services, settings: DiscordSettings) -> DiscordApp:
    """Build the app, register its commands in one bulk overwrite and start its
    announcements and personal reminders; exit 1 saying why when Discord refuses the commands."""
    app = create_app(settings, services)
    try:
        app.register_commands()
    except RegistrationFailed as exc:
        print(f"awair-bot: Discord refused the bot's commands: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
    poster = DiscordPoster(app.rest, settings.room_channels, settings.session_threads)
    start_announcements(services, app.platform, poster, setting="DISCORD_ANNOUNCE_CHANNEL")
    # Personal reminders: a DM to each member who picked a session (its own channel, opened once).
    start_reminders(services, app.platform, DiscordDirectMessages(app.rest), DM_REFUSED, rate=DM_RATE)
    if settings.scheduled_events and services.db is not None:
        calendar = DiscordCalendar(app.rest, settings.guild_id or "", settings.room_channels)
        app.calendar_sync = CalendarSync(
            services.db,
            calendar,
            app.platform.name,
            services.schedule,
            settings.scheduled_events,
            services.clock.now,
        ).start()
    return app


def stop_discord(app: DiscordApp | None) -> None:
    """Let a post in progress finish."""
    if app is None:
        return
    if app.calendar_sync is not None:
        app.calendar_sync.stop()
    if app.platform.announcer is not None:
        app.platform.announcer.shutdown(wait=True)
    if app.platform.reminders is not None:
        app.platform.reminders.shutdown(wait=True)
