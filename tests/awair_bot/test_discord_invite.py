"""``awair-bot discord invite``: exactly the scopes and permissions the features need."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from awair_bot.cli import main

APP = "300000000000000001"
GUILD = "100000000000000001"


def _query(capsys) -> dict[str, list[str]]:
    out = capsys.readouterr().out.strip()
    assert out.startswith("https://discord.com/oauth2/authorize?")
    return parse_qs(urlsplit(out).query)


def test_the_invite_names_the_application_server_scopes_and_least_permissions(monkeypatch, capsys, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DISCORD_APPLICATION_ID", APP)
    monkeypatch.setenv("DISCORD_GUILD_ID", GUILD)
    assert main(["discord", "invite"]) == 0
    query = _query(capsys)
    assert query["client_id"] == [APP] and query["guild_id"] == [GUILD]
    assert query["scope"] == ["bot applications.commands"]
    # View Channels, Send Messages, Embed Links, Mention Everyone: nothing more.
    assert int(query["permissions"][0]) == (1 << 10) | (1 << 11) | (1 << 14) | (1 << 17)


def test_threads_and_the_events_tab_add_their_permissions(monkeypatch, capsys, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DISCORD_APPLICATION_ID", APP)
    monkeypatch.setenv("DISCORD_SESSION_THREADS", "true")
    monkeypatch.setenv("DISCORD_SCHEDULED_EVENTS", "talk")
    assert main(["discord", "invite"]) == 0
    permissions = int(_query(capsys)["permissions"][0])
    assert permissions & (1 << 33) and permissions & (1 << 35) and permissions & (1 << 38)


def test_without_an_application_it_says_what_to_set(monkeypatch, capsys, tmp_path):
    monkeypatch.chdir(tmp_path)
    for name in ("DISCORD_APPLICATION_ID", "DISCORD_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    assert main(["discord", "invite"]) == 2
    assert "DISCORD_APPLICATION_ID" in capsys.readouterr().err
