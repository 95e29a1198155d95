"""/unconf plan|publish|export|merge through Bolt with signed requests, on SQLite and PostgreSQL;
and the published plan in /next, /schedule and the announcements."""

from __future__ import annotations

import csv
import io
import shutil
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.db.tables_unconf import PlanRecord
from handlers.slack.pacing import unpaced
from handlers.slack.poster import SlackPoster, posting_client
from tests.bot.announcements.fakes import Sleeps
from tests.bot.conftest import pt
from tests.handlers.slack.unconf_helpers import (
    assert_all_safe,
    buttons,
    context_text,
    counts,
    last_update,
    make_slack,
    message_ts,
    proposal_row,
)
from tests.support.harness import BOT_TOKEN, ORGANIZER, REPO, SlackHarness
from tests.support.stepping import StepScheduler

TOPICS = [  # (title, author)
    ("Debate in practice", "UANN"),
    ("Evals that bite", "UBEN"),
    ("Interpretability tools", "UANN"),
    ('=HYPERLINK("http://evil.example") forecasting', "UCAT"),
    ("Nobody asked", "UDAN"),
]
BALLOTS = {"UV1": (1, 2, 3), "UV2": (1, 2, 3), "UV3": (1, 2, 4), "UV4": (1,)}  # #1: 4, #2: 3, #3: 2, #4: 1


def seeded(slack: SlackHarness) -> SlackHarness:
    """The TOPICS proposed a minute apart, and the BALLOTS cast."""
    for title, author in TOPICS:
        slack.clock.advance(timedelta(minutes=1))
        slack.command("/propose", title, user=author)
    for voter, numbers in BALLOTS.items():
        for n in numbers:
            slack.click("unconf_vote", str(n), user=voter)
    return slack


@pytest.fixture
def slack(fake_slack, db_url):
    return seeded(make_slack(fake_slack, db_url))


def plans(slack) -> int:
    with slack.services.db() as db:
        return db.scalar(select(func.count(PlanRecord.id)))


def plain_texts(blocks) -> list[str]:
    return [b["text"]["text"] for b in blocks if b["type"] == "section" and b["text"]["type"] == "plain_text"]


@pytest.mark.parametrize("text", ["", "plan", "publish", "export", "merge 2 1", "help"])
def test_only_organizers_and_nothing_changes_for_others(slack, text):
    updates, before = len(slack.fake.calls), counts(slack)
    reply = slack.command("/unconf", text, user="UV1")
    assert reply.body["text"].startswith("Sorry, `/unconf` is for the workshop's organizers.")
    assert counts(slack) == before and plans(slack) == 0
    assert proposal_row(slack, 2).status == "open"
    assert len(slack.fake.calls) == updates  # no post, update or upload


def test_plan_shows_slots_rooms_titles_votes_and_what_was_left_out(slack):
    reply = slack.command("/unconf", "plan", user=ORGANIZER)

    blocks = reply.body["blocks"]
    assert blocks[0]["text"]["text"] == "📋 Draft plan for the unconference"
    assert context_text(blocks[:2]) == (
        "Sun 6 Aug 16:00-18:00 PT · 3 rooms × 2 slots of 60 min · 4 of 5 open proposals placed"
    )
    slots = [b["text"]["text"] for b in blocks if b["type"] == "section" and b["text"]["type"] == "mrkdwn"]
    assert slots == ["*16:00-17:00 PT*", "*17:00-18:00 PT*", "*Not in the plan*"]
    i = "\u2068{}\u2069".format
    assert plain_texts(blocks) == [
        # Most votes, largest room, earliest slot; Ann's second topic is not beside her first.
        f"{i('Main room (30)')}: #1  {i('Debate in practice')} · {i('User UANN')} · 4 votes\n"
        f"{i('Library (12)')}: #4  {i(TOPICS[3][0])} · {i('User UCAT')} · 1 vote\n"
        f"{i('Garden room (8)')}: free",
        f"{i('Main room (30)')}: #2  {i('Evals that bite')} · {i('User UBEN')} · 3 votes\n"
        f"{i('Library (12)')}: #3  {i('Interpretability tools')} · {i('User UANN')} · 2 votes\n"
        f"{i('Garden room (8)')}: free",
        f"#5  {i('Nobody asked')} · no votes yet",
    ]
    (publish,) = buttons(blocks)
    assert (publish["action_id"], publish["value"]) == ("unconf_publish", "1")
    assert publish["confirm"]["text"]["text"].startswith("4 sessions go into the schedule")
    assert plans(slack) == 1
    assert_all_safe(slack.fake, [reply.body])


def test_planning_again_gives_the_same_plan(slack):
    first = slack.command("/unconf", "plan", user=ORGANIZER).body["blocks"]
    second = slack.command("/unconf", "plan", user=ORGANIZER).body["blocks"]
    assert plain_texts(first) == plain_texts(second)
    assert buttons(second)[0]["value"] == "2"


