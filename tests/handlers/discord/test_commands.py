"""The commands through signed interactions: the same answers as on Slack, as embeds."""

from __future__ import annotations

from tests.support.discord_harness import ANNOUNCE, member, option, sub


def test_next_shows_the_next_session_with_timestamps_and_a_share_button(discord):
    answer = discord.command("next")
    assert answer.status == 200 and answer.body["type"] == 4
    assert answer.ephemeral
    assert "Misalignment" in answer.text
    assert "11:00 PT" in answer.text.replace("\\", "")
    assert "<t:1691258400:t>" in answer.text and "<t:1691258400:R>" in answer.text
    assert answer.data["allowed_mentions"] == {"parse": []}
    assert answer.custom_ids() == ["pick:+sat-misalignment", "share:next:"]


def test_next_count_is_a_typed_option(discord):
    answer = discord.command("next", option("count", 3, kind=4))
    assert answer.text.count("Then:") == 2


def test_share_posts_the_answer_for_everyone_naming_the_sharer_without_pinging(discord):
    answer = discord.click("share:next:")
    assert not answer.ephemeral
    assert "Misalignment" in answer.text
    assert answer.data["content"] == "Shared by <@200000000000000002>"
    assert answer.data["allowed_mentions"] == {"parse": []}
    assert "components" not in answer.data


def test_a_share_button_for_an_unshareable_command_shares_nothing(discord):
    answer = discord.click("share:announce:hello")
    assert answer.ephemeral and "couldn't share" in answer.text


def test_schedule_with_a_day_and_a_room(discord):
    answer = discord.command("schedule", option("day", "today"), option("words", "Library"))
    assert answer.ephemeral and "Library" in answer.text


def test_unknown_command_and_a_dm_are_refused_kindly(discord):
    assert "don't know" in discord.command("nope").text
    interaction = {"type": 2, "id": "1", "token": "t", "data": {"name": "next"}, "user": {"id": "2" * 18}}
    assert "server" in discord.send(interaction).text


def test_organizer_commands_are_checked_by_the_bot_too(discord):
    refused = discord.command("announce", sub("now", option("text", "hi")))
    assert "only the workshop's organizers" in refused.text
    assert "<@200000000000000001>" in refused.text  # named, never pinged
    assert refused.data["allowed_mentions"] == {"parse": []}


def test_propose_vote_and_the_proposals_list(discord):
    proposed = discord.command("propose", sub("new", option("title", "Debate on a toy task")))
    assert "#1" in proposed.text and proposed.custom_ids() == ["vote:1"]
    voted = discord.click("vote:1", who=member("200000000000000003"))
    assert voted.body["type"] == 7  # the ephemeral list it was clicked in, updated in place
    assert "vote" in voted.text.lower()
    listed = discord.command("proposals")
    assert "Debate on a toy task" in listed.text and "1 vote" in listed.text


def test_autocomplete_offers_days_rooms_and_proposals(discord):
    discord.command("propose", sub("new", option("title", "Debate on a toy task")))
    days = discord.autocomplete("schedule", option("day", "sat", focused=True))
    assert [c["value"] for c in days.data["choices"]] == ["2023-08-05"]
    proposals = discord.autocomplete("propose", sub("withdraw", option("proposal", "", kind=4, focused=True)))
    assert proposals.data["choices"] == [{"name": "#1 Debate on a toy task", "value": 1}]


def test_commands_are_registered_in_one_bulk_overwrite(discord, fake_discord):
    assert discord.app.register_commands() == 9
    (put,) = fake_discord.calls("PUT", r"/guilds/100000000000000001/commands$")
    names = {c["name"]: c for c in put.body}
    assert set(names) == {
        "next",
        "schedule",
        "readings",
        "propose",
        "proposals",
        "awair",
        "announce",
        "unconf",
        "mine",
    }
    assert names["announce"]["default_member_permissions"] == 1 << 33
    assert "default_member_permissions" not in names["next"]


