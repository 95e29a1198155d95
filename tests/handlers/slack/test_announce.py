"""/announce through Bolt with signed requests, the announcement scheduler stepped under the
harness's clock, and the database (SQLite and, when configured, PostgreSQL): organizers post
and schedule; nobody else can."""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.announcements.scheduler import AnnouncementScheduler
from bot.db.tables_announce import ScheduledAnnouncement
from handlers.slack.pacing import unpaced
from handlers.slack.poster import SlackPoster, posting_client
from tests.bot.announcements.fakes import Sleeps
from tests.bot.conftest import pt
from tests.support.harness import BOT_TOKEN, ORGANIZER, Reply, SlackHarness
from tests.support.stepping import StepScheduler

CHANNEL = "C0ANNOUNCE"


def start_announcer(harness: SlackHarness) -> AnnouncementScheduler:
    """Announcements as the process starts them, posting to the fake Slack, with the
    scheduler stepped by the test (``settle``); its first sweep has run."""
    steps = StepScheduler(harness.clock)
    poster = SlackPoster(posting_client(BOT_TOKEN, harness.fake.url), unpaced())
    announcer = harness.start_announcements(poster, scheduler=steps, wall=harness.clock.now, sleep=Sleeps())
    steps.run_due()
    return announcer


@pytest.fixture
def bot(fake_slack, db_url) -> Iterator[SlackHarness]:
    """The bot at 10:45 on the workshop's Saturday, announcing to CHANNEL."""
    harness = SlackHarness(fake_slack, pt("2023-08-05 10:45"), db_url=db_url, announce_channel=CHANNEL)
    start_announcer(harness)
    yield harness
    assert harness.announcer is not None
    harness.announcer.shutdown(wait=True)
    harness.engine.dispose()


def settle(bot: SlackHarness, seconds: float = 2) -> None:
    """Let the bot's time run on by ``seconds`` (past the name wait of a "now" post), running
    what falls due on the way."""
    assert bot.announcer is not None
    bot.announcer._scheduler.advance(timedelta(seconds=seconds))


def posted(bot: SlackHarness) -> list:
    """The posts once what was due has run."""
    settle(bot)
    return bot.fake.calls_to("chat.postMessage")


def rows(bot: SlackHarness) -> list[ScheduledAnnouncement]:
    assert bot.services.db is not None
    with bot.services.db() as db:
        return list(db.scalars(select(ScheduledAnnouncement).order_by(ScheduledAnnouncement.id)))


@dataclass
class Answer:
    """A reply as the organizer reads it: the fallback text and every block's text."""

    status: int
    body: dict[str, Any]
    text: str


def shown(reply: Reply) -> Answer:
    parts = [reply.body.get("text", "")]
    for block in reply.body.get("blocks", []):
        parts += [block["text"]["text"]] if "text" in block else []
        parts += [e.get("text", "") for e in block.get("elements", [])]
    return Answer(reply.status, reply.body, "\n".join(parts))


def announce(bot: SlackHarness, text: str, user: str = ORGANIZER) -> Answer:
    return shown(bot.command("/announce", text, user=user))


# -- posting now ---------------------------------------------------------------------


def test_post_now_is_stored_acknowledged_then_posted_with_the_organizers_name(bot):
    reply = announce(bot, "Lunch is on the roof")
    assert reply.status == 200 and reply.body["response_type"] == "ephemeral"
    assert reply.body["text"] == "Announcement #1 is on its way."
    assert f"📢 Your announcement (#1) is on its way to <#{CHANNEL}>:\n>Lunch is on the roof" in reply.text
    [post] = posted(bot)
    assert post.args["channel"] == CHANNEL
    assert post.args["text"] == "📢 Lunch is on the roof\n— User UORGANIZER1"
    assert post.args["blocks"][0]["text"]["text"] == "📢 Lunch is on the roof"
    assert post.args["blocks"][1]["elements"][0]["text"] == "— User UORGANIZER1"
    assert post.args["metadata"]["event_payload"] == {"keys": ["organizer:1"]}
    [lookup] = bot.fake.calls_to("users.info")
    assert lookup.args["user"] == ORGANIZER
    settle(bot)
    [row] = rows(bot)
    assert (row.status, row.ts, row.author_name) == ("sent", post.response["ts"], "User UORGANIZER1")
    assert len(bot.fake.calls_to("chat.postMessage")) == 1


