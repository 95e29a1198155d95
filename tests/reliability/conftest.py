"""Reliability tests share the handler tier's fake Slack (with its spec check)."""

from tests.handlers.slack.conftest import fake_slack  # noqa: F401
