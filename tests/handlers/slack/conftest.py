"""Handler tests: the real app from the factory, a fake Slack, and the spec check after each test."""

from __future__ import annotations

import pytest

from tests.bot.conftest import pt
from tests.support.harness import SlackHarness
from tests.support.slack_spec import spec_checked_slack


@pytest.fixture
def fake_slack():
    """A fake Slack Web API on an ephemeral loopback port; every call it recorded is checked
    against Slack's own method spec when the test ends."""
    with spec_checked_slack() as fake:
        yield fake


@pytest.fixture
def slack(fake_slack) -> SlackHarness:
    """The bot at 10:45 on the workshop's Saturday, between the first talk and Misalignment."""
    return SlackHarness(fake_slack, pt("2023-08-05 10:45"))
