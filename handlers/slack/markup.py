"""Block Kit's building blocks, within Slack's limits, with Slack's escaping.

Everything that comes from the core or from users is escaped here (``&``, ``<``, ``>``), so
no text ever pings ``@channel``/``@here``/a user or breaks a message. Text that holds what a
person typed goes into ``plain_text`` objects, where Slack parses neither mentions nor
markdown; where it must sit in mrkdwn, ``inert`` makes its style characters harmless.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

Blocks = list[dict[str, Any]]
# Slack's limits on one message (docs.slack.dev, Block Kit): 50 blocks; 3,000 characters in a
# section's or a context element's text; 150 in a header; 12,000 of markdown in all. Past about
# 13,000 characters of text over all blocks Slack answers msg_blocks_too_long even when each
# block is within its own limit, so every message keeps its text within MAX_MESSAGE_TEXT.
MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_MESSAGE_TEXT = 12_000
# What fit() leaves for the blocks a reply adds after it (the share button).
_REPLY_RESERVE = 500


def escape(text: str) -> str:
    """Escape Slack's control characters so text shows literally and mentions stay inert."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# Slack's mrkdwn has no escape for its style characters, so text that is not ours (titles
# and names people typed, an imported schedule's titles) gets look-alikes: it reads the same
# and can never turn the rest of a line bold, italic, struck or code.
_INERT = str.maketrans({"*": "∗", "_": "ˍ", "~": "∼", "`": "ˋ"})


def inert(text: str) -> str:
    """``text`` for a mrkdwn field: escaped, and its style characters made inert."""
    return escape(text).translate(_INERT)


def link(url: str, label: str) -> str:
    """A mrkdwn link with an escaped label (a ``|`` in the label would end it early)."""
    return f"<{escape(url)}|{inert(label).replace('|', '¦')}>"


def section(text: str) -> dict[str, Any]:
    """A mrkdwn section (text already escaped), cut to Slack's limit."""
    if len(text) > MAX_SECTION_TEXT:
        text = text[: MAX_SECTION_TEXT - 1] + "…"
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def plain_section(text: str) -> dict[str, Any]:
    """A plain-text section: for text that holds what a user typed, so no ``*``, ``_``, ``~``
    or backtick of theirs can restyle the message (Slack's mrkdwn has no escape for them)."""
    if len(text) > MAX_SECTION_TEXT:
        text = text[: MAX_SECTION_TEXT - 1] + "…"
    return {"type": "section", "text": {"type": "plain_text", "text": text, "emoji": True}}


def plain_context(text: str) -> dict[str, Any]:
    """A small grey plain-text line (for text that holds what a user typed)."""
    return {
        "type": "context",
        "elements": [{"type": "plain_text", "text": text[:MAX_SECTION_TEXT], "emoji": True}],
    }


def context(text: str) -> dict[str, Any]:
    """A small grey line (text already escaped)."""
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:MAX_SECTION_TEXT]}]}


def header(text: str) -> dict[str, Any]:
    """A header block (plain text: no escaping needed, 150 characters at most)."""
    return {"type": "header", "text": {"type": "plain_text", "text": text[:MAX_HEADER_TEXT], "emoji": True}}


def text_size(blocks: Blocks) -> int:
    """Characters of text in ``blocks``, as Slack counts them against a message's limit."""
    return sum(_text_in(block) for block in blocks)


def _text_in(node: Any) -> int:
    if isinstance(node, dict):
        return sum(
            len(value) if key == "text" and isinstance(value, str) else _text_in(value)
            for key, value in node.items()
        )
    if isinstance(node, list):
        return sum(_text_in(item) for item in node)
    return 0


def fit(blocks: Blocks, note: str) -> Blocks:
    """Keep a message within Slack's limits on blocks and text, ending with ``note`` (plain
    text) if anything was cut."""
    room = MAX_MESSAGE_TEXT - _REPLY_RESERVE
    if len(blocks) < MAX_BLOCKS and text_size(blocks) <= room:
        return blocks  # one block spare for the share button a reply may add
    tail = context(escape(note))
    room -= text_size([tail])
    kept: Blocks = []
    for block in blocks[: MAX_BLOCKS - 2]:
        room -= text_size([block])
        if room < 0:
            break
        kept.append(block)
    return [*kept, tail]


def plain(text: str) -> dict[str, Any]:
    """A plain_text object: shown exactly as given (``:emoji:`` codes aside)."""
    return {"type": "plain_text", "text": text[:MAX_SECTION_TEXT] or " ", "emoji": True}


def with_button(block: dict[str, Any], button: dict[str, Any]) -> dict[str, Any]:
    """``block`` (a section) with ``button`` beside it."""
    return {**block, "accessory": button}


def pack(
    lines: Iterable[str],
    make: Callable[[str], dict[str, Any]] = section,
    room: int = MAX_SECTION_TEXT - 100,
    max_lines: int | None = None,
) -> Blocks:
    """Lines packed into as few blocks as fit: each within ``room`` characters (and
    ``max_lines`` lines), so a long list stays within the block limit too."""
    blocks: Blocks = []
    chunk: list[str] = []
    for line in lines:
        size = sum(len(x) + 1 for x in chunk) + len(line)
        if chunk and (size > room or (max_lines is not None and len(chunk) >= max_lines)):
            blocks.append(make("\n".join(chunk)))
            chunk = []
        chunk.append(line)
    if chunk:
        blocks.append(make("\n".join(chunk)))
    return blocks
