"""The CSV export: every proposal with its votes, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

import pytest

from bot.unconference import export_csv, merge, propose, toggle_vote, withdraw
from bot.unconference.export import COLUMNS, safe_cell
from tests.bot.unconference.conftest import NOW


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("plain = fine", "plain = fine"),
        ("", ""),
        (None, ""),
        (7, "7"),
    ],
)
def test_formula_like_cells_get_a_leading_apostrophe(value, cell):
    assert safe_cell(value) == cell


def test_every_proposal_with_its_votes_and_voters(db):
    a = propose(db, "U1", "Ann", "=cmd|' /C calc'!A0", 'line one\nline two, "quoted"', NOW, None)
    b = propose(db, "U2", "-Bob", "Second <@U123>", "", NOW, None)
    c = propose(db, "U3", "Cy", "Third", "", NOW, None)
    d = propose(db, "U4", "Dee", "Fourth", "", NOW, None)
    a, b, c, d = (r.proposal.number for r in (a, b, c, d))
    for user in ("V1", "V2"):
        toggle_vote(db, user, a, 3, NOW)
    toggle_vote(db, "V3", c, 3, NOW)
    toggle_vote(db, "V4", d, 3, NOW)
    withdraw(db, "U3", c, NOW)
    merge(db, d, a, NOW)

    text = export_csv(db)
    assert text.splitlines()[0] == ",".join(COLUMNS)
    table = rows(text)
    assert [r["number"] for r in table] == [str(n) for n in (a, b, c, d)]
    first = table[0]
    assert first["title"] == "'=cmd|' /C calc'!A0"
    assert first["description"] == 'line one\nline two, "quoted"'
    assert (first["votes"], first["voter_ids"], first["status"]) == ("3", "V1 V2 V4", "open")
    assert first["created_at"] == "2023-08-05T16:00:00+00:00"
    assert table[1]["author_name"] == "'-Bob"
    assert table[1]["title"] == "Second <@U123>"
    assert (table[2]["status"], table[2]["votes"]) == ("withdrawn", "0")
    assert (table[3]["status"], table[3]["merged_into"]) == ("merged", str(a))


def test_an_empty_export_has_the_header_only(db):
    assert export_csv(db) == ",".join(COLUMNS) + "\r\n"
