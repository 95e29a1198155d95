"""The settings parsers fed any environment (and any ``.env`` file): typed settings within
their bounds, or a ``SettingsError`` with a sentence per problem, never a traceback at
start-up."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import example, given
from hypothesis import strategies as st

from bot.formats.zones import named_zone
from bot.schedule.model import Kind
from bot.settings import MAX_LEAD_MINUTES, Settings, SettingsError, load_settings, parse_settings
from handlers.discord.settings import DiscordSettings, parse_discord_settings
from handlers.slack.settings import SlackSettings, parse_slack_settings
from tests.properties.strategies import ANY_CHAR, AWKWARD, OTHER_DIGITS, huge, numbers

CORE = [
    "SCHEDULE_PATH", "DATABASE_URL", "AWAIR_NOW", "PORT", "PUBLIC_BASE_URL", "ANNOUNCE_LEAD_MINUTES",
    "ANNOUNCE_LEAD_BY_KIND", "ANNOUNCE_KINDS", "ANNOUNCE_GRACE_MINUTES", "ANNOUNCE_CLAIM_TIMEOUT_SECONDS",
    "UNCONF_VOTE_BUDGET", "UNCONF_PROPOSALS_PER_PERSON", "UNCONF_PROPOSALS_CLOSE_AT", "WATCH_SCHEDULE",
    "LOG_LEVEL", "BOARD_TOKEN", "SCHEDULE_TIMEZONE", "SCHEDULE_URL", "SCHEDULE_CACHE_PATH",
    "SCHEDULE_POLL_SECONDS",
]  # fmt: skip
SLACK = [
    "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_API_URL", "ORGANIZER_IDS",
    "ANNOUNCE_CHANNEL", "UNCONFERENCE_CHANNEL",
]  # fmt: skip
DISCORD = [
    "DISCORD_BOT_TOKEN", "DISCORD_GUILD_ID", "DISCORD_APPLICATION_ID", "DISCORD_PUBLIC_KEY", "DISCORD_API_URL",
    "DISCORD_ANNOUNCE_CHANNEL", "DISCORD_UNCONFERENCE_CHANNEL", "DISCORD_ORGANIZER_ROLE", "DISCORD_ORGANIZER_IDS",
    "DISCORD_ROOM_CHANNELS", "DISCORD_SCHEDULED_EVENTS", "DISCORD_SESSION_THREADS",
]  # fmt: skip
# Values shaped like the real ones, so the parsers get past their first check.
LIKELY = st.sampled_from(
    ["3000", "0", "-1", "65536", "1e3", " 5 ", "talk=5, reading=10", "reading=", "=5", "talk=-1", "all",
     "talk, meal", "TALK", "debug", "Info", "true", "off", "2023-08-05T10:45:00-07:00", "2023-08-05 10:45",
     "2023-08-05T10:45:00", "9999-12-31T23:59:59+14:00", "Europe/Berlin", "America", "../etc/passwd",
     "UTC", "Mars/Olympus", "posix/Europe/Berlin", "https://x.org/", "http://", "ftp://x.org", "sqlite:///x.db",
     "postgres://u:p@h/d", "postgresql://", "xoxb-1", "xapp-1", "xoxp-1", "0123456789abcdef0123", "U01ABC",
     "U01ABC, W02DEF", "u01abc", "C123", "#general", "123456789012345678", "Library=123456789012345678",
     "=123456789012345678", "Main hall=123456789012345678, Library=1", "１２３４５６７８９０１２３４５６"]
)  # fmt: skip
VALUES = st.one_of(
    LIKELY,
    numbers(),
    OTHER_DIGITS,
    AWKWARD,
    st.text(ANY_CHAR, max_size=40),
    huge(),
    st.builds(lambda a, b: a + b, LIKELY, st.one_of(AWKWARD, OTHER_DIGITS, st.text(max_size=5))),
)
ENVIRONMENTS = st.dictionaries(st.sampled_from(CORE + SLACK + DISCORD), VALUES, max_size=8)


def settings_or_problems(parse, env):
    try:
        return parse(env)
    except SettingsError as exc:
        assert exc.problems and all(isinstance(p, str) and p for p in exc.problems)
        return None


@given(ENVIRONMENTS)
@example({"PORT": "9" * 5000})
@example({"ANNOUNCE_LEAD_BY_KIND": "talk=" + "9" * 5000})
@example({"SCHEDULE_TIMEZONE": "America"})
@example({"SCHEDULE_TIMEZONE": "Europe/" + "x" * 300})
@example({"PORT": "٣٠٠٠"})
def test_core_settings_are_typed_and_bounded(env):
    settings = settings_or_problems(parse_settings, env)
    if settings is None:
        return
    assert isinstance(settings, Settings)
    assert 1 <= settings.port <= 65535
    assert 0 <= settings.announce_lead_minutes <= MAX_LEAD_MINUTES
    assert all(0 <= m <= MAX_LEAD_MINUTES for m in settings.announce_lead_by_kind.values())
    assert settings.announce_kinds <= frozenset(Kind)
    assert 1 <= settings.vote_budget <= 100 and 1 <= settings.proposals_per_person <= 100
    for instant in (settings.awair_now, settings.proposals_close_at):
        assert instant is None or instant.tzinfo is not None
    assert settings.database_url.startswith(("sqlite", "postgresql+psycopg://"))
    for name in ("PORT", "ANNOUNCE_LEAD_MINUTES", "UNCONF_VOTE_BUDGET"):
        raw = env.get(name, "").strip()
        # Numbers are read as written with ASCII digits, as everywhere else in the bot.
        assert not raw or raw.lstrip("-").isascii()


@given(ENVIRONMENTS)
@example({"ORGANIZER_IDS": "U01ABC,\u00a0W02DEF"})
@example({"SLACK_SIGNING_SECRET": "٣" * 20})
def test_slack_settings_are_typed(env):
    settings = settings_or_problems(parse_slack_settings, env)
    if settings is None:
        return
    assert isinstance(settings, SlackSettings)
    assert settings.api_url.startswith(("http://", "https://")) and settings.api_url.endswith("/")
    assert all(x.isascii() and x[0] in "UW" for x in settings.organizer_ids)
    if settings.bot_token:
        assert settings.bot_token.startswith("xoxb-")


@given(ENVIRONMENTS)
@example({"DISCORD_GUILD_ID": "１２３４５６７８９０１２３４５６"})
@example({"DISCORD_ROOM_CHANNELS": "==123456789012345678"})
def test_discord_settings_are_typed(env):
    settings = settings_or_problems(parse_discord_settings, env)
    if settings is None:
        return
    assert isinstance(settings, DiscordSettings)
    ids = [settings.guild_id, settings.application_id, settings.announce_channel, settings.organizer_role]
    for snowflake in [*filter(None, ids), *settings.organizer_ids, *settings.room_channels.values()]:
        assert snowflake.isascii() and snowflake.isdigit() and 15 <= len(snowflake) <= 21
    assert settings.api_url.startswith(("http://", "https://")) and settings.api_url.endswith("/")


@given(
    st.lists(
        st.one_of(
            st.builds(lambda k, v: f"{k}={v}", st.sampled_from(CORE), VALUES),
            st.builds(lambda k, v: f'{k}="{v}"', st.sampled_from(CORE), VALUES),
            st.text(ANY_CHAR, max_size=30),
            st.sampled_from(["export PORT=1", "#", "PORT", "=", "PORT='unclosed", 'A="\\', "${PORT}"]),
        ),
        max_size=6,
    ).map("\n".join)
)
@example("SCHEDULE_PATH=\ud800")  # not UTF-8 once written
@example("ANNOUNCE_CHANNEL=Zo\udceb")
def test_any_dotenv_file_is_settings_or_problems(text):
    with tempfile.TemporaryDirectory() as folder:
        env_file = Path(folder) / ".env"
        env_file.write_text(text, encoding="utf-8", errors="surrogatepass")
        settings_or_problems(lambda env: load_settings(env, env_file=env_file), {})


@given(st.one_of(LIKELY, st.text(ANY_CHAR, max_size=30), huge()))
@example("America")
@example("Europe/" + "x" * 300)
def test_a_zone_name_in_a_schedule_file_is_a_zone_or_none(name):
    """The same names reach the importers (X-WR-TIMEZONE, a frab file's zone)."""
    zone = named_zone(name)
    assert zone is None or zone.key == name.strip()
