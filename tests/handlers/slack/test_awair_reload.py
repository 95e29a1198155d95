"""/awair reload through Bolt: organizers re-read the schedule; a bad edit is refused with every
problem and the old schedule stays; anyone else is refused. /awair help shows organizers theirs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.bot.conftest import pt
from tests.handlers.slack.test_announce import CHANNEL, settle, shown, start_announcer
from tests.support.harness import ORGANIZER, SlackHarness

WORKSHOP = "name: Test camp\ntimezone: America/Los_Angeles\n"
DAY = """\
date: 2023-08-05
sessions:
  - {{id: talk, title: Deceptive alignment, start: "{talk}", end: "{talk_end}", kind: talk}}
  - {{id: walk, title: Walk, start: "14:00", end: "15:00", kind: discussion}}
"""


def write_day(folder: Path, talk: str = "11:00", talk_end: str = "11:30") -> None:
    (folder / "2023-08-05.yaml").write_text(DAY.format(talk=talk, talk_end=talk_end))


@pytest.fixture
def schedule_dir(tmp_path) -> Path:
    folder = tmp_path / "camp"
    folder.mkdir()
    (folder / "workshop.yaml").write_text(WORKSHOP)
    write_day(folder)
    return folder


@pytest.fixture
def bot(fake_slack, db_url, schedule_dir) -> Iterator[SlackHarness]:
    """Saturday 10:45, announcing to CHANNEL and re-planning on every schedule change, as the
    running bot does (awair_bot.wiring.start_announcements)."""
    harness = SlackHarness(
        fake_slack,
        pt("2023-08-05 10:45"),
        schedule_path=schedule_dir,
        db_url=db_url,
        announce_channel=CHANNEL,
        watch_schedule=False,
    )
    start_announcer(harness)  # which re-plans on every schedule change, as the process's does
    yield harness
    harness.announcer.shutdown(wait=True)
    harness.engine.dispose()


def reload(bot: SlackHarness, user: str = ORGANIZER):
    return shown(bot.command("/awair", "reload", user=user))


def test_an_edit_is_reloaded_and_the_channel_gets_one_change_notice(bot, schedule_dir):
    write_day(schedule_dir, "11:30", "12:00")
    reply = reload(bot)
    assert reply.body["response_type"] == "ephemeral"
    assert f"✅ Reloaded `{schedule_dir}`: 2 sessions over 1 day." in reply.text
    assert (
        "*Changed for upcoming sessions:*\n"
        "• \u2068Deceptive alignment\u2069 (Sat 5 Aug) moved: now 11:30-12:00 PT (was 11:00-11:30 PT)."
    ) in reply.text
    assert f"A schedule-change notice goes to <#{CHANNEL}>" in reply.text
    assert bot.services.workshop.session("talk").start == pt("2023-08-05 11:30")
    settle(bot)
    [notice] = bot.fake.calls_to("chat.postMessage")
    assert notice.args["channel"] == CHANNEL
    assert notice.args["text"] == (
        "📣 Schedule change:\n• \u2068Deceptive alignment\u2069 (Sat 5 Aug) moved: now 11:30-12:00 PT (was 11:00-11:30 PT)."
    )
    assert "slot:2023-08-05T18:30:00Z" in bot.announcer.job_ids()  # announced at its new time
    assert "slot:2023-08-05T18:00:00Z" not in bot.announcer.job_ids()

    again = reload(bot)  # the same file again: nothing changed, nothing posted
    assert "Nothing upcoming changed since the last load." in again.text
    settle(bot)
    assert len(bot.fake.calls_to("chat.postMessage")) == 1


def test_a_bad_edit_is_refused_with_every_problem_and_the_old_schedule_stays(bot, schedule_dir):
    (schedule_dir / "2023-08-05.yaml").write_text(
        "date: 2023-08-05\nsessions:\n"
        "  - {id: talk, title: '<!channel> party', start: '11:00', end: '10:00', kind: talk}\n"
        "  - {id: walk, title: Walk, start: '14:00', end: '13:00', kind: discussion}\n"
    )
    reply = reload(bot)
    assert reply.body["text"] == "Schedule reload refused (2 problems); the old schedule stays."
    assert f"⚠️ `{schedule_dir}` has 2 problems, so I kept the schedule I had (2 sessions)." in reply.text
    assert (
        "2023-08-05.yaml:3: session '&lt;!channel&gt; party': end 10:00 is before start 11:00" in reply.text
    )
    assert "2023-08-05.yaml:4: session 'Walk': end 13:00 is before start 14:00" in reply.text
    assert "<!channel>" not in str(reply.body)
    assert "Fix them and run `/awair reload` again." in reply.text
    assert bot.services.workshop.session("talk").title == "Deceptive alignment"
    settle(bot)
    assert bot.fake.calls_to("chat.postMessage") == []


@pytest.mark.parametrize("user", ["U0STRANGER", "W0GUEST"])
def test_non_organizers_cannot_reload(bot, schedule_dir, user):
    write_day(schedule_dir, "11:30", "12:00")
    reply = reload(bot, user=user)
    assert reply.body["text"] == "Sorry, only the workshop's organizers can reload the schedule."
    assert bot.services.workshop.session("talk").start == pt("2023-08-05 11:00")
    settle(bot)
    assert bot.fake.calls_to("chat.postMessage") == []


def test_without_announcements_the_organizer_is_told_no_notice_goes_out(fake_slack, schedule_dir):
    harness = SlackHarness(fake_slack, pt("2023-08-05 10:45"), schedule_path=schedule_dir)
    write_day(schedule_dir, "11:30", "12:00")
    reply = shown(harness.command("/awair", "reload", user=ORGANIZER))
    assert "moved: now 11:30-12:00 PT" in reply.text
    assert "Announcements are off (no ANNOUNCE_CHANNEL), so no change notice is posted." in reply.text


def test_help_shows_organizers_their_commands(bot):
    theirs = shown(bot.command("/awair", "help", user=ORGANIZER)).text
    assert (
        "For organizers:" in theirs and "/announce at &lt;time&gt; …" in theirs and "/awair reload" in theirs
    )
    everyone = shown(bot.command("/awair", "", user="U0STRANGER")).text
    assert "/next [N]" in everyone and "/announce" not in everyone and "reload" not in everyone
