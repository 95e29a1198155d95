"""``awair-bot discord invite``: the link that adds the bot to the server."""

from __future__ import annotations

import argparse
import sys

from awair_bot.output import all_settings_or_exit
from handlers.discord.app import make_rest
from handlers.discord.invite import SCOPES, invite_url, permissions
from handlers.discord.rest import DiscordError
from handlers.discord.settings import parse_discord_settings


def add_parser(sub) -> None:
    parser = sub.add_parser("discord", help="Discord setup: the invite link for your server")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    invite = actions.add_parser(
        "invite", help="print the link that adds the bot with exactly the permissions it needs"
    )
    invite.set_defaults(func=run_invite)


def run_invite(args: argparse.Namespace) -> int:
    """Print the invite link and what each permission is for."""
    (settings,) = all_settings_or_exit(parse_discord_settings)
    application_id = settings.application_id
    if application_id is None:
        if not settings.bot_token:
            print(
                "awair-bot: set DISCORD_APPLICATION_ID (General Information > Application ID) or "
                "DISCORD_BOT_TOKEN, so the link names your application.",
                file=sys.stderr,
            )
            return 2
        try:
            application_id = str(make_rest(settings).request("GET", "applications/@me")["id"])
        except DiscordError as exc:
            print(f"awair-bot: Discord did not accept DISCORD_BOT_TOKEN ({exc.status}).", file=sys.stderr)
            return 1
    print(invite_url(settings, application_id))
    print(f"\nScopes: {', '.join(SCOPES)}. Permissions:", file=sys.stderr)
    for name in permissions(settings):
        print(f"  - {name}", file=sys.stderr)
    if not settings.guild_id:
        print("Set DISCORD_GUILD_ID to preselect your server in the link.", file=sys.stderr)
    return 0
