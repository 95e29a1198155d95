"""The core's configuration, read once from the environment (and ``.env``) into a typed
object. Each platform reads its own settings (tokens, channels, organizers) beside its
adapter, from the same environment.

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
    """Everything the core is configured with."""

    schedule_path: Path = Path("schedule_data")
    database_url: str = DEFAULT_URL
    awair_now: datetime | None = None
    port: int = 3000
    public_base_url: str | None = None
    announce_lead_minutes: int = 5
    announce_lead_by_kind: Mapping[Kind, int] = field(default_factory=dict)
    announce_kinds: frozenset[Kind] = frozenset(k for k in Kind if k is not Kind.MEAL)
    announce_grace_minutes: int = 10
    announce_claim_timeout_seconds: int = 300
    vote_budget: int = 3
    proposals_per_person: int = 3  # open proposals one person may have at once
    proposals_close_at: datetime | None = None
    watch_schedule: bool = True
    log_level: str = "INFO"
    # The lobby board: when set, /board and /day want it as ?token=.
    board_token: str | None = field(default=None, repr=False)
    # Other tools' schedules (issue 15): the zone, and a live schedule from a URL.
    schedule_timezone: ZoneInfo | None = None
    schedule_url: str | None = None
    schedule_cache_path: Path = Path("schedule-cache")
    schedule_poll_seconds: int = 300
    # Operations (issue 13): log lines as text or as JSON objects.
    log_format: str = "text"


DEFAULTS = Settings()


def read_environment(
    environ: Mapping[str, str] | None = None, env_file: str | Path | None = ".env"
) -> dict[str, str]:
    """``environ`` (default: the process environment) over ``env_file``: the real
    environment wins over ``.env``. Every platform's settings are read from this. Raises
    ``SettingsError`` when ``env_file`` is not UTF-8 text."""
    values: dict[str, str] = {}
    if env_file and Path(env_file).is_file():
        try:
            values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
        except UnicodeDecodeError as exc:
            # An editor that saved it as Latin-1 or UTF-16 ("Zoë" in a channel name).
            raise SettingsError(
                [f"{env_file} is not UTF-8 text (byte {exc.start + 1} is not); save it as UTF-8."]
            ) from None
    values.update(os.environ if environ is None else environ)
    return values


def load_settings(environ: Mapping[str, str] | None = None, env_file: str | Path | None = ".env") -> Settings:
    """The core's settings from ``environ`` over ``env_file``. Raises ``SettingsError``."""
    return parse_settings(read_environment(environ, env_file))


class Reader:
    """Reads typed values from an environment, collecting a sentence per problem."""

    def __init__(self, env: Mapping[str, str]):
        self.env = env
        self.problems: list[str] = []

    def get(self, name: str) -> str | None:
        """The trimmed value, or None when unset or empty."""
        value = self.env.get(name, "").strip()
        return value or None

    def integer(self, name: str, default: int, low: int, high: int) -> int:
        """A whole number within bounds."""
        raw = self.get(name)
        if raw is None:
            return default
        # ASCII digits, as every number the bot reads; more than 12 is out of any bound, and
        # int() refuses a few thousand digits with a traceback.
        if not re.fullmatch(r"-?[0-9]{1,12}", raw) or not low <= int(raw) <= high:
            self.problems.append(f"{name}='{raw}' should be a whole number from {low} to {high}.")
            return default
        return int(raw)

    def instant(self, name: str) -> datetime | None:
        """An ISO 8601 instant with its offset."""
        raw = self.get(name)
        if raw is None:
            return None
        try:
            value = datetime.fromisoformat(raw)
        except ValueError:
            value = None
        if value is None or value.tzinfo is None:
            self.problems.append(
                f"{name}='{raw}' should be an ISO 8601 instant with its offset, e.g. 2023-08-05T10:45:00-07:00."
            )
            return None
        return value

    def url(self, name: str, default: str, example: str) -> str:
        """An http(s) URL, ending with a slash."""
        value = self.get(name) or default
        if not re.match(r"^https?://", value):
            self.problems.append(f"{name}='{value}' should be an http(s) URL such as {example}.")
        return value if value.endswith("/") else value + "/"


