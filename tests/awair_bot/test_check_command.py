"""``awair-bot check`` locates errors, exits non-zero, and never prints a traceback."""

from __future__ import annotations

import subprocess
import sys

from tests.support.harness import REPO


def check(path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "awair_bot", "check", str(path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )


def test_the_shipped_schedule_passes():
    result = check("schedule_data")
    assert result.returncode == 0
    assert result.stdout.startswith(
        "schedule_data: OK: Alignment Workshop for AI Researchers (AWAIR), August 2023, 26 sessions over 2 days"
    )


def test_a_broken_day_is_located(tmp_path):
    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "workshop.yaml").write_text("name: W\ntimezone: America/Los_Angeles\n")
    (folder / "2023-08-05.yaml").write_text(
        "date: 2023-08-05\nsessions:\n  - {title: Misalignment, start: '11:00', end: '10:10', kind: reading}\n"
    )
    result = check(folder)
    assert result.returncode == 1
    assert (
        f"{folder}/2023-08-05.yaml:3: session 'Misalignment': end 10:10 is before start 11:00"
        in result.stderr
    )
    assert "Traceback" not in result.stderr


def test_a_missing_path_is_an_error_not_a_crash(tmp_path):
    result = check(tmp_path / "nowhere")
    assert (
        result.returncode == 1
        and "no schedule found at" in result.stderr
        and "Traceback" not in result.stderr
    )


def test_the_bot_refuses_to_start_on_an_invalid_schedule(tmp_path):
    (tmp_path / "workshop.yaml").write_text("name: W\ntimezone: Nowhere/Land\n")
    result = subprocess.run(
        [sys.executable, "-m", "awair_bot", "run"], input="/next\n", capture_output=True, text=True, cwd=REPO, timeout=60,
        env={"PATH": "/usr/bin:/bin", "SCHEDULE_PATH": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"},
    )  # fmt: skip
    assert result.returncode == 1
    assert (
        "is invalid, so the bot won't start" in result.stderr
        and "unknown time zone 'Nowhere/Land'" in result.stderr
    )
    assert result.stdout == ""


def test_half_configured_slack_says_what_is_missing(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "awair_bot", "run"], capture_output=True, text=True, cwd=tmp_path, timeout=60,
        env={"PATH": "/usr/bin:/bin", "SLACK_BOT_TOKEN": "xoxb-1-2-3", "SCHEDULE_PATH": str(REPO / "schedule_data")},
    )  # fmt: skip
    assert result.returncode == 2
    assert "Socket Mode needs SLACK_APP_TOKEN" in result.stderr
    assert "xoxb-1-2-3" not in result.stderr


def test_http_mode_without_a_signing_secret_refuses(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "awair_bot", "run", "--http"], capture_output=True, text=True, cwd=tmp_path, timeout=60,
        env={"PATH": "/usr/bin:/bin", "SCHEDULE_PATH": str(REPO / "schedule_data")},
    )  # fmt: skip
    assert result.returncode == 2
    assert "HTTP mode needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET" in result.stderr


def test_bad_settings_are_listed_without_a_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "awair_bot", "run"], capture_output=True, text=True, cwd=tmp_path, timeout=60,
        env={"PATH": "/usr/bin:/bin", "PORT": "eighty", "AWAIR_NOW": "yesterday"},
    )  # fmt: skip
    assert result.returncode == 2
    assert (
        "PORT='eighty' should be a whole number" in result.stderr and "AWAIR_NOW='yesterday'" in result.stderr
    )
    assert "Traceback" not in result.stderr