def test_a_plan_without_votes_has_nothing_to_publish(fake_slack, db_url):
    slack = make_slack(fake_slack, db_url)
    slack.command("/propose", "Lonely topic", user="UANN")
    reply = slack.command("/unconf", "plan", user=ORGANIZER)
    assert buttons(reply.body["blocks"]) == []
    assert "No proposal has votes yet, so there is nothing to publish." in reply.text


def test_a_schedule_without_a_block_says_what_to_add(fake_slack, db_url, tmp_path):
    folder = shutil.copytree(REPO / "schedule_data", tmp_path / "schedule")
    workshop = (folder / "workshop.yaml").read_text()
    (folder / "workshop.yaml").write_text(workshop[: workshop.index("unconference:")])
    slack = make_slack(fake_slack, db_url, schedule_path=folder)
    reply = slack.command("/unconf", "plan", user=ORGANIZER)
    assert "needs an `unconference:` entry" in reply.body["text"]
    assert plans(slack) == 0


def test_publish_puts_the_plan_into_next_and_schedule(slack):
    slack.command("/unconf", "plan", user=ORGANIZER)
    reply = slack.command("/unconf", "publish", user=ORGANIZER)

    assert reply.body["text"] == "The plan is published: 4 sessions are in the schedule."
    assert "16:00-17:00 PT · \u2068Main room\u2069: #1  \u2068Debate in practice\u2069" in reply.text

    slack.clock.set(pt("2023-08-06 15:50"))
    upcoming = slack.command("/next", "2", user="UV1")  # both slots of the block
    for title in ("Debate in practice", "Interpretability tools", "Evals that bite"):
        assert title in upcoming.text
    assert "16:00 PT" in upcoming.text and "Main room" in upcoming.text
    agenda = slack.command("/schedule", "sunday", user="UV1")
    assert "Debate in practice" in agenda.text and "Evals that bite" in agenda.text


def test_publish_by_button_and_a_second_click_says_it_is_done(slack):
    (button,) = buttons(slack.command("/unconf", "plan", user=ORGANIZER).body["blocks"])
    slack.click(button["action_id"], button["value"], user=ORGANIZER)
    slack.click(button["action_id"], button["value"], user=ORGANIZER)

    first, second = (r.body for r in slack.fake.responses_to("action")[-2:])
    assert first["text"] == "The plan is published: 4 sessions are in the schedule."
    assert second["text"] == "That plan is already published: it is in the schedule."
    assert any(s.id == "unconf-1" for s in slack.services.workshop.sessions)


def test_the_publish_button_refuses_a_replaced_draft_and_non_organizers(slack):
    (old,) = buttons(slack.command("/unconf", "plan", user=ORGANIZER).body["blocks"])
    slack.command("/unconf", "plan", user=ORGANIZER)
    slack.click(old["action_id"], old["value"], user="UV1")
    slack.click(old["action_id"], old["value"], user=ORGANIZER)
    slack.click(old["action_id"], "nonsense", user=ORGANIZER)

    texts = [r.body["text"] for r in slack.fake.responses_to("action")[-3:]]
    assert texts[0].startswith("Sorry, `/unconf` is for the workshop's organizers.")
    assert texts[1] == "The draft changed since you saw it; look at the new draft first."
    assert texts[2].startswith("Sorry, that button didn't work.")
    assert not any(s.id.startswith("unconf-") for s in slack.services.workshop.sessions)


def test_publish_only_publishes_the_draft_this_organizer_saw(fake_slack, db_url):
    other = "UORGANIZER2"
    slack = seeded(make_slack(fake_slack, db_url, organizer_ids=frozenset({ORGANIZER, other})))
    slack.command("/unconf", "plan", user=ORGANIZER)
    slack.command("/unconf", "plan", user=other)

    reply = slack.command("/unconf", "publish", user=ORGANIZER)

    assert "made by another organizer" in reply.body["text"]
    assert not any(s.id.startswith("unconf-") for s in slack.services.workshop.sessions)
    assert slack.command("/unconf", "publish", user=other).body["text"].startswith("The plan is published")
    assert slack.command("/unconf", "publish", user=other).body["text"].startswith("There is no new draft")


def test_publish_without_a_draft(slack):
    assert slack.command("/unconf", "publish", user=ORGANIZER).body["text"] == (
        "There is no draft plan to publish; make one first."
    )


