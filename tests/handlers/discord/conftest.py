"""Discord adapter tests: the real app from the factory, the fake Discord, the spec check."""

from __future__ import annotations

import pytest

from tests.bot.conftest import pt
from tests.support.discord_harness import DiscordHarness
from tests.support.discord_spec import spec_checked_discord


@pytest.fixture
def fake_discord():
    """A fake Discord REST API; every request it recorded is checked against Discord's spec."""
    with spec_checked_discord() as fake:
        yield fake


@pytest.fixture
def discord(fake_discord, tmp_path) -> DiscordHarness:
    """The bot on Discord at 10:45 on the workshop's Saturday, with a database."""
    return DiscordHarness(fake_discord, pt("2023-08-05 10:45"), db_url=f"sqlite:///{tmp_path}/bot.sqlite3")
