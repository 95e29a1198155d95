"""Slack's settings: tokens, the Web API's address, channels and organizers, each checked
for Slack's own shapes (``xoxb-``, ``xapp-``, member ids) with a message that says where to
copy the right value from. Secrets are excluded from ``repr`` and never echoed."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.settings import Reader, SettingsError

DEFAULT_API_URL = "https://slack.com/api/"
# A member id as Slack writes it (U… for people, W… on Enterprise Grid).
MEMBER_ID = re.compile(r"[UW][A-Z0-9]{1,30}")


@dataclass(frozen=True)
class SlackSettings:
    """Everything Slack needs."""

    bot_token: str | None = field(default=None, repr=False)
    signing_secret: str | None = field(default=None, repr=False)
    app_token: str | None = field(default=None, repr=False)
    api_url: str = DEFAULT_API_URL
    announce_channel: str | None = None
    unconference_channel: str | None = None
    organizer_ids: frozenset[str] = frozenset()

    @property
    def configured(self) -> bool:
        """Whether any Slack credential is set at all."""
        return any((self.bot_token, self.signing_secret, self.app_token))

    def missing_for_socket_mode(self) -> list[str]:
        """Variables Socket Mode still needs."""
        return [
            n for n, v in (("SLACK_BOT_TOKEN", self.bot_token), ("SLACK_APP_TOKEN", self.app_token)) if not v
        ]

    def missing_for_http(self) -> list[str]:
        """Variables HTTP mode still needs."""
        pairs = (("SLACK_BOT_TOKEN", self.bot_token), ("SLACK_SIGNING_SECRET", self.signing_secret))
        return [n for n, v in pairs if not v]

    def is_organizer(self, user_id: str) -> bool:
        """Whether this Slack member may use organizer commands."""
        return user_id in self.organizer_ids


def parse_slack_settings(env: Mapping[str, str]) -> SlackSettings:
    """Slack's settings from an environment mapping. Raises ``SettingsError``."""
    reader = Reader(env)
    problems, get = reader.problems, reader.get

    def token(name: str, prefix: str, where: str) -> str | None:
        value = get(name)
        if value and not value.startswith(prefix):
            problems.append(f"{name} should start with '{prefix}'; copy it from {where}.")
        return value

    bot_token = token(
        "SLACK_BOT_TOKEN", "xoxb-", "your app's OAuth & Permissions page (Bot User OAuth Token)"
    )
    app_token = token(
        "SLACK_APP_TOKEN", "xapp-", "Basic Information > App-Level Tokens (scope connections:write)"
    )
    signing_secret = get("SLACK_SIGNING_SECRET")
    if signing_secret and not re.fullmatch(r"[0-9a-fA-F]{16,}", signing_secret):
        problems.append(
            "SLACK_SIGNING_SECRET doesn't look like a signing secret (a string of hex digits, 32 in Slack's); "
            "copy it from Basic Information > App Credentials."
        )
    api_url = reader.url("SLACK_API_URL", DEFAULT_API_URL, DEFAULT_API_URL)
    organizers = frozenset(x for x in re.split(r"[\s,]+", get("ORGANIZER_IDS") or "") if x)
    bad = sorted(x for x in organizers if not MEMBER_ID.fullmatch(x))
    if bad:
        problems.append(
            f"ORGANIZER_IDS has {', '.join(bad)}: use Slack member IDs such as U01ABCDEF "
            "(profile > ⋮ > Copy member ID), separated by commas."
        )
    settings = SlackSettings(
        bot_token=bot_token,
        signing_secret=signing_secret,
        app_token=app_token,
        api_url=api_url,
        announce_channel=get("ANNOUNCE_CHANNEL"),
        unconference_channel=get("UNCONFERENCE_CHANNEL"),
        organizer_ids=organizers,
    )
    if problems:
        raise SettingsError(problems)
    return settings