def parse_settings(env: Mapping[str, str]) -> Settings:
    """The core's settings from an environment mapping. Raises ``SettingsError``."""
    reader = Reader(env)
    problems, get, integer, instant = reader.problems, reader.get, reader.integer, reader.instant

    lead_by_kind = _kind_minutes(get("ANNOUNCE_LEAD_BY_KIND"), problems)
    kinds = _kinds(get("ANNOUNCE_KINDS"), problems)
    db_url = normalise_url(get("DATABASE_URL") or DEFAULT_URL)
    if not re.match(r"^(sqlite|postgresql\+psycopg)://", db_url):
        problems.append(
            "DATABASE_URL should be sqlite:///path.sqlite3 or postgresql://user:password@host/db."
        )

    d = DEFAULTS
    settings = Settings(
        schedule_path=Path(get("SCHEDULE_PATH") or d.schedule_path),
        database_url=db_url,
        awair_now=instant("AWAIR_NOW"),
        port=integer("PORT", d.port, 1, 65535),
        public_base_url=_public_url(get("PUBLIC_BASE_URL"), problems),
        announce_lead_minutes=integer("ANNOUNCE_LEAD_MINUTES", d.announce_lead_minutes, 0, MAX_LEAD_MINUTES),
        announce_lead_by_kind=lead_by_kind,
        announce_kinds=kinds,
        announce_grace_minutes=integer("ANNOUNCE_GRACE_MINUTES", d.announce_grace_minutes, 0, 24 * 60),
        announce_claim_timeout_seconds=integer(
            "ANNOUNCE_CLAIM_TIMEOUT_SECONDS", d.announce_claim_timeout_seconds, 2, 24 * 3600
        ),
        vote_budget=integer("UNCONF_VOTE_BUDGET", d.vote_budget, 1, 100),
        proposals_per_person=integer("UNCONF_PROPOSALS_PER_PERSON", d.proposals_per_person, 1, 100),
        proposals_close_at=instant("UNCONF_PROPOSALS_CLOSE_AT"),
        watch_schedule=(get("WATCH_SCHEDULE") or "true").lower() not in ("0", "false", "no", "off"),
        log_level=_log_level(get("LOG_LEVEL"), problems),
    )

    # --- The lobby board ---------------------------------------------------------------
    board_token = get("BOARD_TOKEN")
    if board_token and not re.fullmatch(r"[A-Za-z0-9._~-]{16,200}", board_token):
        problems.append(
            "BOARD_TOKEN should be 16 to 200 letters, digits or - _ . ~ (it goes in the board's URL "
            "as ?token=); for example the output of: python3 -c 'import secrets; print(secrets.token_urlsafe(24))'."
        )
        board_token = None
    settings = replace(settings, board_token=board_token)

    settings = _schedule_source(settings, get, integer, problems)
    settings = _operations(settings, get, problems)
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
        except (ZoneInfoNotFoundError, ValueError, OSError):  # "America" is a folder of zones
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
        schedule_cache_path=Path(get("SCHEDULE_CACHE_PATH") or DEFAULTS.schedule_cache_path),
        schedule_poll_seconds=integer("SCHEDULE_POLL_SECONDS", DEFAULTS.schedule_poll_seconds, 30, 24 * 3600),
    )


LOG_FORMATS = ("text", "json")


def _operations(settings: Settings, get, problems: list[str]) -> Settings:
    """How the bot reports on itself: the log format."""
    raw = get("LOG_FORMAT")
    fmt = (raw or DEFAULTS.log_format).lower()
    if fmt not in LOG_FORMATS:
        problems.append(f"LOG_FORMAT='{raw[:40]}' should be text or json.")
        fmt = DEFAULTS.log_format
    return replace(settings, log_format=fmt)


def _kind_names() -> str:
    return ", ".join(k.value for k in Kind)


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# A lead longer than a day would put every announcement before its session was planned.
MAX_LEAD_MINUTES = 24 * 60


def _log_level(raw: str | None, problems: list[str]) -> str:
    level = (raw or DEFAULTS.log_level).upper()
    if level not in LOG_LEVELS:
        problems.append(f"LOG_LEVEL='{raw}' should be one of {', '.join(LOG_LEVELS)}.")
        return DEFAULTS.log_level
    return level


def _public_url(raw: str | None, problems: list[str]) -> str | None:
    """An http(s) URL with a host and nothing a link could be broken by, without its last /."""
    if raw is None:
        return None
    if not re.fullmatch(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*)?", raw):
        problems.append(
            f"PUBLIC_BASE_URL='{raw[:80]}' should be the bot's public http(s) address, "
            "e.g. https://awair-bot.example.org (it goes into links)."
        )
        return None
    return raw.rstrip("/")


def _kind_minutes(raw: str | None, problems: list[str]) -> dict[Kind, int]:
    """'reading=10, talk=5' -> {Kind.READING: 10, Kind.TALK: 5}, each within 0 to a day."""
    result: dict[Kind, int] = {}
    for part in filter(None, (p.strip() for p in (raw or "").split(","))):
        name, _, minutes = part.partition("=")
        try:
            kind = Kind(name.strip().lower())
        except ValueError:
            problems.append(
                f"ANNOUNCE_LEAD_BY_KIND: '{part}' should be kind=minutes with a kind from {_kind_names()}."
            )
            continue
        if not re.fullmatch(r"[0-9]{1,12}", minutes.strip()) or int(minutes) > MAX_LEAD_MINUTES:
            problems.append(
                f"ANNOUNCE_LEAD_BY_KIND: '{part}' should give whole minutes from 0 to {MAX_LEAD_MINUTES}, "
                "as ANNOUNCE_LEAD_MINUTES does."
            )
            continue
        result[kind] = int(minutes)
    return result


def _kinds(raw: str | None, problems: list[str]) -> frozenset[Kind]:
    """'talk, reading, meal' -> those kinds; unset means every kind but meals and breaks."""
    if raw is None:
        return DEFAULTS.announce_kinds
    return kinds_setting("ANNOUNCE_KINDS", raw, problems)


def kinds_setting(setting: str, raw: str, problems: list[str]) -> frozenset[Kind]:
    """A setting that lists session kinds ('talk, reading' or 'all') -> those kinds; each
    unknown name is a problem naming ``setting`` and the kinds there are."""
    kinds: set[Kind] = set()
    for name in filter(None, (p.strip().lower() for p in raw.split(","))):
        if name == "all":
            kinds.update(Kind)
            continue
        try:
            kinds.add(Kind(name))
        except ValueError:
            problems.append(f"{setting}: '{name[:30]}' is not a kind; use some of {_kind_names()} (or all).")
    return frozenset(kinds)
