"""A corpus of hostile inputs through every command and action: no crash, no ping, no broken
formatting, stored text exact, a clear message back. Organizer commands from anyone else
change nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from urllib.parse import quote

import pytest
from sqlalchemy import func, select

from bot.db.tables import Proposal, ScheduledAnnouncement, Vote
from bot.db.tables_agenda import Pick
from handlers.slack.pacing import unpaced
from handlers.slack.poster import SlackPoster, posting_client
from tests.bot.conftest import pt
from tests.support.harness import BOT_TOKEN, ORGANIZER, SlackHarness
from tests.support.signing import bolt_request, slash_command_body
from tests.support.stepping import StepScheduler

LONG = "A" * 100_000
HOSTILE = [
    "<!channel>", "<!here>", "<!everyone>", "<@U0123456>", "<#C0123456|general>", "<!subteam^S123|@team>",
    "@channel please", "@here", "&lt;!channel&gt;", "&amp;&lt;&gt;", "<https://evil.example|click me>",
    "*bold* _italic_ ~strike~ `code`", "```fenced```", "> quote", "• bullet\n• more", "[link](https://x.y)",
    "<script>alert(1)</script>", "'; DROP TABLE proposals; --", "1 OR 1=1", "Robert'); DELETE FROM votes;--",
    "\x00", "title\x00with NUL", "\x07\x08\x1b[31mred", "tab\tand\nnewline\r\n", "\u202eevil\u202c right-to-left",
    "\u200b\u200b\u200b", "שלום עולם", "مرحبا بالعالم", "🧠🤖🔥" * 10, "👩‍👩‍👧‍👦 family", "e\u0301\u0301\u0301",
    LONG, "x" * 3001, "word" * 2000, " ", "   leading and trailing   ", "--", "-- only description",
    "withdraw", "withdraw -1", "withdraw 99999999999", "at 25:99 lunch", "at sat 9:00", "cancel abc", "list extra",
    "merge 1", "merge x y", "plan now please", "export; rm -rf /", "\\", "%s%s%n", "{{7*7}}", "${jndi:ldap://x}",
    "null", "undefined", "NaN", "0", "-1", "10", "11", "9" * 50, "today today", "2023-02-30", "sunday Library",
]  # fmt: skip
COMMANDS = [
    "/next",
    "/schedule",
    "/readings",
    "/awair",
    "/announce",
    "/propose",
    "/proposals",
    "/unconf",
    "/mine",
]
# /mine's own words, each with what would go wrong.
HOSTILE += [
    "remind",
    "remind 0",
    "remind -1",
    "remind 121",
    "remind ５",
    "remind off off",
    "calendar x",
    "calendar reset now",
]
# The corpus's own mentions; the bot may link an organizer (<@UORGANIZER1>) on purpose.
MENTION = ("<!channel", "<!here", "<!everyone", "<@U0123456", "<#C0123456", "<!subteam", "<!date")

# --- Issue 14: what a newcomer's trial of the bot found, as Slack sends it -------------------
TRIAL_INPUTS = [
    "Q&amp;A on RLHF", "Q&amp;amp;A", "&lt;!channel&gt; Q&amp;A", "*bold* _it_ ~strike~ `code` Q&amp;A",
    "closes early\u2069\u202eevil", "\u2067\u2067two isolates", "stray closers\u202c\u2069\u2069",
    "withdraw 1 2", "withdraw #0", "withdraw ３", "Іntеrрrеtаbіlіtу tооls", "ΙNTERPRETABILITY tools",
    "at sun 1:30 posters", "at fri 10:00 goodbye", "at 2030-01-01 10:00 reunion", "at 1:30am night",
    "now Lunch\x00 is ready", "esc\x1b[31m red", "３", "٣", "+3", "3.0", "today ARC", "ARC", "talks",
    "sunday break", "remove", "remove 1", "remove -1 spam", "remove 1 " + "why " * 100, "merge 1 1",
]  # fmt: skip
HOSTILE += TRIAL_INPUTS

# --- Issue 13: what a hostile client sends through the web endpoint, typed as text --------
WEB_INPUTS = [
    "payload={not json", "[1]", "{{{", '{"actions": null}', "x\nCRITICAL root: the database is gone",
    "\r\nX-Injected: header", "line\u2028separator", "para\u2029separator", "\ufeffBOM first", "%00%0a%0d",
    "../../etc/passwd", "<@U0123456|alice>", "<!date^1392734382^{date}|soon>", "＜!channel＞ fullwidth",
    "`<!here>` in code", "\U0001d565\U0001d566 math letters", "a\u0300" * 50, "9" * 3000,
]  # fmt: skip
HOSTILE += WEB_INPUTS


def visible_mrkdwn(body: dict) -> list[str]:
    """Every text Slack would parse as mrkdwn: the fallback and mrkdwn block texts
    (plain_text shows mentions and markup literally; button values are never shown)."""
    texts = [body.get("text", "")]

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "mrkdwn":
                texts.append(node.get("text", ""))
            for key, value in node.items():
                if key != "value":
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(body.get("blocks", []))
    return texts


def assert_well_formed(body: dict) -> None:
    """Within Slack's limits, and nothing a user typed becomes a mention."""
    blocks = body.get("blocks", [])
    assert len(blocks) <= 50
    for block in blocks:
        text = block.get("text") or {}
        assert len(text.get("text", "")) <= 3000
        if block["type"] == "header":
            assert len(text["text"]) <= 150
    for text in visible_mrkdwn(body):
        assert not any(m in text for m in MENTION), text[:200]


