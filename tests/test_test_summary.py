"""Without TEST_DATABASE_URL the summary says once that the PostgreSQL tests were not run,
not once a test (issue 14, item 19)."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.support.harness import REPO


def test_the_missing_postgresql_is_said_once():
    env = {k: v for k, v in os.environ.items() if k != "TEST_DATABASE_URL"}
    test = "tests/bot/commands/test_arguments.py::test_a_malformed_withdrawal_is_never_a_proposal"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-n", "0", "-p", "no:cacheprovider", test],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-2000:]
    assert result.stdout.count("TEST_DATABASE_URL is not set") == 1
    assert "SKIPPED" not in result.stdout and "5 passed" in result.stdout
