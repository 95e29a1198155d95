"""Typed options reach the core as the fields they are, through signed interactions: a
title, a day, a search or an announcement's text is never read for a subcommand or split."""

from __future__ import annotations

import pytest

from bot.my_agenda.store import mine_of
from bot.unconference.views import fetch, fetch_one, open_only
from tests.support.discord_harness import ANNOUNCE, MEMBER, option, sub


def test_a_title_with_the_separator_is_stored_whole(discord):
    answer = discord.command("propose", sub("new", option("title", "C -- D")))
    assert answer.status == 200 and "#1" in answer.text and answer.custom_ids() == ["vote:1"]
    with discord.services.session() as db:
        stored = fetch_one(db, 1)
    assert (stored.title, stored.description) == ("C -- D", "")


def test_a_description_option_is_the_description(discord):
    discord.command(
        "propose", sub("new", option("title", "Pairs -- or not"), option("description", "A -- B"))
    )
    with discord.services.session() as db:
        stored = fetch_one(db, 1)
    assert (stored.title, stored.description) == ("Pairs -- or not", "A -- B")


def test_withdraw_7_as_a_title_proposes_it_and_leaves_7_open(discord):
    for n in range(1, 8):
        discord.organizer("propose", sub("new", option("title", f"Topic number {n}")))
    answer = discord.organizer("propose", sub("new", option("title", "withdraw 7")))
    assert "#8" in answer.text and answer.custom_ids() == ["vote:8"]
    with discord.services.session() as db:
        titles = {p.number: p.title for p in fetch(db, open_only())}
    assert titles[7] == "Topic number 7" and titles[8] == "withdraw 7"
    listed = discord.command("proposals")
    assert "Topic number 7" in listed.text and "withdraw 7" in listed.text


def test_the_withdraw_subcommand_withdraws(discord):
    discord.command("propose", sub("new", option("title", "Debate on a toy task")))
    answer = discord.command("propose", sub("withdraw", option("proposal", 1, kind=4)))
    assert answer.status == 200 and "withdrawn" in answer.text.lower()
    with discord.services.session() as db:
        assert fetch(db, open_only()) == ()


@pytest.mark.parametrize("value", ["1", 1.0, True, None])
def test_a_withdrawal_without_an_integer_is_the_usage(discord, value):
    discord.command("propose", sub("new", option("title", "Debate on a toy task")))
    answer = discord.command("propose", sub("withdraw", option("proposal", value, kind=4)))
    assert answer.status == 200 and "withdraw 7" in answer.text
    with discord.services.session() as db:
        assert len(fetch(db, open_only())) == 1


def test_a_day_that_reads_as_a_subcommand_changes_nothing(discord, fake_discord):
    answer = discord.command("mine", sub("show", option("day", "remind 10")))
    assert answer.status == 200 and "Usage" in answer.text
    discord.command("mine", sub("show", option("day", "calendar")))
    with discord.services.session() as db:
        assert mine_of(db, f"discord:{MEMBER}").lead == mine_of(db, "discord:nobody").lead
    assert fake_discord.calls("POST", r"/users/@me/channels$") == []  # no calendar sent


def test_schedule_words_are_a_search_not_mine_or_a_day(discord):
    searched = discord.command("schedule", option("words", "mine remind 5"))
    assert searched.status == 200 and "Your agenda" not in searched.text
    with discord.services.session() as db:
        assert mine_of(db, f"discord:{MEMBER}").lead == mine_of(db, "discord:nobody").lead
    tomorrow = discord.command("schedule", option("words", "tomorrow"))
    assert "Sun 6 Aug" not in tomorrow.text.split("\n")[0]  # a search of every day, not Sunday's
    no_day = discord.command("schedule", option("day", "Library"))
    assert "is not a day" in no_day.text


def test_announcement_text_is_posted_as_typed_and_the_time_is_only_the_time(fake_discord, tmp_path):
    from tests.bot.conftest import pt
    from tests.support.discord_harness import DiscordHarness

    bot = DiscordHarness(
        fake_discord,
        pt("2023-08-05 10:45"),
        db_url=f"sqlite:///{tmp_path}/a.sqlite3",
        announce_channel=ANNOUNCE,
    )
    announcer = bot.start_announcements()
    now = bot.organizer("announce", sub("now", option("text", "list")))
    assert now.status == 200 and "Usage" not in now.text
    borrowed = bot.organizer("announce", sub("at", option("when", "sun"), option("text", "13:15 Lunch")))
    assert "couldn't read a time" in borrowed.text
    later = bot.organizer("announce", sub("at", option("when", "sun 13:15"), option("text", "at 9:00 -- x")))
    assert later.status == 200 and "Usage" not in later.text
    assert sorted(a.text for a in announcer.organizer_announcements()) == ["at 9:00 -- x", "list"]