@pytest.fixture
def slack(fake_slack, db_url) -> Iterator[SlackHarness]:
    """The bot on Sunday 13:00, announcing to C0HOSTILE (the scheduler stepped by the test)."""
    # No limit of proposals here: every input is meant to reach the proposal's checks.
    harness = SlackHarness(
        fake_slack,
        pt("2023-08-06 13:00"),
        db_url=db_url,
        announce_channel="C0HOSTILE",
        proposals_per_person=10_000,
    )
    poster = SlackPoster(posting_client(BOT_TOKEN, fake_slack.url), unpaced())
    harness.start_announcements(poster, scheduler=StepScheduler(harness.clock), wall=harness.clock.now)
    yield harness
    harness.announcer.shutdown(wait=False)
    harness.engine.dispose()


def counts(slack: SlackHarness) -> tuple[int, int, int]:
    with slack.services.db() as db:
        return (
            db.scalar(select(func.count()).select_from(Proposal)),
            db.scalar(select(func.count()).select_from(Vote)),
            db.scalar(select(func.count()).select_from(ScheduledAnnouncement)),
        )


def test_every_command_survives_the_corpus(slack):
    assert len(set(HOSTILE)) >= 100
    for command in COMMANDS:
        for text in HOSTILE:
            reply = slack.command(command, text, user="UATTENDEE1")
            assert reply.status == 200, (command, text[:40])
            assert reply.body.get("text"), (command, text[:40])  # a message back, always
            assert "something went wrong" not in reply.body["text"], (command, text[:40])
            assert_well_formed(reply.body)
    # Nothing a non-organizer typed reached a channel unescaped.
    for call in slack.fake.calls_to("chat.postMessage") + slack.fake.calls_to("chat.update"):
        assert_well_formed(call.args)


def test_the_organizers_commands_survive_the_trial_inputs(slack):
    # An organizer's NUL once reached PostgreSQL and came back as "database unavailable".
    for command in ("/announce", "/unconf", "/propose"):
        for text in TRIAL_INPUTS:
            reply = slack.command(command, text, user=ORGANIZER)
            assert reply.status == 200 and reply.body.get("text"), (command, text[:40])
            for said in ("something went wrong", "briefly unavailable"):
                assert said not in reply.body["text"], (command, text[:40])
            assert_well_formed(reply.body)
    with slack.services.db() as db:
        assert all("\x00" not in t for t in db.scalars(select(ScheduledAnnouncement.text)))


def test_organizer_commands_from_anyone_else_change_nothing(slack):
    before = counts(slack)
    for text in ["hello <!channel>", "at 14:00 lunch", "cancel 1", "list"]:
        reply = slack.command("/announce", text, user="UATTENDEE1")
        assert "organizer" in reply.body["text"].lower()
    for text in ["plan", "publish", "export", "merge 1 2"]:
        reply = slack.command("/unconf", text, user="UATTENDEE1")
        assert "organizer" in reply.body["text"].lower()
    assert counts(slack) == before
    assert slack.fake.calls_to("chat.postMessage") == []


