"""Every proposal with its votes as CSV, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.tables_unconf import Vote
from bot.unconference.views import ProposalView, fetch

COLUMNS = (
    "number",
    "title",
    "description",
    "author_id",
    "author_name",
    "status",
    "merged_into",
    "votes",
    "voter_ids",
    "created_at",
)

# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets
# (tab and carriage return too, per OWASP's CSV injection advice).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """``value`` as text; text that a spreadsheet would run as a formula gets a leading '."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def proposals_csv(proposals: Sequence[ProposalView], voters: Mapping[int, Sequence[str]]) -> str:
    """CSV of ``proposals`` (one row each) with the ids of their voters."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for p in proposals:
        row = (
            p.number,
            p.title,
            p.description,
            p.author_id,
            p.author_name,
            p.status.value,
            p.merged_into,
            p.votes,
            " ".join(voters.get(p.number, ())),
            p.created_at.isoformat(),
        )
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()


def export_csv(session: Session) -> str:
    """Every proposal (any status), by number, with its vote count and voters, as CSV."""
    proposals = sorted(fetch(session), key=lambda p: p.number)
    voters: dict[int, list[str]] = defaultdict(list)
    for proposal_id, user_id in session.execute(
        select(Vote.proposal_id, Vote.user_id).order_by(Vote.created_at, Vote.id)
    ):
        voters[proposal_id].append(user_id)
    return proposals_csv(proposals, voters)
