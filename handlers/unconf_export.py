"""``/unconf export``: every proposal with its votes, as a CSV file in the organizer's DM.

A file, not a code block: it opens straight in a spreadsheet, has no message size limit
(a weekend's proposals with descriptions run to tens of kilobytes, a message section to
3,000 characters), and no title can break out of it. The DM, not the command's channel:
the voters' ids are for organizers, and the command may come from a conversation the bot
is not in.
"""

from __future__ import annotations

import csv
import io
import logging
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.timefmt import clock
from bot.unconference import export_csv
from handlers.blocks import escape, section
from handlers.common import SORRY, Reply, reply
from handlers.unconf_common import Followup, Unconf

logger = logging.getLogger(__name__)

# Excel reads a CSV without a byte order mark as the local code page, garbling emoji and
# right-to-left titles; with one it reads UTF-8. Other spreadsheets ignore it.
BOM = "\ufeff"


def export_reply(ctx: Unconf, user: str, respond: Any) -> tuple[Reply, Followup | None]:
    """Build the CSV now (so the count is exact) and send it once the command is answered."""
    with ctx.db() as db:
        text = export_csv(db)
    count = sum(1 for _ in csv.reader(io.StringIO(text))) - 1
    noun = "proposal" if count == 1 else "proposals"
    note = (
        f"📤 Sending you the CSV of {count} {noun} (every status, with votes and voters) in a direct message…"
    )
    return reply([section(note)], note), lambda: ctx.later(send_csv, ctx, user, text, count, respond)


def send_csv(ctx: Unconf, user: str, text: str, count: int, respond: Any) -> None:
    """Upload the CSV into the organizer's DM with the bot; say so if Slack refuses."""
    zone, now = ctx.services.workshop.timezone, ctx.now()
    try:
        channel = ctx.client.conversations_open(users=user)["channel"]["id"]
        ctx.client.files_upload_v2(
            channel=channel,
            content=BOM + text,
            filename=f"unconference-proposals-{now.astimezone(zone):%Y-%m-%d-%H%M}.csv",
            title="Unconference proposals",
            initial_comment=(
                f"📤 *Unconference proposals*: {count}, every status, with votes and voters "
                f"(exported {escape(clock(now, zone))})."
            ),
        )
        logger.info("sent the unconference CSV (%d proposals, %d bytes) to %s", count, len(text), user)
    except SlackApiError as exc:
        error, needed = exc.response.get("error", "unknown_error"), exc.response.get("needed")
        logger.warning("sending the unconference CSV to %s failed: %s %s", user, error, needed or "")
        if error == "missing_scope":
            message = (
                f"I can't send files yet: this Slack app lacks the `{needed or 'im:write'}` permission. "
                "Add it to the app and reinstall it."
            )
        else:
            message = f"Sorry, I couldn't send the CSV (Slack said `{escape(str(error))}`). Please try again."
        respond(response_type="ephemeral", replace_original=False, text=message)
    except Exception:
        logger.exception("sending the unconference CSV to %s failed", user)
        respond(response_type="ephemeral", replace_original=False, text=SORRY)
