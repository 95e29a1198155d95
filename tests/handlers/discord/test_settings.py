"""Discord's settings: every one documented, each malformed one named with how to fix it."""

from __future__ import annotations

import re

import pytest

from bot.schedule.model import Kind
from bot.settings import SettingsError
from handlers.discord.settings import parse_discord_settings
from tests.support.harness import REPO

TOKEN = "MTAwMDAwMDAwMDAwMDAwMDAx.GAbcde.abcdefghijklmnopqrstuvwxyz0123456789AB"


def test_every_discord_setting_is_documented():
    source = (REPO / "handlers" / "discord" / "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r'"(DISCORD_[A-Z_]+)"', source))
    example = (REPO / ".env.example").read_text(encoding="utf-8")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert len(names) >= 12
    assert sorted(n for n in names if not re.search(rf"^{n}=", example, re.M)) == []
    assert sorted(n for n in names if f"| `{n}` |" not in readme) == []


def test_a_full_configuration_is_read():
    s = parse_discord_settings(
        {
            "DISCORD_BOT_TOKEN": TOKEN,
            "DISCORD_GUILD_ID": "100000000000000001",
            "DISCORD_ANNOUNCE_CHANNEL": "110000000000000001",
            "DISCORD_ORGANIZER_ROLE": "100000000000000077",
            "DISCORD_PUBLIC_KEY": "AB" * 32,
            "DISCORD_ROOM_CHANNELS": "Main hall=120000000000000001, Library=120000000000000002",
            "DISCORD_SCHEDULED_EVENTS": "talk, reading",
        }
    )
    assert s.configured and s.missing(http=False) == []
    assert s.missing(http=True) == ["DISCORD_APPLICATION_ID"]
    assert s.room_channels == {"main hall": "120000000000000001", "library": "120000000000000002"}
    assert s.scheduled_events == {Kind.TALK, Kind.READING}
    assert s.is_organizer("5" * 18, ["100000000000000077"]) and not s.is_organizer("5" * 18, [])
    assert TOKEN not in repr(s)


def test_malformed_settings_each_get_a_sentence():
    with pytest.raises(SettingsError) as caught:
        parse_discord_settings(
            {
                "DISCORD_BOT_TOKEN": "xoxb-slack-token",
                "DISCORD_GUILD_ID": "my server",
                "DISCORD_PUBLIC_KEY": "nothex",
                "DISCORD_ORGANIZER_IDS": "@grace",
                "DISCORD_ROOM_CHANNELS": "Library",
                "DISCORD_SCHEDULED_EVENTS": "parties",
                "DISCORD_API_URL": "ftp://x",
            }
        )
    problems = "\n".join(caught.value.problems)
    assert len(caught.value.problems) == 7
    assert "Reset Token" in problems and "Copy ID" in problems and "Public Key" in problems
    assert "xoxb-slack-token" not in problems
