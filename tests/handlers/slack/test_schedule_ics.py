"""/schedule ics: a link to the served calendar in HTTP mode with a public base URL, else the
file itself in the user's direct messages (files.getUploadURLExternal, the upload,
files.completeUploadExternal)."""

from __future__ import annotations

import pytest
from icalendar import Calendar

from tests.bot.conftest import pt
from tests.support.harness import SlackHarness

BASE = "https://bot.example.org"
CALENDAR_FILE = "alignment-workshop-for-ai-researchers-awair-august-2023.ics"


@pytest.fixture
def linked(fake_slack) -> SlackHarness:
    """HTTP mode behind a public URL."""
    return SlackHarness(fake_slack, pt("2023-08-05 10:45"), public_base_url=BASE)


@pytest.fixture
def dm(fake_slack):
    """conversations.open answers with the user's DM, as Slack does."""
    fake_slack.set_response(
        "conversations.open", lambda call: {"ok": True, "channel": {"id": f"D{call.args['users']}"}}
    )
    return fake_slack


def test_with_a_public_url_the_reply_is_the_calendars_address(linked):
    reply = linked.command("/schedule", "ics")
    assert reply.body["response_type"] == "ephemeral"
    assert f"<{BASE}/schedule.ics|{BASE}/schedule.ics>" in reply.body["blocks"][0]["text"]["text"]
    assert "Subscribe to this address" in reply.text
    assert reply.body["text"] == f"The schedule as a calendar: {BASE}/schedule.ics"
    assert linked.fake.methods == ["auth.test"]  # nothing uploaded


def test_with_a_public_url_the_agenda_offers_the_link(linked):
    blocks = linked.command("/schedule").body["blocks"]
    assert blocks[-1]["elements"][0]["text"] == (
        f"📅 <{BASE}/schedule.ics|The whole schedule for your calendar> (.ics)"
    )


def test_without_one_the_file_goes_to_the_users_direct_messages(slack, dm):
    reply = slack.command("/schedule", "ICS", user="U42")
    assert reply.body["text"] == "📅 Sending you the whole schedule as a calendar file in a direct message…"
    assert dm.methods == [
        "auth.test",
        "conversations.open",
        "files.getUploadURLExternal",
        "files.completeUploadExternal",
    ]
    assert dm.calls_to("conversations.open")[0].args["users"] == "U42"
    (upload,) = dm.uploads
    asked = dm.calls_to("files.getUploadURLExternal")[0].args
    assert (asked["filename"], int(asked["length"])) == (CALENDAR_FILE, len(upload.data))
    done = dm.calls_to("files.completeUploadExternal")[0].args
    assert done["channel_id"] == "DU42"
    assert done["files"] == [{"id": upload.file_id, "title": f"{slack.services.workshop.name} (calendar)"}]
    assert done["initial_comment"].startswith(
        "📅 *Alignment Workshop for AI Researchers (AWAIR), August 2023*: 26 sessions."
    )
    calendar = Calendar.from_ical(upload.data)
    assert len(calendar.events) == 26
    assert [str(tz.tz_name) for tz in calendar.timezones] == ["America/Los_Angeles"]
    assert dm.responses == []  # no apology


def test_the_agenda_points_to_schedule_ics_without_a_public_url(slack):
    blocks = slack.command("/schedule").body["blocks"]
    assert (
        blocks[-1]["elements"][0]["text"]
        == "📅 `/schedule ics` sends you the whole schedule for your calendar."
    )


def test_a_missing_permission_is_explained_not_hidden(slack, fake_slack):
    fake_slack.fail_next(
        "conversations.open", body={"ok": False, "error": "missing_scope", "needed": "im:write"}
    )
    slack.command("/schedule", "ics")
    (said,) = fake_slack.wait_for_responses("cmd")
    assert said.body["response_type"] == "ephemeral"
    assert "lacks the `im:write` permission" in said.body["text"]
    assert "files.getUploadURLExternal" not in fake_slack.methods


def test_a_failed_upload_gets_an_apology(slack, dm):
    dm.fail_next("files.completeUploadExternal", body={"ok": False, "error": "internal_error"})
    slack.command("/schedule", "ics")
    (said,) = dm.wait_for_responses("cmd")
    assert said.body["text"].startswith(
        "Sorry, I couldn't send the calendar file (Slack said `internal_error`)"
    )


def test_words_after_ics_are_a_filter_not_the_calendar(slack):
    reply = slack.command("/schedule", "ics lab")
    assert "Sessions matching “ics lab”" in reply.text
    assert slack.fake.methods == ["auth.test"]


def test_usage_mentions_the_calendar(slack):
    assert "`/schedule ics`" in slack.command("/schedule", "help").body["text"]
