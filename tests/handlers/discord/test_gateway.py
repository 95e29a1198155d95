"""The Gateway: discord.py pointed at the fake, and interactions fed to the client as the
Gateway delivers them, answered through the interaction callback."""

from __future__ import annotations

import asyncio

from discord.http import Route

from handlers.discord.gateway import Gateway
from tests.support.discord_harness import GUILD, member
from tests.support.discord_spec import SPEC_PATH, check_request
from tests.support.fake_discord import APPLICATION_ID


def _interaction(data: dict) -> dict:
    return {
        "id": "500000000000000777", "application_id": APPLICATION_ID, "type": 2, "token": "gateway-token",
        "version": 1, "guild_id": GUILD, "member": member(), "data": data,
    }  # fmt: skip


def test_discord_py_talks_to_the_fake_with_the_bot_token(discord, fake_discord):
    gateway = Gateway(discord.app)
    assert fake_discord.url.rstrip("/") == Route.BASE

    async def login() -> None:
        await gateway.client.login(fake_discord.token)
        await gateway.client.close()

    asyncio.run(login())
    (me,) = fake_discord.calls("GET", "/users/@me$")
    assert me.authorized


def test_an_interaction_from_the_gateway_is_answered_through_its_callback(discord, fake_discord):
    gateway = Gateway(discord.app)

    async def deliver() -> None:
        await gateway.client._connection.parsers["INTERACTION_CREATE"](
            _interaction({"name": "next", "type": 1})
        )

    asyncio.run(deliver())
    (callback,) = fake_discord.calls("POST", "/interactions/500000000000000777/gateway-token/callback$")
    assert callback.body["type"] == 4 and "Misalignment" in str(callback.body["data"]["embeds"])
    if SPEC_PATH.is_file():
        assert check_request("POST", callback.path, callback.body) == []
