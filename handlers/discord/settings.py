"""Discord's settings: the bot token, the server, channels, organizers and the HTTP mode's
keys, each checked for Discord's own shapes (snowflake ids, a hex public key) with a message
that says where to copy the right value from. Secrets are excluded from ``repr``."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.schedule.model import Kind
from bot.settings import Reader, SettingsError, kinds_setting

DEFAULT_API_URL = "https://discord.com/api/v10/"
# A snowflake: a user, role, channel, server or application id.
SNOWFLAKE = re.compile(r"[0-9]{15,21}")
_TOKEN = re.compile(r"[A-Za-z0-9_\-]{20,}\.[A-Za-z0-9_\-]{4,}\.[A-Za-z0-9_\-]{20,}")
_COPY_ID = "(turn on Developer Mode in User Settings > Advanced, then right-click > Copy ID)"


@dataclass(frozen=True)
class DiscordSettings:
    """Everything Discord needs."""

    bot_token: str | None = field(default=None, repr=False)
    guild_id: str | None = None
    application_id: str | None = None
    public_key: str | None = field(default=None, repr=False)
    api_url: str = DEFAULT_API_URL
    announce_channel: str | None = None
    unconference_channel: str | None = None
    organizer_role: str | None = None
    organizer_ids: frozenset[str] = frozenset()
    # room or track name (casefolded) -> channel id: its sessions are announced there too.
    room_channels: Mapping[str, str] = field(default_factory=dict)
    # Which kinds of session become events on the server's Events tab (empty: none).
    scheduled_events: frozenset[Kind] = frozenset()
    session_threads: bool = False

    @property
    def configured(self) -> bool:
        """Whether Discord is configured at all."""
        return bool(self.bot_token)

    def missing(self, http: bool) -> list[str]:
        """Variables still needed to run on Discord (HTTP mode needs the endpoint's keys)."""
        needed = [("DISCORD_BOT_TOKEN", self.bot_token), ("DISCORD_GUILD_ID", self.guild_id)]
        if http:
            needed += [
                ("DISCORD_APPLICATION_ID", self.application_id),
                ("DISCORD_PUBLIC_KEY", self.public_key),
            ]
        return [name for name, value in needed if not value]

    def is_organizer(self, user_id: str, roles: list[str] | tuple[str, ...]) -> bool:
        """Whether a member with these role ids may use the organizer commands."""
        return user_id in self.organizer_ids or (
            self.organizer_role is not None and self.organizer_role in roles
        )


def parse_discord_settings(env: Mapping[str, str]) -> DiscordSettings:
    """Discord's settings from an environment mapping. Raises ``SettingsError``."""
    reader = Reader(env)
    problems, get = reader.problems, reader.get

    def snowflake(name: str, what: str) -> str | None:
        value = get(name)
        if value and not SNOWFLAKE.fullmatch(value):
            problems.append(f"{name}='{value[:40]}' should be the {what}'s id, 15-21 digits {_COPY_ID}.")
            return None
        return value

    token = get("DISCORD_BOT_TOKEN")
    if token and not _TOKEN.fullmatch(token):
        problems.append(
            "DISCORD_BOT_TOKEN doesn't look like a bot token; copy it from the Developer Portal: "
            "your application > Bot > Reset Token."
        )
    public_key = get("DISCORD_PUBLIC_KEY")
    if public_key and not re.fullmatch(r"[0-9a-fA-F]{64}", public_key):
        problems.append(
            "DISCORD_PUBLIC_KEY should be 64 hexadecimal characters; copy it from the Developer Portal: "
            "your application > General Information > Public Key."
        )
    organizers = frozenset(x for x in re.split(r"[\s,]+", get("DISCORD_ORGANIZER_IDS") or "") if x)
    bad = sorted(x[:30] for x in organizers if not SNOWFLAKE.fullmatch(x))
    if bad:
        problems.append(
            f"DISCORD_ORGANIZER_IDS has {', '.join(bad)}: use user ids {_COPY_ID}, separated by commas."
        )
    settings = DiscordSettings(
        bot_token=token,
        guild_id=snowflake("DISCORD_GUILD_ID", "server"),
        application_id=snowflake("DISCORD_APPLICATION_ID", "application"),
        public_key=public_key.lower() if public_key else None,
        api_url=reader.url("DISCORD_API_URL", DEFAULT_API_URL, DEFAULT_API_URL),
        announce_channel=snowflake("DISCORD_ANNOUNCE_CHANNEL", "channel"),
        unconference_channel=snowflake("DISCORD_UNCONFERENCE_CHANNEL", "channel"),
        organizer_role=snowflake("DISCORD_ORGANIZER_ROLE", "role"),
        organizer_ids=organizers,
        room_channels=_room_channels(get("DISCORD_ROOM_CHANNELS"), problems),
        scheduled_events=_kinds(get("DISCORD_SCHEDULED_EVENTS"), problems),
        session_threads=(get("DISCORD_SESSION_THREADS") or "false").lower() in ("1", "true", "yes", "on"),
    )
    if problems:
        raise SettingsError(problems)
    return settings


def _room_channels(raw: str | None, problems: list[str]) -> dict[str, str]:
    """'Library=123…, Main hall=456…' -> {'library': '123…', 'main hall': '456…'}."""
    found: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in (raw or "").split(","))):
        room, _, channel = part.rpartition("=")
        if not room.strip() or not SNOWFLAKE.fullmatch(channel.strip()):
            problems.append(
                f"DISCORD_ROOM_CHANNELS: '{part[:60]}' should be room=channel id, e.g. Library=123456789012345678."
            )
            continue
        found[room.strip().casefold()] = channel.strip()
    return found


def _kinds(raw: str | None, problems: list[str]) -> frozenset[Kind]:
    """'talk, reading' or 'all' -> those kinds; unset: none (no Events tab sync)."""
    return kinds_setting("DISCORD_SCHEDULED_EVENTS", raw, problems) if raw else frozenset()
