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
