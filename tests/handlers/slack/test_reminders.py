"""Personal reminders through the fake Slack: a DM by chat.postMessage to the member's id,
Block Kit with the session's room and readings; refusals and rate limits as Slack sends
them; every call checked against Slack's spec."""

from __future__ import annotations

import json

import pytest

from awair_bot.wiring import start_reminders
from bot.db.tables_agenda import AgendaPerson
from bot.my_agenda.sender import RemindersRunner
from handlers.slack.poster import DM_REFUSED, SlackPoster, posting_client
from tests.bot.announcements.fakes import Sleeps
from tests.bot.conftest import pt
from tests.support.harness import BOT_TOKEN, SlackHarness

PICK = "pick_session"


@pytest.fixture
def slack(fake_slack, db_url) -> SlackHarness:
    return SlackHarness(fake_slack, pt("2023-08-05 10:45"), db_url=db_url)


@pytest.fixture
def runner(slack):
    made = RemindersRunner(
        slack.services.db,
        slack.services.schedule,
        SlackPoster(posting_client(BOT_TOKEN, slack.fake.url)),
        slack.clock,
        unreachable=DM_REFUSED,
        rate=0,
        sleep=Sleeps(),
    )
    slack.platform.reminders = made
    yield made
    made.shutdown(wait=False)


def dms(slack: SlackHarness) -> list[dict]:
    return [c.args for c in slack.fake.calls_to("chat.postMessage")]


def test_a_pick_is_reminded_by_a_dm_to_the_member(slack, runner):
    slack.click(PICK, "+sat-misalignment", user="UADA")
    slack.command("/mine", "remind 15", user="UADA")
    runner.tick(pt("2023-08-05 10:44"))
    assert dms(slack) == []
    runner.tick(pt("2023-08-05 10:45"))
    (dm,) = dms(slack)
    assert dm["channel"] == "UADA"  # straight to the member: no conversations.open first
    assert "conversations.open" not in slack.fake.methods
    blocks = json.dumps(dm["blocks"], ensure_ascii=False)
    assert "*Misalignment* starts in 15 min" in blocks and "/mine remind off" in blocks
    assert "<http" in blocks  # its readings, linked
    runner.tick(pt("2023-08-05 10:46"))
    assert len(dms(slack)) == 1


@pytest.mark.parametrize("code", ["cannot_dm_bot", "user_not_found"])
def test_a_refused_dm_stops_that_members_reminders(slack, runner, code):
    slack.click(PICK, "+sat-misalignment", user="UADA")
    slack.click(PICK, "+sat-red-teaming", user="UADA")
    slack.fake.fail_next("chat.postMessage", body={"ok": False, "error": code})
    assert runner.tick(pt("2023-08-05 10:50")).refused == 1
    runner.tick(pt("2023-08-05 17:00"))
    assert len(dms(slack)) == 1  # the refused one only
    with slack.services.db() as db:
        assert db.get(AgendaPerson, "slack:UADA").dm_refused == code


def test_a_429_is_honoured_and_the_dm_goes_once(slack, runner):
    slack.click(PICK, "+sat-misalignment", user="UADA")
    slack.fake.fail_next("chat.postMessage")  # HTTP 429, Retry-After: 1
    assert runner.tick(pt("2023-08-05 10:50")).sent == 1
    assert [d["channel"] for d in dms(slack)] == ["UADA", "UADA"]  # the refused try, then the DM
    assert 1.0 in runner._sleep  # noqa: SLF001 - the wait Slack asked for


def test_a_late_pick_is_reminded_at_once(slack, runner):
    slack.clock.set(pt("2023-08-05 10:55"))
    slack.click(PICK, "+sat-misalignment", user="UADA")
    runner.tick(pt("2023-08-05 10:55"))
    assert "starts in 5 min" in json.dumps(dms(slack)[0]["blocks"])


def test_the_process_wiring_starts_and_stops_reminders(slack):
    made = start_reminders(
        slack.services, slack.platform, SlackPoster(posting_client(BOT_TOKEN, slack.fake.url)), DM_REFUSED
    )
    assert made is not None and slack.platform.reminders is made
    made.shutdown(wait=True)


def test_a_sent_reminder_is_counted_for_metrics(slack, runner):
    from bot.metrics import REGISTRY

    def sent() -> float:
        return REGISTRY.get_sample_value("awair_reminders_total", {"outcome": "sent"}) or 0.0

    before = sent()
    slack.click(PICK, "+sat-misalignment", user="UADA")
    runner.tick(pt("2023-08-05 10:50"))
    assert len(dms(slack)) == 1
    assert sent() == before + 1


def test_a_reminder_shows_the_readers_own_time_once_their_zone_is_known(slack, runner):
    slack.click(PICK, "+sat-misalignment", user="UADA")
    slack.command("/mine", user="UADA")  # Slack tells the bot UADA's zone: UTC
    runner.tick(pt("2023-08-05 10:50"))
    (dm,) = dms(slack)
    start = int(pt("2023-08-05 11:00").timestamp())
    assert f"11:00-12:10 PT (<!date^{start}^{{time}}|18:00 UTC> your time)" in json.dumps(dm["blocks"])


def test_a_reminder_keeps_the_workshops_time_for_a_reader_in_its_zone(slack, runner):
    def pacific(call):
        return {"ok": True, "user": {"id": call.args["user"], "name": "x", "tz": "America/Vancouver"}}

    slack.fake.set_response("users.info", pacific)
    slack.click(PICK, "+sat-misalignment", user="UADA")
    slack.command("/mine", user="UADA")
    slack.click(PICK, "+sat-misalignment", user="UGRACE")  # never asked: no zone recorded
    runner.tick(pt("2023-08-05 10:50"))
    assert len(dms(slack)) == 2
    assert all("<!date^" not in json.dumps(dm["blocks"]) for dm in dms(slack))
