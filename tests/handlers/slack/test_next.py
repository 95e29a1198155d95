"""/next through Bolt with signed requests."""

from __future__ import annotations

import json

from tests.bot.conftest import pt
from tests.support.harness import SlackHarness


def test_next_answers_ephemerally_with_blocks_and_fallback(slack):
    reply = slack.command("/next")
    assert reply.status == 200
    assert reply.body["response_type"] == "ephemeral"
    assert reply.body["text"].startswith("Break: nothing on until 11:00 PT (in 15 min).")
    blocks = reply.body["blocks"]
    assert blocks[0]["text"]["text"] == "☕ *Break* until 11:00 PT (in 15 min)"
    assert blocks[1] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Next: 11:00 PT", "emoji": True},
    }
    assert "*Misalignment*" in blocks[2]["text"]["text"]
    assert "5 readings: type `/readings`" in blocks[2]["text"]["text"]
    share = blocks[-1]["elements"][0]
    assert share["text"]["text"] == "Share in channel" and json.loads(share["value"]) == {
        "c": "next",
        "a": "",
    }


def test_next_n_shows_parallel_sessions(slack):
    slack.clock.set(pt("2023-08-06 13:00"))
    reply = slack.command("/next", "2")
    headers = [b["text"]["text"] for b in reply.body["blocks"] if b["type"] == "header"]
    assert headers == ["On now", "Next: 13:30 PT · 3 in parallel", "Then: 14:40 PT"]
    assert reply.text.count("discussion") >= 3


def test_next_unknown_argument_gets_usage(slack):
    reply = slack.command("/next", "soon please")
    assert reply.status == 200
    assert "I didn't understand `soon please`: N is a whole number from 1 to 10." in reply.body["text"]
    assert "Usage: `/next [N]`" in reply.body["blocks"][0]["text"]["text"]


def test_next_never_calls_the_web_api(slack):
    slack.command("/next")
    assert [c.method for c in slack.fake.calls] == ["auth.test"]  # only the start-up token check


def test_share_posts_the_same_answer_in_channel(slack):
    reply = slack.click("share_answer", json.dumps({"c": "next", "a": ""}), user="U777")
    assert reply.status == 200
    (posted,) = slack.fake.wait_for_responses("action")
    assert posted.body["response_type"] == "in_channel"
    assert posted.body["text"].startswith("Break: nothing on until 11:00 PT")
    assert posted.body["blocks"][-1]["elements"][0]["text"] == "Shared by <@U777>"
    assert all(b["type"] != "actions" for b in posted.body["blocks"])


def test_share_with_a_tampered_value_changes_nothing(slack):
    slack.click("share_answer", '{"c": "rm -rf"}')
    (posted,) = slack.fake.wait_for_responses("action")
    assert posted.body["response_type"] == "ephemeral"
    assert posted.body["text"] == "Sorry, I couldn't share that answer."


def test_titles_and_names_never_restyle_a_message(fake_slack, tmp_path):
    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "workshop.yaml").write_text("name: W\ntimezone: America/Los_Angeles\n")
    (folder / "2023-08-05.yaml").write_text(
        "date: 2023-08-05\nsessions:\n"
        "  - {title: '*Bold* claims about _alignment_ ~and~ `code`', start: '11:00', end: '12:00', kind: talk,"
        " speaker: '<!here> Ada_Lovelace*'}\n"
    )
    slack = SlackHarness(fake_slack, pt("2023-08-05 10:45"), schedule_path=folder)
    shown = [slack.command("/next").body, slack.command("/schedule").body]
    for body in shown:
        mrkdwn = [t for b in body["blocks"] for t in _mrkdwn_texts(b)]
        joined = "\n".join(mrkdwn)
        assert "∗Bold∗ claims about ˍalignmentˍ ∼and∼ ˋcodeˋ" in joined
        assert "*Bold*" not in joined and "_alignment_" not in joined and "<!here>" not in joined
        assert "&lt;!here&gt; Adaˍ" in joined


def _mrkdwn_texts(block) -> list[str]:
    texts = []
    if isinstance(block, dict):
        if block.get("type") == "mrkdwn":
            texts.append(block["text"])
        for key, value in block.items():
            if key != "value":
                texts += _mrkdwn_texts(value)
    elif isinstance(block, list):
        for item in block:
            texts += _mrkdwn_texts(item)
    return texts