def test_mentions_work_on_purpose_and_everything_else_is_escaped(bot):
    # Slack sends & < > escaped; a mention picked from the menu arrives as markup.
    text = (
        "@here Q&amp;A at 3 &lt;not 4&gt; with <@U0BOB|bob> in <#C0ROOF|roof>, see <https://x.org/a|the doc>"
    )
    reply = announce(bot, text)
    [post] = posted(bot)
    assert post.args["blocks"][0]["text"]["text"] == (
        "📢 <!here> Q&amp;A at 3 &lt;not 4&gt; with <@U0BOB|bob> in <#C0ROOF|roof>, see <https://x.org/a|the doc>"
    )
    # The organizer's preview shows the broadcast without sending one.
    assert "<!here>" not in reply.text and "*@here* Q&amp;A" in reply.text


def test_a_stray_angle_bracket_cannot_become_markup(bot):
    announce(bot, "<!channel|everyone> and <javascript:alert(1)|x> and a<b")
    [post] = posted(bot)
    assert post.args["blocks"][0]["text"]["text"] == (
        "📢 <!channel|everyone> and &lt;javascript:alert(1)|x&gt; and a&lt;b"
    )


def test_the_reply_never_waits_for_slack(bot):
    bot.services.background = ThreadPoolExecutor(max_workers=1)  # as in production
    bot.fake.delay_next("users.info", 0.5)
    announce(bot, "Coffee is out")
    [row] = rows(bot)  # stored before the reply, still under the command's user name
    assert (row.status, row.author_name) == ("pending", "alice")
    bot.services.background.shutdown(wait=True)  # the name arrives within the name wait
    [post] = posted(bot)
    assert post.args["text"].endswith("— User UORGANIZER1")


def test_when_the_name_lookup_fails_the_command_name_signs_it(bot):
    bot.fake.fail_next("users.info", body={"ok": False, "error": "user_not_found"})
    announce(bot, "Coffee is out")
    [post] = posted(bot)
    assert post.args["text"] == "📢 Coffee is out\n— alice"


