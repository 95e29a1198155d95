"""What a second newcomer's trial found (issue 14): each case as the person at the console
sees it, on the embedded database."""

from __future__ import annotations

import csv
import io

import pytest

from awair_bot.console import Console, console_platform
from awair_bot.wiring import build_services
from bot.bidi import balanced_bidi
from bot.clock import ManualClock
from bot.settings import Settings
from handlers.console.files import ConsoleFiles
from tests.bot.conftest import pt
from tests.support.harness import REPO, InlineExecutor


@pytest.fixture
def services(tmp_path):
    settings = Settings(schedule_path=REPO / "schedule_data", database_url=f"sqlite:///{tmp_path}/c.sqlite3")
    made = build_services(settings, clock=ManualClock(pt("2023-08-05 10:54")))
    made.background = InlineExecutor()
    return made


def test_a_digit_that_is_not_ascii_is_not_a_choice_and_nothing_crashes(services):
    console = Console(services)
    assert console.answer("/propose Evals that bite").endswith("[1] Vote for #1")
    for typed in ("²", "٣", "３"):
        assert "I don't know" in console.answer(typed)  # a word, not a number: the usual answer


def test_a_number_with_nothing_offered_says_so(services):
    console = Console(services)
    console.answer("/readings")  # /next offers its sessions' Add to my agenda now
    assert console.answer("1") == "There is nothing to choose just now: type a command, or /help."


def test_a_published_title_cannot_leave_an_override_open_anywhere(services):
    title = "abc\u2069\u202eevil title"
    console = Console(services)
    console.answer(f"/propose {title}")
    console.answer("1")  # vote
    services.clock.set(pt("2023-08-06 10:00"))
    assert "[1] Publish this plan" in console.answer("/unconf plan")
    published = console.answer("1")
    services.clock.set(pt("2023-08-06 16:05"))
    for text in (published, console.answer("/schedule sun unconference"), console.answer("/next")):
        line = next(part for part in text.splitlines() if "evil title" in part)
        assert "\u202e" in line and balanced_bidi(line) == line, ascii(line)


@pytest.mark.parametrize(
    "title",
    [
        "\u200b\u200b\u200b\u200b",
        "\u00ad\u00ad\u00ad\u00ad",
        "\u2800\u2800\u2800",
        "\u3164\u3164\u3164",
        "\ufeff\ufeff\ufeff",
    ],
)
def test_a_title_that_draws_nothing_is_refused(services, title):
    console = Console(services)
    assert console.answer(f"/propose {title}").startswith(
        "A title needs at least 3 visible characters.\nUsage"
    )
    assert "No proposals yet" in console.answer("/proposals") or "#1" not in console.answer("/proposals")


def test_a_line_separator_is_a_line_break_in_a_title(services):
    said = Console(services).answer("/propose one\u2028two lines")
    assert said.startswith("A title can't contain control characters such as NUL or line breaks.")


@pytest.mark.parametrize("words", ["(.*)+ [ \\", "!!!", "x" * 201])
def test_schedule_search_needs_words_of_a_sane_length(services, words):
    said = Console(services).answer(f"/schedule {words}")
    assert said.splitlines()[-1].startswith("`/schedule ics`") or "Usage" in said
    assert "matching" not in said and words not in said


def test_the_console_writes_the_export_and_the_calendar_where_it_runs(services, tmp_path):
    out = io.StringIO()
    console_platform(services, ConsoleFiles(tmp_path, out))
    console = Console(services)
    console.answer("/propose Q&A on RLHF")
    assert console.answer("/unconf export") == "Writing the CSV of 1 proposal…"
    assert console.answer("/unconf export") == "Writing the CSV of 1 proposal…"
    saved = sorted(tmp_path.glob("unconference-proposals-*.csv"))
    assert len(saved) == 2  # a second export in the same minute does not overwrite the first
    rows = list(csv.reader(io.StringIO(saved[0].read_text(encoding="utf-8-sig"))))
    assert rows[1][1:2] == ["Q&A on RLHF"] or "Q&A on RLHF" in rows[1]
    assert f"Saved to {saved[0]}" in out.getvalue()
    assert console.answer("/schedule ics") == "Writing the calendar…"
    assert any(p.suffix == ".ics" for p in tmp_path.iterdir())
    assert "/unconf export" in console.answer("/awair")


def test_once_the_block_has_started_proposals_offer_no_votes(services):
    console = Console(services)
    console.answer("/propose Evals that bite")
    services.clock.set(pt("2023-08-06 16:05"))
    listed = console.answer("/proposals")
    assert "Voting closed when the unconference block started at 16:00" in listed
    assert "Type a number" not in listed and "Vote for" not in listed
    assert "Type a number" not in console.answer("/proposals mine")
