"""Discord's markdown, timestamps and limits: user text made inert, times that every member
reads in their own zone, and embeds cut to what Discord accepts."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.timefmt import clock

# Discord's limits (https://discord.com/developers/docs/resources/message).
CONTENT_MAX = 2000
DESCRIPTION_MAX = 4096
TITLE_MAX = 256
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FOOTER_MAX = 2048
FIELDS_MAX = 25
EMBEDS_TOTAL_MAX = 6000
ROWS_MAX = 5
BUTTONS_PER_ROW = 5
LABEL_MAX = 80
CUSTOM_ID_MAX = 100
CHOICES_MAX = 25

# Every character Discord's markdown gives a meaning to anywhere in a line, and what starts
# a mention or a custom emoji (<@1>, <#1>, <:a:1>, @everyone), escaped with a backslash so it
# shows as typed; lists and headings only mean something at a line's start.
_SPECIAL = re.compile(r"([\\*_~`|<>\[\]@#])")
_BULLET = re.compile(r"(?m)^(\s*)([-+])(?=\s)")
_NUMBERED = re.compile(r"(?m)^(\s*)(\d+)\.(?=\s)")
# A link stays a link (a reading's paper), in <> so Discord shows no preview of it.
_URL = re.compile(r"https?://[^\s<>\\`|\]\[)(*_~]+")
# What no message should carry: control characters and the line/paragraph separators.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")
NOTHING_MENTIONED: dict[str, Any] = {"parse": []}
# @everyone, @here, roles and people as typed: for an organizer's /announce only.
ORGANIZER_MENTIONS: dict[str, Any] = {"parse": ["everyone", "roles", "users"]}


def escape(text: str) -> str:
    """``text`` shown as typed: no markdown, no mention, no masked link, no emoji; its URLs
    stay clickable."""
    text = _CONTROLS.sub(" ", text)
    parts, at = [], 0
    for url in _URL.finditer(text):
        parts += [_inert(text[at : url.start()]), f"<{url.group()}>"]
        at = url.end()
    return "".join([*parts, _inert(text[at:])])


def _inert(text: str) -> str:
    text = _SPECIAL.sub(r"\\\1", text)
    return _NUMBERED.sub(r"\1\2\\.", _BULLET.sub(r"\1\\\2", text))


def code_marked(text: str) -> str:
    """The bot's own sentence, whose `backticks` mark commands: code kept, the rest escaped."""
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: nothing is code
        return escape(text)
    return "".join(escape(p) if i % 2 == 0 else f"`{p.replace(chr(10), ' ')}`" for i, p in enumerate(parts))


def timestamp(at: datetime, style: str = "t") -> str:
    """A Discord timestamp: each member sees ``at`` in their own zone (``R`` counts down)."""
    return f"<t:{int(at.timestamp())}:{style}>"


def both_times(at: datetime, zone: ZoneInfo) -> str:
    """'11:00 PT (<t:…:t>, <t:…:R>)': the workshop's own time beside the reader's."""
    return f"{escape(clock(at, zone))} ({timestamp(at, 't')}, {timestamp(at, 'R')})"


def cut(text: str, limit: int) -> str:
    """``text`` within ``limit`` characters, ending with an ellipsis when cut (never inside
    an escape, which would leave a dangling backslash)."""
    if len(text) <= limit:
        return text
    kept = text[: limit - 1]
    if kept.endswith("\\") and not kept.endswith("\\\\"):
        kept = kept[:-1]
    return kept + "…"


def embed_size(embed: dict[str, Any]) -> int:
    """The characters Discord counts towards a message's 6,000."""
    size = len(embed.get("title", "")) + len(embed.get("description", ""))
    size += len((embed.get("footer") or {}).get("text", "")) + len(
        (embed.get("author") or {}).get("name", "")
    )
    return size + sum(len(f["name"]) + len(f["value"]) for f in embed.get("fields", []))


def fit_embed(embed: dict[str, Any]) -> dict[str, Any]:
    """``embed`` within every per-field limit and the 6,000 total (fields dropped from the end,
    with a line saying so)."""
    fitted = dict(embed)
    if "title" in fitted:
        fitted["title"] = cut(fitted["title"], TITLE_MAX)
    if "description" in fitted:
        fitted["description"] = cut(fitted["description"], DESCRIPTION_MAX)
    if "footer" in fitted:
        fitted["footer"] = {"text": cut(fitted["footer"]["text"], FOOTER_MAX)}
    fields = [
        {
            **f,
            "name": cut(f["name"], FIELD_NAME_MAX) or "\u200b",
            "value": cut(f["value"], FIELD_VALUE_MAX) or "\u200b",
        }
        for f in fitted.get("fields", [])
    ]
    dropped = max(0, len(fields) - FIELDS_MAX)
    fields = fields[:FIELDS_MAX]
    fitted["fields"] = fields
    while embed_size(fitted) > EMBEDS_TOTAL_MAX - 100 and fields:
        fields.pop()
        dropped += 1
    if dropped:
        fitted["footer"] = {"text": f"…and {dropped} more not shown here."}
    if embed_size(fitted) > EMBEDS_TOTAL_MAX - 100:
        fitted["description"] = cut(fitted.get("description", ""), DESCRIPTION_MAX // 2)
    if not fitted["fields"]:
        del fitted["fields"]
    return fitted
