"""The latest organizer announcement as the board shows it: plain text, never markup."""

from __future__ import annotations

import logging
import re
from datetime import datetime

from sqlalchemy.exc import SQLAlchemyError

from bot.announcements.latest import latest_sent
from bot.board import Notice
from bot.services import Services

logger = logging.getLogger(__name__)

# Stored text may be Slack mrkdwn (today) or the organizer's text as typed (soon): both must
# read right. A broadcast or mention shows as typed (@here, @name, #channel); a link as its
# words and its URL, which a reader of a screen can type but not click.
_BROADCAST = re.compile(r"<!(here|channel|everyone)(?:\|[^<>]*)?>")
_LABELLED = re.compile(r"<(?:([@#])[^<>|]*|![^<>|]*|((?:https?|mailto):[^<>|\s]+))\|([^<>]*)>")
_BARE_LINK = re.compile(r"<((?:https?|mailto):[^<>|\s]+)>")
_MENTION = re.compile(r"<([@#])([A-Z0-9]+)>")
_ENTITY = re.compile(r"&(amp|lt|gt);")


def plain_announcement(text: str) -> str:
    """'<!here> Lunch &amp; talks' -> '@here Lunch & talks'; text as typed is left as it is."""
    text = _BROADCAST.sub(r"@\1", text)
    text = _LABELLED.sub(_label, text)
    text = _BARE_LINK.sub(r"\1", text)
    text = _MENTION.sub(r"\1\2", text)
    # Last, and in one pass, so '&amp;lt;' becomes '&lt;' rather than '<'.
    return _ENTITY.sub(lambda m: {"amp": "&", "lt": "<", "gt": ">"}[m.group(1)], text)


def _label(match: re.Match[str]) -> str:
    sigil, url, label = match.groups()
    if sigil:
        return sigil + label.lstrip("@#")
    return f"{label} ({url})" if url and label != url else label


def latest_notice(services: Services, now: datetime) -> Notice | None:
    """The latest posted organizer announcement, or None (also when the database is down:
    the board keeps showing the schedule)."""
    if services.db is None:
        return None
    try:
        with services.db() as db:
            row = latest_sent(db, now)
            if row is None or row.sent_at is None:
                return None
            return Notice(plain_announcement(row.text), row.author_name, row.sent_at)
    except SQLAlchemyError:
        logger.warning("board: the database is unavailable; showing no announcement", exc_info=True)
        return None