def test_the_proposal_is_posted_to_the_channel_with_its_vote_button(fake_discord, tmp_path):
    from tests.bot.conftest import pt
    from tests.support.discord_harness import DiscordHarness

    bot = DiscordHarness(
        fake_discord,
        pt("2023-08-05 10:45"),
        db_url=f"sqlite:///{tmp_path}/b.sqlite3",
        announce_channel=ANNOUNCE,
    )
    bot.command("propose", sub("new", option("title", "Debate"), option("description", "**bold** @everyone")))
    (card,) = fake_discord.posts_to(ANNOUNCE)
    assert card["embeds"][0]["description"] == "\\*\\*bold\\*\\* \\@everyone"
    assert card["components"][0]["components"][0]["custom_id"] == "vote:1"
    bot.click("vote:1", flags=0)
    assert "1 vote" in fake_discord.posts_to(ANNOUNCE)[0]["embeds"][0]["footer"]["text"]


def test_autocomplete_offers_a_conference_s_rooms(fake_discord):
    from tests.bot.conftest import pt
    from tests.support.discord_harness import DiscordHarness
    from tests.support.harness import REPO

    corpus = REPO / "tests" / "bot" / "formats" / "corpus" / "voc-pretalx-democon.json"
    bot = DiscordHarness(fake_discord, pt("2020-12-14 10:00"), schedule_path=corpus)
    rooms = bot.autocomplete("schedule", option("words", "ROOM", focused=True))
    assert [c["value"] for c in rooms.data["choices"]] == ["Gray Room", "Tan Room"]


def test_help_lists_the_commands_for_discord(discord):
    answer = discord.command("awair", option("topic", "help"))
    assert "`/next [N]`" in answer.text and "quit" not in answer.text
    assert "DISCORD" not in answer.text


def test_an_organizer_announcement_names_its_channel_and_time_for_each_reader(fake_discord, tmp_path):
    from tests.bot.conftest import pt
    from tests.support.discord_harness import DiscordHarness

    bot = DiscordHarness(
        fake_discord,
        pt("2023-08-05 10:45"),
        db_url=f"sqlite:///{tmp_path}/b.sqlite3",
        announce_channel=ANNOUNCE,
    )
    announcer = bot.start_announcements()
    answer = bot.organizer("announce", sub("at", option("when", "13:15"), option("text", "Lunch *now*")))
    assert f"in <#{ANNOUNCE}>" in answer.text
    assert "13:15 PT" in answer.text.replace("\\", "") and ":f>" in answer.text
    assert "> Lunch \\*now\\*" in answer.text
    listed = bot.organizer("announce", sub("list"))
    assert "\\#1" in listed.text
    announcer.shutdown(wait=False)


def test_announcements_off_names_the_discord_setting(discord):
    answer = discord.organizer("announce", sub("now", option("text", "hello")))
    assert "DISCORD_ANNOUNCE_CHANNEL" in answer.text


def test_the_calendar_comes_as_a_file_in_a_direct_message(discord, fake_discord):
    answer = discord.command("schedule", option("day", "ics"))
    assert "the calendar" in answer.text
    (dm,) = fake_discord.calls("POST", "/users/@me/channels$")
    assert dm.body == {"recipient_id": "200000000000000002"}
    (sent,) = [r for r in fake_discord.calls("POST", "/messages$") if r.files]
    (name,) = sent.files
    assert name.endswith(".ics") and sent.files[name].startswith(b"BEGIN:VCALENDAR")
    assert sent.body["attachments"][0]["filename"] == name


def test_direct_messages_turned_off_are_explained(discord, fake_discord):
    fake_discord.fail_next("/messages", 403, {"message": "Cannot send messages to this user", "code": 50007})
    discord.command("schedule", option("day", "ics"))
    (told,) = [r for r in fake_discord.calls("POST", "/webhooks/") if r.body]
    assert "Privacy Settings" in str(told.body["embeds"])


def test_slow_organizer_work_is_deferred_then_its_answer_edits_the_message(discord, fake_discord):
    for n in range(3):
        discord.command(
            "propose", sub("new", option("title", f"Topic {n}")), who=member(f"20000000000000010{n}")
        )
    answer = discord.organizer("unconf", sub("plan"))
    assert answer.body == {"type": 5, "data": {"flags": 64}}
    (edit,) = fake_discord.calls("PATCH", "/messages/@original$")
    assert "Draft plan" in edit.body["embeds"][0]["description"]


def test_the_agenda_shows_each_session_in_the_reader_s_own_time_too(discord):
    answer = discord.command("schedule", option("day", "today"))
    assert "11:00-12:10 PT (<t:1691258400:t>)" in answer.text and "**Misalignment**" in answer.text
    assert "▶" in answer.text or "→" in answer.text
