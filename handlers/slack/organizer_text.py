"""An organizer's announcement text, as typed, turned into Slack mrkdwn at post time.

Slack sends a command's ``&``, ``<`` and ``>`` escaped; the adapter undoes that once
(``unescape``) before the core sees the text, so the core stores what was typed. When it is
posted, the organizer's mentions, channel links, links and @here/@channel/@everyone work on
purpose; every other ``& < >`` is escaped again.
"""

from __future__ import annotations

import re

from handlers.slack.markup import escape

# Slack markup an organizer may use on purpose: mentions, channels, broadcasts, links.
_MARKUP = re.compile(
    r"<(?:@[UW][A-Z0-9]+|#C[A-Z0-9]+|!(?:here|channel|everyone)|!subteam\^[A-Z0-9]+"
    r"|(?:https?|mailto):[^\s<>|]+)(?:\|[^<>]*)?>"
)
_BROADCAST = re.compile(r"(?<![\w@<!])@(here|channel|everyone)\b")
_ENTITY = re.compile(r"&(amp|lt|gt);")


def unescape(text: str) -> str:
    """Slack's transport escaping undone: the text as the person typed it."""
    return _ENTITY.sub(lambda m: {"amp": "&", "lt": "<", "gt": ">"}[m.group(1)], text)


def organizer_markup(text: str) -> str:
    """The organizer's typed text as Slack mrkdwn: their markup kept, the rest escaped."""
    out, last = [], 0
    for match in _MARKUP.finditer(text):
        out.append(_plain(text[last : match.start()]))
        out.append(match.group(0))
        last = match.end()
    out.append(_plain(text[last:]))
    return "".join(out)


def _plain(text: str) -> str:
    return _BROADCAST.sub(r"<!\1>", escape(text))


def preview(text: str, limit: int | None = None) -> str:
    """The typed announcement as a mrkdwn quote for the organizer's eyes only: broadcasts
    shown, not sent."""
    shown = re.sub(r"<!(here|channel|everyone)(?:\|[^>]*)?>", r"*@\1*", organizer_markup(text))
    if limit is not None and len(shown) > limit:
        cut = shown[: limit - 1]
        # Never leave half a link or entity behind.
        cut = cut[: cut.rfind("<")] if cut.rfind("<") > cut.rfind(">") else cut
        cut = cut[: cut.rfind("&")] if cut.rfind("&") > cut.rfind(";") else cut
        shown = cut.rstrip() + "…"
    return "\n".join(f">{line}" for line in shown.splitlines() or [""])
