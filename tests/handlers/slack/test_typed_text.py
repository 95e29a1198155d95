"""What people type reaches every answer, post and file exactly as typed (issue 14: Slack's
``&amp;`` undone once, for every command), and nobody's text can restyle a public message or
leave a right-to-left override open over the bot's own words."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.announcements.changes import Change, ChangeKind
from bot.announcements.messages import ScheduleChange, render_text
from bot.bidi import balanced_bidi
from bot.db.tables import ScheduledAnnouncement
from bot.schedule.current import CurrentSchedule
from bot.schedule.model import Kind
from handlers.slack.pacing import unpaced
from handlers.slack.poster import SlackPoster, posting_client
from handlers.slack.render.announcements import announcement_blocks
from tests.bot.announcements.fakes import Sleeps
from tests.bot.conftest import pt
from tests.handlers.slack.unconf_helpers import make_slack, posted, proposal_row
from tests.support.harness import BOT_TOKEN, ORGANIZER, REPO, as_slack_sends
from tests.support.stepping import StepScheduler

STYLED = "*bold* _it_ ~strike~ `code` Q&A"


def mrkdwn_texts(blocks) -> list[str]:
    """Every text of ``blocks`` that Slack reads as mrkdwn."""
    found: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "mrkdwn":
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(blocks)
    return found


def test_q_and_a_is_stored_shown_listed_and_exported_as_typed(fake_slack, db_url):
    slack = make_slack(fake_slack, db_url)
    slack.fake.set_response("conversations.open", {"ok": True, "channel": {"id": "DORGANIZER"}})
    reply = slack.command("/propose", as_slack_sends("Q&A on RLHF -- bring <questions> & answers"))

    assert reply.body["text"].startswith("Your proposal is in as #1.")
    row = proposal_row(slack, 1)
    assert (row.title, row.description) == ("Q&A on RLHF", "bring <questions> & answers")
    (post,) = posted(slack.fake)
    assert post.args["blocks"][0]["text"] == {"type": "plain_text", "text": "Q&A on RLHF", "emoji": True}
    listing = slack.command("/proposals")
    # Shown as typed where Slack shows text literally, escaped once where it reads mrkdwn.
    assert '"text": "#1  \u2068Q&A on RLHF\u2069' in listing.text
    assert "Q&amp;amp;" not in listing.text

    slack.command("/unconf", "export", user=ORGANIZER)
    (upload,) = slack.fake.uploads
    rows = list(csv.DictReader(io.StringIO(upload.data.decode("utf-8").removeprefix("\ufeff"))))
    assert [r["title"] for r in rows] == ["Q&A on RLHF"]
    assert rows[0]["description"] == "bring <questions> & answers"


def test_an_announcement_is_stored_as_typed_and_posted_escaped_once(fake_slack, db_url):
    slack = make_slack(fake_slack, db_url, announce_channel="CANNOUNCE")
    poster = SlackPoster(posting_client(BOT_TOKEN, fake_slack.url), unpaced())
    steps = StepScheduler(slack.clock)
    announcer = slack.start_announcements(poster, scheduler=steps, wall=slack.clock.now, sleep=Sleeps())
    try:
        slack.command("/announce", as_slack_sends("Q&A at 3"), user=ORGANIZER)
        with slack.services.db() as db:
            assert db.scalars(select(ScheduledAnnouncement.text)).all() == ["Q&A at 3"]
        steps.advance_to(slack.clock.now() + timedelta(minutes=1))
    finally:
        announcer.shutdown(wait=False)
    (post,) = posted(slack.fake, channel="CANNOUNCE")
    # Escaped exactly once: Slack shows "Q&A", never "Q&amp;A".
    assert post.args["blocks"][0]["text"]["text"] == "📢 Q&amp;A at 3"


def test_a_published_title_cannot_restyle_the_change_notice(fake_slack, db_url):
    slack = make_slack(fake_slack, db_url, announce_channel="CANNOUNCE")
    slack.command("/propose", STYLED, user="UANN")
    slack.click("unconf_vote", "1", user="UV1")
    slack.command("/unconf", "plan", user=ORGANIZER)
    steps = StepScheduler(slack.clock)
    poster = SlackPoster(posting_client(BOT_TOKEN, fake_slack.url), unpaced())
    announcer = slack.start_announcements(poster, scheduler=steps, wall=slack.clock.now, sleep=Sleeps())
    try:
        slack.command("/unconf", "publish", user=ORGANIZER)
        steps.advance_to(slack.clock.now() + timedelta(seconds=5))
    finally:
        announcer.shutdown(wait=False)
    notices = [c for c in posted(slack.fake, channel="CANNOUNCE") if "Schedule change" in c.args["text"]]
    (notice,) = notices
    texts = mrkdwn_texts(notice.args["blocks"]) + [notice.args["text"]]
    title_lines = [t for t in texts if "bold" in t]
    assert title_lines
    for text in title_lines:
        assert not any(mark in text for mark in ("*bold*", "_it_", "~strike~", "`code`")), text
        assert "Q&amp;A" in text and "Q&amp;amp;" not in text


def _added(title: str) -> Change:
    block = CurrentSchedule.load(REPO / "schedule_data").workshop.session("sun-unconference")
    return Change(ChangeKind.ADDED, None, replace(block, id="x", title=title, kind=Kind.UNCONFERENCE))


@pytest.mark.parametrize(
    "title",
    [
        "closes early\u2069\u202eevil",  # a PDI to leave the isolate, then an override left open
        "\u202eopen override",
        "\u2067\u2067two isolates",
        "stray closers\u202c\u2069\u2069",
    ],
)
def test_a_title_cannot_leave_a_bidi_override_open_over_the_line(title):
    now = pt("2023-08-06 10:00")
    notice = ScheduleChange((_added(title),), ZoneInfo("America/Los_Angeles"), now)
    for text in [*mrkdwn_texts(announcement_blocks(notice))[1:], render_text(notice)]:
        line = next(part for part in text.splitlines() if "New:" in part)
        # Everything the title opened is closed before the bot's own words go on, and no
        # closer of the title's ends the island it is shown in.
        before = line[: line.index(" (Sun 6 Aug)")]
        assert balanced_bidi(before) == before, ascii(line)
        assert before.count("\u2068") >= 1 and before.endswith("\u2069")
    # The schedule's copy is balanced where it is built (the proposal keeps it as typed), so
    # every other place that shows the session is safe too.
    assert notice.changes[0].session.title == balanced_bidi(title)


def test_no_mrkdwn_field_lets_a_schedules_text_restyle_it(fake_slack, tmp_path):
    # Every mrkdwn field that carries someone's text, one way (markup.inert): the workshop's
    # name, a reading's title and authors, a session's title, a check's warning.
    from tests.support.harness import SlackHarness

    folder = tmp_path / "camp"
    folder.mkdir()
    (folder / "workshop.yaml").write_text("name: '*Bold* Camp'\ntimezone: America/Los_Angeles\n")
    (folder / "readings.yaml").write_text(
        "readings:\n  - {id: r, title: '_it_ paper', url: 'https://x.org/a', authors: ['~strike~ Author']}\n"
    )
    (folder / "2023-08-05.yaml").write_text(
        "date: 2023-08-05\nsessions:\n"
        "  - {title: '`code` talk', start: '10:00', end: '11:00', kind: reading, readings: [r]}\n"
        "  - {title: After, start: '1:30', end: '2:00', kind: talk}\n"
    )
    slack = SlackHarness(fake_slack, pt("2023-08-05 09:45"), schedule_path=folder)
    slack.services.settings = replace(slack.settings, public_base_url="https://bot.example.org")
    replies = [slack.command(c, t) for c, t in (("/next", ""), ("/schedule", ""), ("/readings", "all"))]
    replies += [slack.command("/schedule", "ics"), slack.command("/awair", "reload", user=ORGANIZER)]
    for reply in replies:
        for text in mrkdwn_texts(reply.body["blocks"]):
            for typed in ("*Bold*", "_it_", "~strike~", "`code`"):
                assert typed not in text, (typed, text)
    # The fallback text too, which notifications and a shared answer show as mrkdwn.
    for reply in replies[:3]:
        for typed in ("*Bold*", "_it_", "~strike~", "`code`"):
            assert typed not in reply.body["text"], (typed, reply.body["text"])
