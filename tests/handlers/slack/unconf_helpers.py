"""Shared pieces of the unconference handler tests: the bot with a database, and checks that
every message is valid Block Kit in which no person's text can ping or format anything."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import func, select

from bot.db.tables_unconf import Proposal, Vote
from bot.unconference import posts_of
from tests.bot.conftest import pt
from tests.support.fake_slack import FakeSlack, RecordedCall
from tests.support.harness import SlackHarness

CHANNEL = "CUNCONF"
SATURDAY = pt("2023-08-05 10:45")
# Titles people might type, meaning harm or not. Each is valid, so it is stored and shown.
ADVERSARIAL_TITLES = [
    "Hey <!channel> and <!here>: <@U123> <!subteam^S1>",
    "Tom & Jerry <b>bold</b> &amp; &lt;script&gt;",
    "*bold* _it_ ~strike~ `code` ```fence > quote <http://evil.example|click me>",
    "🧠🤖 Interpretability 👩‍👩‍👧 :tada: :+1::skin-tone-3:",
    "פרשנות של מודלים שפה גדולים — تفسير النماذج 2023",
    "\u202eRTL override\u202c and \u200fmarks\u200e",
    "W" * 150,
]


def make_slack(fake: FakeSlack, db_url: str, **settings: Any) -> SlackHarness:
    """The bot on Saturday morning with a database and an unconference channel."""
    settings.setdefault("unconference_channel", CHANNEL)
    return SlackHarness(fake, SATURDAY, db_url=db_url, **settings)


def counts(slack: SlackHarness) -> tuple[int, int]:
    """(proposals, votes) stored."""
    with slack.services.db() as db:
        return db.scalar(select(func.count(Proposal.id))), db.scalar(select(func.count(Vote.id)))


def proposal_row(slack: SlackHarness, number: int) -> Proposal:
    """A proposal as stored."""
    with slack.services.db() as db:
        return db.get(Proposal, number)


def message_ts(slack: SlackHarness, number: int) -> str | None:
    """The ts of proposal ``number``'s message in the Slack channel, once posted."""
    with slack.services.db() as db:
        return posts_of(db, number).get("slack", (None, None))[1]


def posted(fake: FakeSlack, method: str = "chat.postMessage", channel: str = CHANNEL) -> list[RecordedCall]:
    """The calls of ``method`` to ``channel``."""
    return [c for c in fake.calls_to(method) if c.args.get("channel") == channel]


def last_update(fake: FakeSlack, ts: str) -> RecordedCall:
    """The latest chat.update of the message at ``ts``."""
    return [c for c in fake.calls_to("chat.update") if c.args.get("ts") == ts][-1]


def context_text(blocks: list[dict[str, Any]]) -> str:
    """Every context element's text, joined."""
    return " ".join(e["text"] for b in blocks if b["type"] == "context" for e in b["elements"])


def buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every button: in actions blocks and as section accessories."""
    found = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    found += [b["accessory"] for b in blocks if b.get("accessory")]
    return found


# --- Block Kit and safety checks ---------------------------------------------------------

_TEXT_TYPES = {"plain_text", "mrkdwn"}
# In our own mrkdwn, the only angle-bracket syntax allowed is a channel link we made.
_ALLOWED_ANGLE = re.compile(r"<#[CG][A-Z0-9]+>")


def _text_objects(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if node.get("type") in _TEXT_TYPES and isinstance(node.get("text"), str):
            yield node
        for value in node.values():
            yield from _text_objects(value)
    elif isinstance(node, list):
        for item in node:
            yield from _text_objects(item)


def assert_inert_mrkdwn(text: str) -> None:
    """Text Slack parses (mrkdwn, fallbacks): no mention, link or stray angle bracket."""
    stripped = _ALLOWED_ANGLE.sub("", text)
    assert "<" not in stripped and ">" not in stripped, text[:300]
    assert "\x00" not in text


def assert_valid_blocks(blocks: list[dict[str, Any]]) -> None:
    """Within Slack's Block Kit limits, and every mrkdwn text inert."""
    assert 0 < len(blocks) <= 50
    for block in blocks:
        kind = block["type"]
        assert kind in {"section", "header", "context", "actions", "divider"}, kind
        if kind == "header":
            assert block["text"]["type"] == "plain_text" and 0 < len(block["text"]["text"]) <= 150
        if kind == "section":
            assert 0 < len(block["text"]["text"]) <= 3000
        if kind == "context":
            assert 0 < len(block["elements"]) <= 10
            assert all(0 < len(e["text"]) <= 3000 for e in block["elements"])
        for button in buttons([block]):
            assert button["type"] == "button" and len(button["text"]["text"]) <= 75
            assert len(button["value"]) <= 2000 and button["text"]["type"] == "plain_text"
    for obj in _text_objects(blocks):
        assert "\x00" not in obj["text"]
        if obj["type"] == "mrkdwn":
            assert_inert_mrkdwn(obj["text"])
    assert sum(len(o["text"]) for o in _text_objects(blocks)) <= 12_000


def assert_safe_message(payload: dict[str, Any]) -> None:
    """A message (an ack body, a response, chat.postMessage/chat.update args) is safe."""
    if "text" in payload:
        assert_inert_mrkdwn(payload["text"])
        assert len(payload["text"]) <= 3000
    if payload.get("blocks"):
        assert_valid_blocks(payload["blocks"])
    json.dumps(payload)  # serialisable, as Slack needs it


def assert_all_safe(fake: FakeSlack, replies: Iterable[dict[str, Any]] = ()) -> None:
    """Every message the bot sent to Slack, and these ack bodies, are safe."""
    for call in fake.calls:
        if call.method in ("chat.postMessage", "chat.update", "chat.postEphemeral"):
            assert_safe_message(call.args)
    for response in fake.responses:
        assert_safe_message(response.body)
    for body in replies:
        assert_safe_message(body)
