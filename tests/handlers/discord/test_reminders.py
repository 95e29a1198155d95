"""Personal reminders on Discord through the fake Discord: the member's DM channel opened
once, an embed with the workshop's time beside a Discord timestamp and the readings linked,
refusals and rate limits as Discord sends them; every request checked against the spec."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from awair_bot.wiring import start_reminders
from bot.announcements.changes import diff_schedules
from bot.db.tables_agenda import AgendaPerson
from bot.my_agenda.sender import RemindersRunner
from handlers.discord.dm import DM_REFUSED, DiscordDirectMessages
from handlers.discord.rest import DiscordRest
from tests.bot.announcements.fakes import Sleeps
from tests.bot.conftest import pt
from tests.support.discord_harness import MEMBER, member, option, sub

ADA, GRACE = MEMBER, "200000000000000003"


@pytest.fixture
def runner(discord):
    made = RemindersRunner(
        discord.services.db,
        discord.services.schedule,
        DiscordDirectMessages(DiscordRest(discord.fake.token, discord.fake.url)),
        discord.clock,
        unreachable=DM_REFUSED,
        rate=0,
        sleep=Sleeps(),
    )
    discord.platform.reminders = made
    yield made
    made.shutdown(wait=False)


def pick(discord, session_id: str, user: str = ADA) -> None:
    assert "Added" in discord.click(f"pick:+{session_id}", who=member(user)).text


def test_a_pick_is_reminded_by_a_dm_with_times_in_each_members_zone(discord, runner):
    pick(discord, "sat-misalignment")
    assert "15 min before" in discord.command("mine", sub("remind", option("minutes", "15"))).text
    runner.tick(pt("2023-08-05 10:44"))
    assert discord.fake.dms_to(ADA) == []
    runner.tick(pt("2023-08-05 10:45"))
    (dm,) = discord.fake.dms_to(ADA)
    (embed,) = dm["embeds"]
    assert embed["title"] == "⏰ Misalignment starts in 15 min"
    start = int(pt("2023-08-05 11:00").timestamp())
    assert f"11:00-12:10 PT · <t:{start}:t> your time, <t:{start}:R>" in embed["description"]
    assert "<https://" in embed["description"]  # its readings, linked without previews
    assert "/mine remind off" in embed["footer"]["text"]
    runner.tick(pt("2023-08-05 10:46"))
    assert len(discord.fake.dms_to(ADA)) == 1  # once
    (posted,) = discord.fake.calls("POST", r"^/channels/\d+/messages$")
    assert posted.body["allowed_mentions"] == {"parse": []} and posted.body["enforce_nonce"] is True


def test_the_dm_channel_is_opened_once_per_member(discord, runner):
    pick(discord, "sat-misalignment")
    pick(discord, "sat-red-teaming")
    pick(discord, "sat-misalignment", GRACE)
    runner.tick(pt("2023-08-05 10:50"))
    runner.tick(pt("2023-08-05 17:00"))
    opened = [r.body["recipient_id"] for r in discord.fake.calls("POST", "^/users/@me/channels$")]
    assert sorted(opened) == [ADA, GRACE]
    assert len(discord.fake.dms_to(ADA)) == 2 and len(discord.fake.dms_to(GRACE)) == 1


@pytest.mark.parametrize(
    ("code", "message"),
    [(50007, "Cannot send messages to this user"), (10013, "Unknown User")],
)
def test_a_refused_dm_stops_that_members_reminders(discord, runner, code, message):
    pick(discord, "sat-misalignment")
    pick(discord, "sat-red-teaming")
    where = "/users/@me/channels" if code == 10013 else "/messages"
    discord.fake.fail_next(where, 403 if code == 50007 else 404, {"message": message, "code": code})
    assert runner.tick(pt("2023-08-05 10:50")).refused == 1
    runner.tick(pt("2023-08-05 17:00"))
    assert discord.fake.dms_to(ADA) == []  # nothing later, and no retry
    with discord.services.db() as db:
        assert db.get(AgendaPerson, f"discord:{ADA}").dm_refused == f"discord_{code}"
    # Asking for reminders again tries again.
    discord.command("mine", sub("remind", option("minutes", "10")))
    runner.tick(pt("2023-08-05 17:01"))
    assert len(discord.fake.dms_to(ADA)) == 1


def test_a_429_is_honoured_and_the_dm_goes_once(discord, runner):
    pick(discord, "sat-misalignment")
    discord.fake.rate_limit_next("/messages", retry_after=2.5)
    assert runner.tick(pt("2023-08-05 10:50")).sent == 1
    assert len(discord.fake.dms_to(ADA)) == 1
    assert 2.5 in runner._sleep  # noqa: SLF001 - the wait Discord asked for


def test_a_retried_post_after_a_lost_answer_lands_once(discord, runner):
    """A 502 after Discord made the message: the retry carries the same nonce, so Discord
    answers with the message it already has."""
    pick(discord, "sat-misalignment")
    discord.fake.fail_next("/messages", 502)
    assert runner.tick(pt("2023-08-05 10:50")).sent == 1
    nonces = {r.body["nonce"] for r in discord.fake.calls("POST", r"^/channels/\d+/messages$")}
    assert len(nonces) == 1 and len(discord.fake.dms_to(ADA)) == 1


def test_a_moved_session_sends_one_note_with_the_new_time(discord, runner):
    pick(discord, "sat-misalignment")
    old = discord.services.schedule.workshop
    session = old.session("sat-misalignment")
    later = timedelta(minutes=30)
    moved = replace(session, start=session.start + later, end=session.end + later)
    new = replace(
        old,
        sessions=tuple(
            sorted((moved if s.id == moved.id else s for s in old.sessions), key=lambda s: s.start)
        ),
    )
    discord.services.schedule.install(new)
    assert runner.notify_changes(diff_schedules(old, new, discord.clock.now())) == 1
    (note,) = discord.fake.dms_to(ADA)
    text = note["embeds"][0]["description"].replace("\u2068", "").replace("\u2069", "")
    assert "Misalignment (Sat 5 Aug) moved: now 11:30-12:40 PT" in text
    assert f"<t:{int(moved.start.timestamp())}:f> your time" in text
    assert runner.tick(pt("2023-08-05 10:50")).sent == 0  # not at the old time
    assert runner.tick(pt("2023-08-05 11:20")).sent == 1


def test_a_hostile_title_is_shown_as_typed_and_pings_nobody(discord, runner):
    old = discord.services.schedule.workshop
    session = old.session("sat-misalignment")
    hostile = replace(session, title="@everyone **loud** <@&1> [x](https://evil.example)")
    discord.services.schedule.install(
        replace(old, sessions=tuple(hostile if s.id == session.id else s for s in old.sessions))
    )
    pick(discord, "sat-misalignment")
    runner.tick(pt("2023-08-05 10:50"))
    (dm,) = discord.fake.dms_to(ADA)
    title = dm["embeds"][0]["title"]
    assert "\\@everyone" in title and "\\*\\*loud\\*\\*" in title and "<@&1>" not in title
    (sent,) = discord.fake.calls("POST", r"^/channels/\d+/messages$")
    assert sent.body["allowed_mentions"] == {"parse": []}


def test_the_process_wiring_starts_and_stops_discord_reminders(discord):
    made = start_reminders(
        discord.services,
        discord.platform,
        DiscordDirectMessages(DiscordRest(discord.fake.token, discord.fake.url)),
        DM_REFUSED,
    )
    assert made is not None and discord.platform.reminders is made
    made.shutdown(wait=True)
