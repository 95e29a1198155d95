"""The invite link: exactly the scopes and permissions the configured features need."""

from __future__ import annotations

from urllib.parse import urlencode

from handlers.discord.settings import DiscordSettings

# Discord's permission bits (https://discord.com/developers/docs/topics/permissions).
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
EMBED_LINKS = 1 << 14
MENTION_EVERYONE = 1 << 17
MANAGE_EVENTS = 1 << 33
CREATE_PUBLIC_THREADS = 1 << 35
SEND_MESSAGES_IN_THREADS = 1 << 38
SCOPES = ("bot", "applications.commands")


def permissions(settings: DiscordSettings) -> dict[str, int]:
    """Each permission the bot needs, by name, for the features the settings turn on."""
    needed = {
        "View Channels": VIEW_CHANNEL,  # see the channels it posts to
        "Send Messages": SEND_MESSAGES,  # announcements and proposals
        "Embed Links": EMBED_LINKS,  # its answers and posts are embeds
        "Mention @everyone, @here and All Roles": MENTION_EVERYONE,  # an organizer's /announce
    }
    if settings.session_threads:
        needed["Create Public Threads"] = CREATE_PUBLIC_THREADS
        needed["Send Messages in Threads"] = SEND_MESSAGES_IN_THREADS
    if settings.scheduled_events:
        needed["Manage Events"] = MANAGE_EVENTS
    return needed


def invite_url(settings: DiscordSettings, application_id: str) -> str:
    """The OAuth2 link that adds the bot to the configured server with just those permissions."""
    query = {
        "client_id": application_id,
        "scope": " ".join(SCOPES),
        "permissions": str(sum(permissions(settings).values())),
        "integration_type": "0",
    }
    if settings.guild_id:
        query |= {"guild_id": settings.guild_id, "disable_guild_select": "true"}
    return "https://discord.com/oauth2/authorize?" + urlencode(query)
