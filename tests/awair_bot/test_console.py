"""The local console: the same core, plain text, no Slack."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from awair_bot.console import answer, run_console
from tests.support.harness import REPO


def run_process(stdin: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``awair-bot run`` as a process, with no Slack variables at all."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "AWAIR_", "DATABASE_URL"))}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-m", "awair_bot", "run"],
        input=stdin, capture_output=True, text=True, env=clean, cwd=REPO, timeout=60,
    )  # fmt: skip


def test_echo_next_at_a_saturday_instant_prints_what_is_on_and_next(tmp_path: Path):
    result = run_process(
        "/next\n", AWAIR_NOW="2023-08-05T10:45:00-07:00", DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(
        "Break: nothing on until 11:00 PT (in 15 min).\nNext: 11:00 PT (in 15 min)\n  📕 Misalignment"
    )
    assert "no Slack tokens set" in result.stderr and "SLACK_BOT_TOKEN" in result.stderr


def test_console_ends_at_end_of_input_and_answers_each_line(tmp_path: Path):
    result = run_process(
        "/next\n/schedule sunday\n/readings debate\n/next eleven\n/nope\n",
        AWAIR_NOW="2023-08-06T13:40:00-07:00",
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
    )
    out = result.stdout
    assert "💬 AI Takeover  (13:30-14:30 PT, ends in 50 min)" in out
    assert "Sun 6 Aug: Alignment Workshop" in out
    assert "AI safety via debate (Geoffrey Irving et al., 2018)" in out
    assert (
        "I didn't understand eleven: N is a whole number from 1 to 10." in out and "Usage: /next [N]" in out
    )
    assert "I don't know /nope. Try one of: /next" in out
    assert result.returncode == 0


def test_answer_in_process(awair_services):
    assert "Now:" in answer(awair_services, "next")
    out = io.StringIO()
    assert run_console(awair_services, io.StringIO("/awair\nquit\n/next\n"), out) == 0
    assert "awair-bot: the schedule and readings" in out.getvalue()
    assert "Now:" not in out.getvalue()  # nothing after quit runs


def test_a_real_pentabarf_export_runs_the_console_with_schedule_timezone(tmp_path: Path):
    result = run_process(
        "/next\n",
        SCHEDULE_PATH=str(REPO / "tests" / "bot" / "formats" / "corpus" / "fosdem-2024.xml"),
        SCHEDULE_TIMEZONE="Europe/Brussels",
        AWAIR_NOW="2024-02-03T09:20:00+01:00",
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(
        "FOSDEM 2024 starts Sat 3 Feb at 10:30 CET (in 1 h 10 min).\nNext: 10:30 CET (in 1 h 10 min) (18 in parallel)"
    )