@pytest.mark.parametrize(
    "title",
    [
        "<!channel> come to my session",
        "*Not bold* & <not a tag>",
        "'; DROP TABLE proposals; SELECT 1",  # (a trailing ' -- ' would start a description)
        "שלום: alignment in Hebrew",
        "\u202eevil\u202c override",
        "🧠 interpretability 🤖",
        "`code` and ```fences```",
    ],
)
def test_proposal_titles_are_stored_exactly_and_shown_inert(slack, title):
    reply = slack.command("/propose", title, user="UPROPOSER1")
    assert reply.status == 200 and "#" in reply.body["text"]
    with slack.services.db() as db:
        stored = db.scalars(select(Proposal.title)).all()
    assert stored == [title]
    (post,) = slack.fake.calls_to("chat.postMessage")
    assert_well_formed(post.args)


@pytest.mark.parametrize("title", ["\x00", "title\x00with NUL", "ab", LONG, "\x07bell"])
def test_unusable_titles_get_the_usage_and_store_nothing(slack, title):
    reply = slack.command("/propose", title, user="UPROPOSER1")
    assert reply.status == 200 and "/propose" in reply.body["text"]
    assert counts(slack)[0] == 0


@pytest.mark.parametrize(
    "value",
    ["", "abc", "-1", "0", "1.5", "99999999999", '{"c": "next"}', "1; DROP TABLE votes", "\x00", LONG[:5000]],
)
def test_vote_button_with_tampered_values_changes_nothing(slack, value):
    slack.command("/propose", "A real proposal", user="UPROPOSER1")
    reply = slack.click("unconf_vote", value, user="UVOTER0001")
    assert reply.status == 200
    assert counts(slack)[1] == 0
    answers = slack.fake.responses_to("action")
    assert answers and "didn't work" in answers[-1].body["text"]


@pytest.mark.parametrize(
    "value",
    [
        "",
        "+",
        "-",
        "sat-misalignment",
        "++sat-misalignment",
        "+<!channel>",
        "+\x00",
        "+" + LONG[:5000],
        "+\u202eevil",
    ],
)
def test_pick_button_with_tampered_values_changes_nothing(slack, value):
    reply = slack.click("pick_session", value, user="UPICKER01")
    assert reply.status == 200
    answer = slack.fake.responses_to("action")[-1].body
    assert "didn't work" in answer["text"] or "no longer in the schedule" in answer["text"]
    assert_well_formed(answer)
    with slack.services.db() as db:
        assert db.scalar(select(func.count()).select_from(Pick)) == 0


@pytest.mark.parametrize("value", ["", "not json", '{"c": "rm"}', '{"c": "next", "a": 7}', "[]", LONG[:5000]])
def test_share_button_with_tampered_values_answers_privately(slack, value):
    reply = slack.click("share_answer", value)
    assert reply.status == 200
    (answer,) = slack.fake.wait_for_responses("action")
    assert answer.body == {
        "response_type": "ephemeral",
        "replace_original": False,
        "text": "Sorry, I couldn't share that answer.",
    }
    assert [c.method for c in slack.fake.calls] == ["auth.test"]  # nothing posted for everyone


def test_invalid_utf8_in_a_form_body_is_answered(slack):
    body = slash_command_body("/readings", "x", user_id="UATTENDEE1").replace(
        "text=x", "text=" + quote(b"\xff\xfe\xc3(", safe="")
    )
    response = slack.app.dispatch(bolt_request(body, slack.slack_settings.signing_secret))
    assert response.status == 200
    assert_well_formed(json.loads(response.body))


def test_unknown_commands_and_actions_do_not_crash(slack):
    assert slack.command("/rm-rf", "now").status == 404  # Bolt's answer for no listener: nothing runs
    assert slack.click("unknown_action", "1").status == 404
    assert counts(slack) == (0, 0, 0)


def test_the_organizer_may_mention_on_purpose(slack):
    reply = slack.command("/announce", "Lunch is on the roof <!here>", user=ORGANIZER)
    assert reply.status == 200 and reply.body["text"] == "Announcement #1 is on its way."
    slack.announcer._scheduler.advance(timedelta(seconds=2))
    (post,) = slack.fake.calls_to("chat.postMessage")
    assert post.args["channel"] == "C0HOSTILE"
    assert post.args["blocks"][0]["text"]["text"] == "📢 Lunch is on the roof <!here>"  # a real @here
    assert post.args["text"].startswith("📢 Lunch is on the roof <!here>")
