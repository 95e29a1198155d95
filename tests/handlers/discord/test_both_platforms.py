"""Slack and Discord on one bot and one database: an organizer's announcement from either
reaches both channels once; a proposal from either is one list with one count."""

from __future__ import annotations

from datetime import timedelta

from slack_sdk import WebClient

from handlers.slack.app import create_app as create_slack_app
from handlers.slack.poster import SlackPoster, posting_client
from handlers.slack.settings import SlackSettings
from tests.bot.conftest import pt
from tests.support.discord_harness import ANNOUNCE, DiscordHarness, member, option, sub
from tests.support.harness import BOT_TOKEN, SIGNING_SECRET
from tests.support.slack_spec import spec_checked_slack


def test_an_announcement_from_discord_goes_to_both_platforms_once(fake_discord, tmp_path):
    with spec_checked_slack() as slack:
        bot = DiscordHarness(
            fake_discord,
            pt("2023-08-05 10:45"),
            db_url=f"sqlite:///{tmp_path}/both.sqlite3",
            announce_channel=ANNOUNCE,
        )
        settings = SlackSettings(
            bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, api_url=slack.url, announce_channel="C0BOTH"
        )
        create_slack_app(settings, bot.services, client=WebClient(token=BOT_TOKEN, base_url=slack.url))
        discord_announcer = bot.start_announcements()
        from awair_bot.wiring import start_announcements
        from tests.support.stepping import StepScheduler

        slack_announcer = start_announcements(
            bot.services,
            bot.services.platforms["slack"],
            SlackPoster(posting_client(BOT_TOKEN, slack.url)),
            scheduler=StepScheduler(bot.clock),
            wall=bot.clock.now,
        )
        answer = bot.organizer("announce", sub("now", option("text", "Lunch is served @everyone")))
        assert "on its way" in answer.text
        for announcer in (discord_announcer, slack_announcer, discord_announcer, slack_announcer):
            announcer._scheduler.advance(timedelta(seconds=2))
        (on_discord,) = [m for m in fake_discord.posts_to(ANNOUNCE) if m["content"]]
        assert on_discord["content"].startswith("📢 Lunch is served @everyone")
        on_slack = [c for c in slack.calls_to("chat.postMessage") if "Lunch" in str(c.args)]
        assert len(on_slack) == 1 and on_slack[0].args["channel"] == "C0BOTH"
        # A proposal made on Discord is posted on Slack too; its votes are one count.
        bot.command("propose", sub("new", option("title", "Debate on a toy task")))
        assert len([c for c in slack.calls_to("chat.postMessage") if "Debate" in str(c.args)]) == 1
        bot.click("vote:1", who=member("200000000000000055"))
        listed = bot.command("proposals")
        assert "1 vote" in listed.text
        discord_announcer.shutdown(wait=False)
        slack_announcer.shutdown(wait=False)
