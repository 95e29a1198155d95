"""My agenda on Discord: Add under /next, /mine's subcommands, the buttons' intent."""

from __future__ import annotations

from tests.support.discord_harness import option, sub


def test_add_from_next_then_mine_shows_it_with_remove(discord):
    assert "pick:+sat-misalignment" in discord.command("next").custom_ids()
    added = discord.click("pick:+sat-misalignment")
    assert added.ephemeral and "Added" in added.text and "Misalignment" in added.text
    again = discord.click("pick:+sat-misalignment")
    assert "already in your agenda" in again.text
    mine = discord.command("mine", sub("show"))
    assert "Your agenda" in mine.text and "Misalignment" in mine.text
    assert "pick:-sat-misalignment" in mine.custom_ids()
    assert mine.data["allowed_mentions"] == {"parse": []}


def test_remind_and_calendar_subcommands_reach_the_core(discord):
    assert "10 min before" in discord.command("mine", sub("remind", option("minutes", "10"))).text
    assert "off" in discord.command("mine", sub("remind", option("minutes", "off"))).text
    bad = discord.command("mine", sub("remind", option("minutes", "lots")))
    assert "Usage" in bad.text


def test_a_tampered_pick_changes_nothing(discord):
    answer = discord.click("pick:+<@&1> nope")
    assert "no longer in the schedule" in answer.text or "didn't work" in answer.text
    assert "empty" in discord.command("mine", sub("show", option("day", "all"))).text


def test_interested_on_a_sessions_event_puts_it_in_the_agenda(discord):
    import asyncio
    from datetime import UTC, datetime

    from bot.db.tables_events import PlatformEvent
    from handlers.discord.gateway import Gateway
    from tests.support.discord_harness import GUILD

    with discord.services.db() as db:
        db.add(
            PlatformEvent(
                platform="discord",
                session_id="sat-misalignment",
                event_id="700000000000000001",
                shown="x",
                starts_at=datetime(2023, 8, 5, 18, tzinfo=UTC),
                claimed_at=datetime(2023, 8, 5, 17, tzinfo=UTC),
            )
        )
        db.commit()
    gateway = Gateway(discord.app)
    parsers = gateway.client._connection.parsers  # noqa: SLF001 - fed as the Gateway would
    user = "200000000000000001"
    event = {"guild_scheduled_event_id": "700000000000000001", "user_id": user, "guild_id": GUILD}

    async def deliver(kind: str, data: dict) -> None:
        await parsers[kind](data)

    asyncio.run(deliver("GUILD_SCHEDULED_EVENT_USER_ADD", event))
    asyncio.run(
        deliver("GUILD_SCHEDULED_EVENT_USER_ADD", {**event, "guild_scheduled_event_id": "9"})
    )  # not ours
    with discord.services.db() as db:
        from bot.my_agenda.store import picks_of

        assert picks_of(db, f"discord:{user}") == {"sat-misalignment"}
    asyncio.run(deliver("GUILD_SCHEDULED_EVENT_USER_REMOVE", event))
    with discord.services.db() as db:
        assert picks_of(db, f"discord:{user}") == frozenset()