def test_export_sends_a_csv_file_to_the_organizers_dm(slack):
    slack.fake.set_response("conversations.open", {"ok": True, "channel": {"id": "DORGANIZER"}})
    slack.command("/propose", "withdraw 5", user="UDAN")

    reply = slack.command("/unconf", "export", user=ORGANIZER)

    assert reply.body["text"].startswith("📤 Sending you the CSV of 5 proposals")
    (opened,) = slack.fake.calls_to("conversations.open")
    assert opened.args["users"] == ORGANIZER
    (done,) = slack.fake.calls_to("files.completeUploadExternal")
    assert done.args["channel_id"] == "DORGANIZER"
    assert done.args["initial_comment"].startswith("📤 *Unconference proposals*: 5, every status")
    (upload,) = slack.fake.uploads
    assert upload.filename == "unconference-proposals-2023-08-05-1050.csv"
    text = upload.data.decode("utf-8")
    assert text.startswith("\ufeffnumber,title,")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert [(r["number"], r["votes"], r["status"]) for r in rows] == [
        ("1", "4", "open"),
        ("2", "3", "open"),
        ("3", "2", "open"),
        ("4", "1", "open"),
        ("5", "0", "withdrawn"),
    ]
    assert rows[3]["title"].startswith("'=HYPERLINK")  # never a formula in a spreadsheet
    assert rows[0]["voter_ids"] == "slack:UV1 slack:UV2 slack:UV3 slack:UV4"


def test_export_without_permission_says_what_is_missing(slack):
    slack.fake.set_response(
        "conversations.open", {"ok": False, "error": "missing_scope", "needed": "im:write"}
    )
    slack.command("/unconf", "export", user=ORGANIZER)
    (note,) = slack.fake.wait_for_responses("cmd")
    assert "lacks the `im:write` permission" in note.body["text"]
    assert slack.fake.uploads == []


def test_merge_moves_votes_and_updates_both_posts(slack):
    # UV1 and UV2 voted for both #3 and #2; UV3 only for #2 and #4.
    ts = {n: message_ts(slack, n) for n in (2, 3)}
    reply = slack.command("/unconf", "merge #3 into #2", user=ORGANIZER)

    assert reply.body["text"] == "#3 is merged into #2; its votes now count for #2."
    assert "0 votes moved over; 2 people had voted for both and got a vote back." in reply.text
    merged = last_update(slack.fake, ts[3]).args
    assert "🔀 *Merged into #2*" in context_text(merged["blocks"]) and buttons(merged["blocks"]) == []
    target = last_update(slack.fake, ts[2]).args
    assert "🗳 *3 votes*" in context_text(target["blocks"])
    # The vote UV1 got back can go elsewhere.
    slack.click("unconf_vote", "4", user="UV1")
    assert slack.fake.responses_to("action")[-1].body["text"].startswith("Your vote for #4 is in.")


def test_merge_counts_moved_votes(slack):
    reply = slack.command("/unconf", "merge 4 3", user=ORGANIZER)  # UV3's vote moves to #3
    assert "✅ #4 is merged into #3; its votes now count for #3. 1 vote moved over." in reply.text
    assert "🗳 *3 votes*" in context_text(last_update(slack.fake, message_ts(slack, 3)).args["blocks"])
    assert counts(slack) == (5, 10)


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("merge 1", "Merge needs two proposal numbers"),
        ("merge one two", "Merge needs two proposal numbers"),
        ("merge 1 1", "A proposal can't be merged into itself."),
        ("merge 1 99", "There is no proposal #99."),
        ("frobnicate", "I don't know that one."),
    ],
)
def test_merge_and_unknown_subcommands_explain_themselves(slack, text, answer):
    updates = len(slack.fake.calls_to("chat.update"))
    assert answer in slack.command("/unconf", text, user=ORGANIZER).body["text"]
    assert len(slack.fake.calls_to("chat.update")) == updates


def test_the_published_plan_is_announced_on_time(fake_slack, db_url):
    slack = seeded(make_slack(fake_slack, db_url, announce_channel="CANNOUNCE"))
    slack.command("/unconf", "plan", user=ORGANIZER)
    # The 16:00 slot is due at 15:55 PT (5 minutes' lead); the bot's clock is just before it.
    slack.clock.set(pt("2023-08-06 15:54:58"))
    steps = StepScheduler(slack.clock)
    poster = SlackPoster(posting_client(BOT_TOKEN, fake_slack.url), unpaced())
    announcer = slack.start_announcements(poster, scheduler=steps, wall=slack.clock.now, sleep=Sleeps())
    try:
        slack.command("/unconf", "publish", user=ORGANIZER)
        steps.advance_to(pt("2023-08-06 15:54:59"))
        assert _starts(fake_slack) == []  # not early
        steps.advance_to(pt("2023-08-06 15:55"))
        (start_post,) = _starts(fake_slack)
    finally:
        announcer.shutdown(wait=False)

    text = start_post.args["text"]
    # The two sessions of its first slot, not the block they are in as a third (issue 14).
    assert "2 in parallel" in text and "3 in parallel" not in text
    assert "Debate in practice" in text and "Main room" in text and "Library" in text
    assert "Evals that bite" not in text  # that one is at 17:00
    notices = [c for c in fake_slack.calls_to("chat.postMessage") if "Schedule change" in c.args["text"]]
    assert notices and "Evals that bite" in notices[0].args["text"]


def _starts(fake) -> list:
    return [
        call
        for call in fake.calls_to("chat.postMessage")
        if call.args.get("channel") == "CANNOUNCE"
        and call.args.get("text", "").startswith("⏰ Starting at 16:00 PT")
    ]
