"""Announcements on Discord: the message, Discord's rate limits and errors, room channels and
a thread per session."""

from __future__ import annotations

from datetime import timedelta

from bot.announcements.messages import OrganizerPost, SessionStart
from bot.announcements.poster import RetryPolicy, deliver
from bot.schedule.current import CurrentSchedule
from handlers.discord.poster import DiscordPoster
from handlers.discord.rest import DiscordRest
from tests.bot.conftest import PACIFIC, pt
from tests.support.harness import REPO

CHANNEL = "110000000000000001"
LIBRARY = "120000000000000002"


def _start(now_offset: int = -5) -> SessionStart:
    workshop = CurrentSchedule.load(REPO / "schedule_data").workshop
    first = next(s for s in workshop.sessions if s.start == pt("2023-08-05 11:00"))
    return SessionStart(first.start, PACIFIC, (first,), first.start + timedelta(minutes=now_offset))


def test_a_session_start_counts_down_in_each_reader_s_zone(fake_discord):
    poster = DiscordPoster(DiscordRest(fake_discord.token, fake_discord.url))
    result = deliver(poster, CHANNEL, _start(), RetryPolicy(), sleep=lambda s: None)
    assert result.ok
    (post,) = fake_discord.posts_to(CHANNEL)
    embed = post["embeds"][0]
    assert embed["title"] == "⏰ Starting at 11:00 PT"
    assert embed["description"] == "<t:1691258400:t> your time, <t:1691258400:R>"
    assert "Misalignment" in embed["fields"][0]["name"]
    (request,) = fake_discord.calls("POST", "/messages$")
    assert request.body["allowed_mentions"] == {"parse": []} and request.body["enforce_nonce"] is True


def test_a_rate_limit_is_waited_out_for_its_retry_after_and_posts_once(fake_discord):
    fake_discord.rate_limit_next("/messages", retry_after=0.25, times=2)
    waits: list[float] = []
    poster = DiscordPoster(DiscordRest(fake_discord.token, fake_discord.url))
    result = deliver(poster, CHANNEL, _start(), RetryPolicy(), sleep=waits.append)
    assert result.ok and result.attempts == 3
    assert waits == [0.25, 0.25]
    assert len(fake_discord.posts_to(CHANNEL)) == 1


def test_a_missing_permission_is_a_hard_error_with_what_to_do(fake_discord):
    fake_discord.fail_next("/messages", 403, {"message": "Missing Permissions", "code": 50013})
    poster = DiscordPoster(DiscordRest(fake_discord.token, fake_discord.url))
    result = deliver(poster, CHANNEL, _start(), RetryPolicy(), sleep=lambda s: None)
    assert not result.ok and result.error == "discord_50013"
    assert "Send Messages" in result.hint


def test_a_post_retried_after_a_server_error_lands_once(fake_discord):
    fake_discord.fail_next("/messages", 502, {"message": "Bad Gateway", "code": 0})
    poster = DiscordPoster(DiscordRest(fake_discord.token, fake_discord.url))
    assert deliver(poster, CHANNEL, _start(), RetryPolicy(backoff=0), sleep=lambda s: None).ok
    assert len(fake_discord.posts_to(CHANNEL)) == 1


def test_room_channels_and_a_thread_per_session(fake_discord):
    message = _start()
    session = message.sessions[0]
    poster = DiscordPoster(
        DiscordRest(fake_discord.token, fake_discord.url), {"library": LIBRARY}, threads=True
    )
    in_library = SessionStart(
        message.start, PACIFIC, (session.__class__(**{**session.__dict__, "room": "Library"}),), message.now
    )
    assert deliver(poster, CHANNEL, in_library, RetryPolicy(), sleep=lambda s: None).ok
    assert len(fake_discord.posts_to(CHANNEL)) == 1 and len(fake_discord.posts_to(LIBRARY)) == 1
    (thread,) = fake_discord.calls("POST", "/threads$")
    assert thread.body["name"] == session.title[:100]


def test_an_organizer_post_keeps_its_markdown_and_may_mention(fake_discord):
    post = OrganizerPost(
        7,
        "**Lunch** on the roof @here, <@&100000000000000077>",
        "2" * 18,
        "Grace_*",
        pt("2023-08-05 12:00"),
        PACIFIC,
    )
    poster = DiscordPoster(DiscordRest(fake_discord.token, fake_discord.url))
    assert deliver(poster, CHANNEL, post, RetryPolicy(), sleep=lambda s: None).ok
    (message,) = fake_discord.posts_to(CHANNEL)
    assert message["content"] == "📢 **Lunch** on the roof @here, <@&100000000000000077>\n— Grace\\_\\*"


def test_a_schedule_change_notice_is_inert(fake_discord):
    from bot.announcements.changes import Change, ChangeKind
    from bot.announcements.messages import ScheduleChange

    session = _start().sessions[0]
    hostile = session.__class__(**{**session.__dict__, "title": "@everyone **moved**"})
    notice = ScheduleChange((Change(ChangeKind.CANCELLED, hostile, None),), PACIFIC, session.start)
    poster = DiscordPoster(DiscordRest(fake_discord.token, fake_discord.url))
    assert deliver(poster, CHANNEL, notice, RetryPolicy(), sleep=lambda s: None).ok
    (post,) = fake_discord.posts_to(CHANNEL)
    text = post["embeds"][0]["description"]
    assert "Schedule change" in text and "\\@everyone \\*\\*moved\\*\\*" in text and "cancelled" in text
