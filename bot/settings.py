"""Configuration, read once from the environment (and ``.env``) into a typed object.

Every setting is documented in ``.env.example``. Each missing or malformed value gets a
message that says how to fix it; secrets are never echoed back.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values

from bot.db.engine import DEFAULT_URL, normalise_url
from bot.schedule.model import Kind


class SettingsError(ValueError):
    """One or more settings are wrong; ``problems`` has one sentence for each."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Settings:
    """Everything the bot is configured with. Secrets are excluded from ``repr``."""

    slack_bot_token: str | None = field(default=None, repr=False)
    slack_signing_secret: str | None = field(default=None, repr=False)
    slack_app_token: str | None = field(default=None, repr=False)
    slack_api_url: str = "https://slack.com/api/"
    schedule_path: Path = Path("schedule_data")
    database_url: str = DEFAULT_URL
    awair_now: datetime | None = None
    announce_channel: str | None = None
    unconference_channel: str | None = None
    organizer_ids: frozenset[str] = frozenset()
    port: int = 3000
    public_base_url: str | None = None
    announce_lead_minutes: int = 5
    announce_lead_by_kind: Mapping[Kind, int] = field(default_factory=dict)
    announce_kinds: frozenset[Kind] = frozenset(k for k in Kind if k is not Kind.MEAL)
    announce_grace_minutes: int = 10
    announce_claim_timeout_seconds: int = 300
    vote_budget: int = 3
    proposals_close_at: datetime | None = None
    watch_schedule: bool = True
    log_level: str = "INFO"
    # Other tools' schedules (issue 15): the zone, and a live schedule from a URL.
    schedule_timezone: ZoneInfo | None = None
    schedule_url: str | None = None
    schedule_cache_path: Path = Path("schedule-cache")
    schedule_poll_seconds: int = 300

    @property
    def has_any_slack(self) -> bool:
        """Whether any Slack credential is set at all."""
        return any((self.slack_bot_token, self.slack_signing_secret, self.slack_app_token))

    def missing_for_socket_mode(self) -> list[str]:
        """Variables Socket Mode still needs."""
        return [
            n
            for n, v in (
                ("SLACK_BOT_TOKEN", self.slack_bot_token),
                ("SLACK_APP_TOKEN", self.slack_app_token),
            )
            if not v
        ]

    def missing_for_http(self) -> list[str]:
        """Variables HTTP mode still needs."""
        pairs = (
            ("SLACK_BOT_TOKEN", self.slack_bot_token),
            ("SLACK_SIGNING_SECRET", self.slack_signing_secret),
        )
        return [n for n, v in pairs if not v]

    def is_organizer(self, user_id: str) -> bool:
        """Whether ``user_id`` may use organizer commands."""
        return user_id in self.organizer_ids


_SLACK_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")


def load_settings(environ: Mapping[str, str] | None = None, env_file: str | Path | None = ".env") -> Settings:
    """Read settings from ``environ`` (default: the process environment) over ``env_file``.

    Values in the real environment win over ``.env``. Raises ``SettingsError``.
    """
    values: dict[str, str] = {}
    if env_file and Path(env_file).is_file():
        values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    values.update(os.environ if environ is None else environ)
    return _parse(values)