class DroppingExecutor(Executor):
    """Accepts work and never runs it: the process died right after replying."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        return Future()


def test_stored_before_a_crash_is_posted_once_by_the_restarted_bot(bot):
    bot.services.background = DroppingExecutor()
    announce(bot, "Dinner at 18:30")
    assert bot.fake.calls_to("chat.postMessage") == []
    bot.announcer.shutdown(wait=True)  # the process is gone
    start_announcer(bot)  # a new one on the same database: its first sweep finds the row
    [post] = posted(bot)
    assert post.args["text"] == "📢 Dinner at 18:30\n— alice"
    settle(bot, 60)
    assert len(bot.fake.calls_to("chat.postMessage")) == 1 and rows(bot)[0].status == "sent"


def test_text_that_starts_with_a_keyword_is_posted_with_now(bot):
    announce(bot, "now list your top three papers")
    [post] = posted(bot)
    assert post.args["blocks"][0]["text"]["text"] == "📢 list your top three papers"


def test_line_breaks_are_kept(bot):
    announce(bot, "at 11:30 Two things:\n• lunch\n• walk")
    assert rows(bot)[0].text == "Two things:\n• lunch\n• walk"


# -- scheduling ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("11:30", "Sat 5 Aug 11:30 PT (in 45 min)"),
        ("2:30pm", "Sat 5 Aug 14:30 PT (in 3 h 45 min)"),
        ("2 pm", "Sat 5 Aug 14:00 PT (in 3 h 15 min)"),
        ("sun 9:00", "Sun 6 Aug 09:00 PT (in 22 h 15 min)"),
        ("Sunday 13:15", "Sun 6 Aug 13:15 PT (in 26 h 30 min)"),
        ("tomorrow 08:00", "Sun 6 Aug 08:00 PT (in 21 h 15 min)"),
        ("2023-08-11 10:00", "Fri 11 Aug 10:00 PT (in 6 days)"),  # a date outside it: stored, with a note
        ("2023-08-06 10:00", "Sun 6 Aug 10:00 PT (in 23 h 15 min)"),
    ],
)
def test_schedule_at_a_time_in_the_workshop_zone(bot, when, expected):
    reply = announce(bot, f"at {when} Remember the group photo")
    assert reply.body["text"] == "Announcement #1 is scheduled."
    assert f"🗓️ Scheduled #1 for *{expected}* in <#{CHANNEL}>:\n>Remember the group photo" in reply.text
    assert "`/announce cancel 1` cancels it" in reply.text
    [row] = rows(bot)
    assert row.status == "pending" and row.text == "Remember the group photo"
    assert bot.fake.calls_to("chat.postMessage") == []


@pytest.mark.parametrize(
    ("when", "problem"),
    [
        ("10:00", "Sat 5 Aug 10:00 PT has already passed (it is 10:45 PT now)"),
        ("sat 9:00", "Sat 5 Aug 09:00 PT has already passed"),
        ("10:45", "Sat 5 Aug 10:45 PT has already passed"),
    ],
)
def test_a_time_in_the_past_is_refused_and_nothing_is_stored(bot, when, problem):
    reply = announce(bot, f"at {when} Too late")
    assert problem in reply.text and "`/announce &lt;text&gt;`" in reply.text
    assert rows(bot) == []


def test_a_scheduled_announcement_goes_out_at_its_time(bot):
    bot.clock.set(pt("2023-08-05 10:45:59"))
    announce(bot, "at 10:46 Walk starts from the lobby")
    [post] = posted(bot)
    assert post.args["text"] == "📢 Walk starts from the lobby\n— User UORGANIZER1"


def test_a_clock_change_gap_is_refused(fake_slack, db_url):
    harness = SlackHarness(fake_slack, pt("2024-03-09 12:00"), db_url=db_url, announce_channel=CHANNEL)
    announcer = start_announcer(harness)
    try:
        reply = shown(harness.command("/announce", "at tomorrow 2:30 Spring forward", user=ORGANIZER))
        assert "02:30 does not exist on Sun 10 Mar: the clocks change then." in reply.text
    finally:
        announcer.shutdown()
        harness.engine.dispose()


# -- list and cancel ------------------------------------------------------------------


def test_list_then_cancel(bot):
    assert "Nothing is scheduled." in announce(bot, "list").text
    announce(bot, "at 11:30 Lunch on the roof")
    announce(bot, "at sun 9:00 Breakfast moved to 8:30 & bring a mug")
    listing = announce(bot, "list")
    assert listing.body["text"] == "2 scheduled announcements."
    assert "*#1* · Sat 5 Aug 11:30 PT (in 45 min) · by User UORGANIZER1\n>Lunch on the roof" in listing.text
    assert "*#2* · Sun 6 Aug 09:00 PT (in 22 h 15 min)" in listing.text
    assert "bring a mug" in listing.text

    cancelled = announce(bot, "cancel #1")
    assert "🗑️ Cancelled #1 (Sat 5 Aug 11:30 PT (in 45 min), by User UORGANIZER1):" in cancelled.text
    assert "#1 was already cancelled, so there is nothing to cancel." in announce(bot, "cancel 1").text
    assert "There is no announcement #9." in announce(bot, "cancel 9").text
    listing = announce(bot, "list")
    assert "*#1*" not in listing.text and "*#2*" in listing.text and "#1 cancelled" in listing.text
    assert [r.status for r in rows(bot)] == ["cancelled", "pending"]


def test_a_posted_announcement_cannot_be_cancelled_and_is_listed_as_posted(bot):
    announce(bot, "Coffee is out")
    posted(bot)
    settle(bot)
    assert "#1 was already posted, so there is nothing to cancel." in announce(bot, "cancel 1").text
    assert "#1 posted 10:45 PT" in announce(bot, "list").text


def test_a_failed_post_shows_in_the_list_with_what_to_fix(bot):
    bot.fake.fail_next("chat.postMessage", body={"ok": False, "error": "channel_not_found"})
    announce(bot, "Coffee is out")
    posted(bot)
    settle(bot)
    assert rows(bot)[0].status == "failed"
    assert "#1 *failed*: channel_not_found: no such channel" in announce(bot, "list").text


# -- usage and refusals ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", None),
        ("help", None),
        ("at", "When?"),
        ("at lunch we meet upstairs", "I couldn't read a time in `at lunch we`"),
        ("at sun lunch", "I couldn't read a time in `at sun lunch`"),
        ("at 25:00 hi", "`25:00` is not a time of day"),
        ("at 13pm hi", "with am/pm the hour is 1 to 12"),
        ("at 13:15", "What should the announcement say?"),
        ("cancel", "Which one?"),
        ("cancel the walk", "Which one?"),
        ("list everything", "use `/announce now list …`"),
        ("now", "What should the announcement say?"),
    ],
)
def test_anything_else_gets_usage_and_changes_nothing(bot, text, problem):
    reply = announce(bot, text)
    assert "Usage (organizers):" in reply.text and "`/announce at &lt;HH:MM" in reply.text
    if problem:
        assert problem in reply.text
    assert rows(bot) == [] and bot.fake.calls_to("chat.postMessage") == []


def test_too_long_is_refused(bot):
    reply = announce(bot, "x" * 2801)
    assert "That is 2,801 characters; an announcement holds 2,800." in reply.text
    assert rows(bot) == []


@pytest.mark.parametrize(
    "text", ["Free pizza", "at 11:30 Free pizza", "list", "cancel 1", "", "help", "now hi"]
)
def test_non_organizers_are_refused_politely_and_nothing_happens(bot, text):
    announce(bot, "at 11:30 Lunch")  # an organizer's, which nobody else may cancel
    calls_before = len(bot.fake.calls)
    reply = announce(bot, text, user="U0STRANGER")
    assert reply.status == 200 and reply.body["response_type"] == "ephemeral"
    assert reply.body["text"] == "Sorry, only the workshop's organizers can post announcements."
    assert f"ask an organizer: <@{ORGANIZER}>." in reply.text
    settle(bot)
    assert [(r.text, r.status) for r in rows(bot)] == [("Lunch", "pending")]
    assert len(bot.fake.calls) == calls_before  # no users.info, no post


def test_without_an_announcement_channel_organizers_are_told_how_to_set_one(fake_slack, db_url):
    harness = SlackHarness(fake_slack, pt("2023-08-05 10:45"), db_url=db_url)
    reply = shown(harness.command("/announce", "Lunch", user=ORGANIZER))
    assert "Announcements are off: no announcement channel is set." in reply.text
    assert "`ANNOUNCE_CHANNEL`" in reply.text
    stranger = harness.command("/announce", "Lunch", user="U0STRANGER")
    assert stranger.body["text"] == "Sorry, only the workshop's organizers can post announcements."
    assert [c.method for c in fake_slack.calls] == ["auth.test"]
    harness.engine.dispose()


def test_reply_blocks_are_valid_json_block_kit(bot):
    reply = announce(bot, "at 11:30 Lunch")
    assert all(b["type"] in ("section", "context") for b in reply.body["blocks"])
    json.dumps(reply.body)  # serialisable as Slack receives it
