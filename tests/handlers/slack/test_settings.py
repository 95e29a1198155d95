"""Slack's settings: its token shapes and member ids, each bad value with where to copy the
right one from, and secrets never echoed."""

from __future__ import annotations

import pytest

from bot.settings import SettingsError
from handlers.slack.settings import parse_slack_settings


def test_nothing_set_means_no_slack():
    settings = parse_slack_settings({})
    assert not settings.configured and settings.api_url == "https://slack.com/api/"
    assert settings.missing_for_socket_mode() == ["SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"]


def test_channels_and_organizers():
    settings = parse_slack_settings({"ANNOUNCE_CHANNEL": "C0123", "ORGANIZER_IDS": "U01ABCDEF, W02XYZ"})
    assert settings.announce_channel == "C0123"
    assert (
        settings.is_organizer("U01ABCDEF")
        and settings.is_organizer("W02XYZ")
        and not settings.is_organizer("U9")
    )


def test_each_bad_value_gets_its_own_fix():
    with pytest.raises(SettingsError) as caught:
        parse_slack_settings(
            {
                "SLACK_BOT_TOKEN": "xoxp-user-token",
                "ORGANIZER_IDS": "U01ABCDEF, alice",
                "SLACK_API_URL": "slack.com",
            }
        )
    problems = "\n".join(caught.value.problems)
    assert "SLACK_BOT_TOKEN should start with 'xoxb-'" in problems
    assert "ORGANIZER_IDS has alice" in problems
    assert "SLACK_API_URL='slack.com' should be an http(s) URL" in problems
    assert len(caught.value.problems) == 3


def test_secrets_stay_out_of_repr_and_errors():
    secret = "0123456789abcdef0123456789abcdef"
    settings = parse_slack_settings({"SLACK_BOT_TOKEN": "xoxb-secret-value", "SLACK_SIGNING_SECRET": secret})
    assert "xoxb-secret-value" not in repr(settings) and secret not in repr(settings)
    with pytest.raises(SettingsError) as caught:
        parse_slack_settings(
            {"SLACK_SIGNING_SECRET": "not-a-secret-zzzz", "SLACK_APP_TOKEN": "bad-app-token-value"}
        )
    assert "not-a-secret-zzzz" not in str(caught.value) and "bad-app-token-value" not in str(caught.value)
