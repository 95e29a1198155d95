"""Who is asking, from a Discord interaction: a ``Caller`` for the core."""

from __future__ import annotations

from typing import Any

from bot.commands.base import Caller
from handlers.discord.settings import SNOWFLAKE, DiscordSettings

PLATFORM = "discord"


def caller_of(interaction: dict[str, Any], settings: DiscordSettings) -> Caller | None:
    """The caller of an interaction in the configured server; None from elsewhere (a DM,
    another server) or for a payload without a usable member."""
    if str(interaction.get("guild_id") or "") != (settings.guild_id or ""):
        return None
    member = interaction.get("member")
    if not isinstance(member, dict) or not isinstance(member.get("user"), dict):
        return None
    user = member["user"]
    user_id = str(user.get("id") or "")
    if not SNOWFLAKE.fullmatch(user_id):
        return None
    roles = member.get("roles") if isinstance(member.get("roles"), list) else []
    shown = next(
        (str(n) for n in (member.get("nick"), user.get("global_name"), user.get("username")) if n), user_id
    )
    return Caller(PLATFORM, user_id, shown[:100], settings.is_organizer(user_id, [str(r) for r in roles]))