def _parse(env: Mapping[str, str]) -> Settings:
    problems: list[str] = []

    def get(name: str) -> str | None:
        value = env.get(name, "").strip()
        return value or None

    def token(name: str, prefix: str, where: str) -> str | None:
        value = get(name)
        if value and not value.startswith(prefix):
            problems.append(f"{name} should start with '{prefix}'; copy it from {where}.")
        return value

    def integer(name: str, default: int, low: int, high: int) -> int:
        raw = get(name)
        if raw is None:
            return default
        if not re.fullmatch(r"-?\d+", raw) or not low <= int(raw) <= high:
            problems.append(f"{name}='{raw}' should be a whole number from {low} to {high}.")
            return default
        return int(raw)

    def instant(name: str) -> datetime | None:
        raw = get(name)
        if raw is None:
            return None
        try:
            value = datetime.fromisoformat(raw)
        except ValueError:
            value = None
        if value is None or value.tzinfo is None:
            problems.append(
                f"{name}='{raw}' should be an ISO 8601 instant with its offset, e.g. 2023-08-05T10:45:00-07:00."
            )
            return None
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
            "SLACK_SIGNING_SECRET doesn't look like a signing secret; copy it from Basic Information > App Credentials."
        )

    api_url = get("SLACK_API_URL") or "https://slack.com/api/"
    if not re.match(r"^https?://", api_url):
        problems.append(f"SLACK_API_URL='{api_url}' should be an http(s) URL such as https://slack.com/api/.")
    api_url = api_url if api_url.endswith("/") else api_url + "/"

    organizers = frozenset(x for x in re.split(r"[\s,]+", get("ORGANIZER_IDS") or "") if x)
    bad = sorted(x for x in organizers if not _SLACK_ID.match(x))
    if bad:
        problems.append(
            f"ORGANIZER_IDS has {', '.join(bad)}: use Slack member IDs such as U01ABCDEF "
            "(profile > ⋮ > Copy member ID), separated by commas."
        )

    lead_by_kind = _kind_minutes(get("ANNOUNCE_LEAD_BY_KIND"), problems)
    kinds = _kinds(get("ANNOUNCE_KINDS"), problems)
    db_url = normalise_url(get("DATABASE_URL") or DEFAULT_URL)
    if not re.match(r"^(sqlite|postgresql\+psycopg)://", db_url):
        problems.append(
            "DATABASE_URL should be sqlite:///path.sqlite3 or postgresql://user:password@host/db."
        )

    settings = Settings(
        slack_bot_token=bot_token,
        slack_signing_secret=signing_secret,
        slack_app_token=app_token,
        slack_api_url=api_url,
        schedule_path=Path(get("SCHEDULE_PATH") or "schedule_data"),
        database_url=db_url,
        awair_now=instant("AWAIR_NOW"),
        announce_channel=get("ANNOUNCE_CHANNEL"),
        unconference_channel=get("UNCONFERENCE_CHANNEL"),
        organizer_ids=organizers,
        port=integer("PORT", 3000, 1, 65535),
        public_base_url=(get("PUBLIC_BASE_URL") or "").rstrip("/") or None,
        announce_lead_minutes=integer("ANNOUNCE_LEAD_MINUTES", 5, 0, 24 * 60),
        announce_lead_by_kind=lead_by_kind,
        announce_kinds=kinds,
        announce_grace_minutes=integer("ANNOUNCE_GRACE_MINUTES", 10, 0, 24 * 60),
        announce_claim_timeout_seconds=integer("ANNOUNCE_CLAIM_TIMEOUT_SECONDS", 300, 2, 24 * 3600),
        vote_budget=integer("UNCONF_VOTE_BUDGET", 3, 1, 100),
        proposals_close_at=instant("UNCONF_PROPOSALS_CLOSE_AT"),
        watch_schedule=(get("WATCH_SCHEDULE") or "true").lower() not in ("0", "false", "no", "off"),
        log_level=(get("LOG_LEVEL") or "INFO").upper(),
    )
    settings = _schedule_source(settings, get, integer, problems)
    if problems:
        raise SettingsError(problems)
    return settings


def _schedule_source(settings: Settings, get, integer, problems: list[str]) -> Settings:
    """The settings for other tools' schedules: their zone, and a URL to poll."""
    zone = None
    raw_zone = get("SCHEDULE_TIMEZONE")
    if raw_zone:
        try:
            zone = ZoneInfo(raw_zone)
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(
                f"SCHEDULE_TIMEZONE='{raw_zone}' is not a time zone; use an IANA name such as "
                "Europe/Berlin or America/New_York."
            )
    url = get("SCHEDULE_URL")
    if url and not re.match(r"^https?://[^\s/]+", url):
        problems.append(
            f"SCHEDULE_URL='{url}' should be the http(s) address of a pretalx, frab, Sessionize or "
            "calendar export, e.g. https://pretalx.example.org/conf/schedule/export/schedule.json."
        )
    return replace(
        settings,
        schedule_timezone=zone,
        schedule_url=url,
        schedule_cache_path=Path(get("SCHEDULE_CACHE_PATH") or "schedule-cache"),
        schedule_poll_seconds=integer("SCHEDULE_POLL_SECONDS", 300, 30, 24 * 3600),
    )


def _kind_names() -> str:
    return ", ".join(k.value for k in Kind)


def _kind_minutes(raw: str | None, problems: list[str]) -> dict[Kind, int]:
    """'reading=10, talk=5' -> {Kind.READING: 10, Kind.TALK: 5}."""
    result: dict[Kind, int] = {}
    for part in filter(None, (p.strip() for p in (raw or "").split(","))):
        name, _, minutes = part.partition("=")
        try:
            result[Kind(name.strip().lower())] = int(minutes)
        except ValueError:
            problems.append(
                f"ANNOUNCE_LEAD_BY_KIND: '{part}' should be kind=minutes with a kind from {_kind_names()}."
            )
    return result


def _kinds(raw: str | None, problems: list[str]) -> frozenset[Kind]:
    """'talk, reading, meal' -> those kinds; unset means every kind but meals and breaks."""
    if raw is None:
        return frozenset(k for k in Kind if k is not Kind.MEAL)
    kinds = set()
    for name in filter(None, (p.strip().lower() for p in raw.split(","))):
        if name == "all":
            kinds.update(Kind)
            continue
        try:
            kinds.add(Kind(name))
        except ValueError:
            problems.append(f"ANNOUNCE_KINDS: '{name}' is not a kind; use some of {_kind_names()} (or all).")
    return frozenset(kinds)
