"""The hostile corpus through every Discord command, option and button: no crash, no ping,
no restyled message, a clear answer back, each answer a valid interaction response."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.db.tables import Proposal, ScheduledAnnouncement, Vote
from handlers.discord.poster import DiscordPoster
from handlers.discord.rest import DiscordRest
from tests.bot.conftest import pt
from tests.reliability.test_hostile_inputs import HOSTILE, LONG, TRIAL_INPUTS
from tests.support.discord_harness import ANNOUNCE, DiscordHarness, member, option, sub
from tests.support.discord_spec import spec_checked_discord
from tests.support.stepping import StepScheduler

ATTENDEE = member("200000000000000042", name="mallory")
# What would ping or link if it reached Discord's markdown unescaped.
MENTION = re.compile(r"(?<!\\)(@everyone|@here|<@[!&]?\d|<#\d)")


def options_for(command: str, text: str) -> list[dict]:
    """The hostile text in every typed option of ``command`` (Discord's own types aside:
    the endpoint must hold even to what Discord would not send), within the 6,000 characters
    Discord lets a string option carry."""
    text = text[:6000]
    return {
        "next": [option("count", text, kind=4)],
        "schedule": [option("day", text), option("words", text)],
        "readings": [option("search", text)],
        "propose": [sub("new", option("title", text), option("description", text))],
        "proposals": [option("show", text)],
        "awair": [option("topic", text)],
        "announce": [sub("at", option("when", text), option("text", text))],
        "unconf": [sub("remove", option("proposal", text, kind=4), option("reason", text))],
    }[command]


def visible(body: dict) -> list[str]:
    """Every text Discord renders as markdown in a message body."""
    texts = [body.get("content", "")]
    for e in body.get("embeds", []):
        texts += [e.get("title", ""), e.get("description", "")]
        texts += [t for f in e.get("fields", []) for t in (f["name"], f["value"])]
    return texts


def assert_inert(body: dict) -> None:
    """No mention the corpus carried, and nothing pings whatever it says."""
    assert body.get("allowed_mentions") == {"parse": []}, body.get("allowed_mentions")
    for text in visible(body):
        text = re.sub(r"`[^`]*`", "", text)  # code spans show mentions and markup as typed
        found = [m for m in MENTION.findall(text) if m not in ("<@2",)]  # the bot's own names of people
        assert not found, text[:200]


@pytest.fixture
def bot(db_url) -> Iterator[DiscordHarness]:
    """The bot on Sunday 13:00, announcing to its channel (the scheduler stepped by the test)."""
    with spec_checked_discord() as fake:
        harness = DiscordHarness(
            fake,
            pt("2023-08-06 13:00"),
            db_url=db_url,
            announce_channel=ANNOUNCE,
            proposals_per_person=10_000,
        )
        from awair_bot.wiring import start_announcements

        start_announcements(
            harness.services,
            harness.platform,
            DiscordPoster(DiscordRest(fake.token, fake.url)),
            scheduler=StepScheduler(harness.clock),
            wall=harness.clock.now,
        )
        yield harness
        harness.platform.announcer.shutdown(wait=False)


def counts(bot: DiscordHarness) -> tuple[int, int, int]:
    with bot.services.db() as db:
        return tuple(
            db.scalar(select(func.count()).select_from(t)) for t in (Proposal, Vote, ScheduledAnnouncement)
        )


def test_every_command_survives_the_corpus(bot):
    for command in ("next", "schedule", "readings", "propose", "proposals", "awair", "announce", "unconf"):
        for text in HOSTILE:
            answer = bot.command(command, *options_for(command, text), who=ATTENDEE)
            assert answer.status == 200 and answer.text, (command, text[:40])
            assert "something went wrong" not in answer.text, (command, text[:40])
            assert_inert(answer.data)
    for request in bot.fake.requests:
        if request.path.startswith("/channels/"):
            assert_inert(request.body)


def test_the_organizers_commands_survive_the_trial_inputs(bot):
    for command in ("announce", "unconf", "propose"):
        for text in TRIAL_INPUTS:
            answer = bot.organizer(command, *options_for(command, text))
            assert answer.status == 200 and answer.text, (command, text[:40])
            for said in ("something went wrong", "briefly unavailable"):
                assert said not in answer.text, (command, text[:40])
            assert answer.data["allowed_mentions"] == {"parse": []}


def test_organizer_commands_from_anyone_else_change_nothing(bot):
    before = counts(bot)
    for options in (
        [sub("now", option("text", "@everyone hi"))],
        [sub("list")],
        [sub("cancel", option("id", 1, 4))],
    ):
        assert "organizers" in bot.command("announce", *options, who=ATTENDEE).text
    for options in ([sub("plan")], [sub("publish")], [sub("export")]):
        assert "organizers" in bot.command("unconf", *options, who=ATTENDEE).text
    assert counts(bot) == before
    assert bot.fake.calls("POST", "/messages$") == []


@pytest.mark.parametrize(
    "custom_id",
    ["", "vote:", "vote:abc", "vote:-1", "vote:0", "vote:1.5", "vote:99999999999", "vote:1; DROP TABLE votes",
     "vote:\x00", "publish:x", "share:", "share:rm:", "share:announce:@everyone", "unknown", LONG[:100]],
)  # fmt: skip
def test_buttons_with_tampered_custom_ids_change_nothing(bot, custom_id):
    bot.command("propose", sub("new", option("title", "A real proposal")), who=member("200000000000000043"))
    answer = bot.click(custom_id, who=ATTENDEE)
    assert answer.status == 200 and answer.ephemeral and answer.text
    assert counts(bot)[1] == 0
    assert_inert(answer.data)


@pytest.mark.parametrize(
    "title",
    [
        "@everyone come",
        "<@200000000000000001> look",
        "**bold** _it_ ~~s~~",
        "# Heading",
        "[link](https://x.y)",
        "<#110000000000000001>",
    ],
)
def test_proposal_titles_are_stored_exactly_and_shown_inert(bot, title):
    answer = bot.command("propose", sub("new", option("title", title)), who=ATTENDEE)
    assert answer.status == 200 and "#1" in answer.text
    with bot.services.db() as db:
        assert db.scalars(select(Proposal.title)).all() == [title]
    (card,) = [r.body for r in bot.fake.calls("POST", f"/channels/{ANNOUNCE}/messages$")]
    assert_inert(card)
    assert "\\" in card["embeds"][0]["title"]  # its markdown and mentions shown as typed


def test_the_organizer_may_mention_on_purpose(bot):
    answer = bot.organizer("announce", sub("now", option("text", "Lunch is on the roof @everyone")))
    assert answer.status == 200 and "on its way" in answer.text
    bot.platform.announcer._scheduler.advance(timedelta(seconds=2))
    (post,) = bot.fake.posts_to(ANNOUNCE)
    assert post["content"].startswith("📢 Lunch is on the roof @everyone\n— Grace")
    (request,) = bot.fake.calls("POST", f"/channels/{ANNOUNCE}/messages$")
    assert request.body["allowed_mentions"] == {"parse": ["everyone", "roles", "users"]}
