"""Settings: defaults, .env, and a message for each bad value that says how to fix it."""

from __future__ import annotations

import pytest

from bot.schedule.model import Kind
from bot.settings import SettingsError, load_settings


def load(env: dict[str, str], tmp_path=None, dotenv: str | None = None):
    env_file = None
    if dotenv is not None:
        env_file = tmp_path / ".env"
        env_file.write_text(dotenv)
    return load_settings(env, env_file=env_file)


def test_defaults_need_nothing():
    settings = load({})
    assert settings.database_url == "sqlite:///awair-bot.sqlite3"
    assert settings.announce_lead_minutes == 5 and Kind.MEAL not in settings.announce_kinds
    assert settings.port == 3000


def test_environment_wins_over_dotenv(tmp_path):
    settings = load({"PORT": "8080"}, tmp_path, "PORT=9000\nUNCONF_VOTE_BUDGET=5\n")
    assert settings.port == 8080 and settings.vote_budget == 5


def test_heroku_postgres_url_is_accepted():
    assert (
        load({"DATABASE_URL": "postgres://u:p@h:5432/d"}).database_url == "postgresql+psycopg://u:p@h:5432/d"
    )


def test_each_bad_value_gets_its_own_fix():
    with pytest.raises(SettingsError) as caught:
        load(
            {
                "SLACK_BOT_TOKEN": "xoxp-user-token",  # Slack's: read beside its adapter
                "PORT": "http",
                "AWAIR_NOW": "2023-08-05 10:45",
                "ANNOUNCE_KINDS": "talk, party",
            }
        )
    problems = "\n".join(caught.value.problems)
    assert "PORT='http' should be a whole number from 1 to 65535" in problems
    assert "AWAIR_NOW='2023-08-05 10:45' should be an ISO 8601 instant with its offset" in problems
    assert "ANNOUNCE_KINDS: 'party' is not a kind" in problems
    assert len(caught.value.problems) == 3


def test_kind_settings():
    settings = load({"ANNOUNCE_KINDS": "all", "ANNOUNCE_LEAD_BY_KIND": "reading=10, talk=3"})
    assert Kind.MEAL in settings.announce_kinds
    assert settings.announce_lead_by_kind == {Kind.READING: 10, Kind.TALK: 3}


def test_other_tools_schedules_settings():
    settings = load(
        {
            "SCHEDULE_TIMEZONE": "Asia/Kolkata",
            "SCHEDULE_URL": "https://pretalx.example.org/conf/schedule/export/schedule.json",
            "SCHEDULE_CACHE_PATH": "/var/cache/awair",
            "SCHEDULE_POLL_SECONDS": "120",
        }
    )
    assert settings.schedule_timezone.key == "Asia/Kolkata"
    assert settings.schedule_url.endswith("/schedule.json")
    assert (str(settings.schedule_cache_path), settings.schedule_poll_seconds) == ("/var/cache/awair", 120)
    defaults = load({})
    assert (defaults.schedule_timezone, defaults.schedule_url, defaults.schedule_poll_seconds) == (
        None,
        None,
        300,
    )
    assert str(defaults.schedule_cache_path) == "schedule-cache"


def test_bad_schedule_source_settings_say_how_to_fix_them():
    with pytest.raises(SettingsError) as caught:
        load({"SCHEDULE_TIMEZONE": "CEST", "SCHEDULE_URL": "ftp://x/y", "SCHEDULE_POLL_SECONDS": "5"})
    assert caught.value.problems == [
        "SCHEDULE_TIMEZONE='CEST' is not a time zone; use an IANA name such as Europe/Berlin or America/New_York.",
        "SCHEDULE_URL='ftp://x/y' should be the http(s) address of a pretalx, frab, Sessionize or calendar "
        "export, e.g. https://pretalx.example.org/conf/schedule/export/schedule.json.",
        "SCHEDULE_POLL_SECONDS='5' should be a whole number from 30 to 86400.",
    ]


@pytest.mark.parametrize(
    ("env", "says"),
    [
        (
            {"LOG_LEVEL": "verbose"},
            "LOG_LEVEL='verbose' should be one of DEBUG, INFO, WARNING, ERROR, CRITICAL.",
        ),
        ({"ANNOUNCE_LEAD_BY_KIND": "talk=-5"}, "'talk=-5' should give whole minutes from 0 to 1440"),
        ({"ANNOUNCE_LEAD_BY_KIND": "talk=99999"}, "'talk=99999' should give whole minutes from 0 to 1440"),
        ({"ANNOUNCE_LEAD_BY_KIND": "talk=soon"}, "'talk=soon' should give whole minutes"),
        ({"PUBLIC_BASE_URL": "not a url <!channel>"}, "PUBLIC_BASE_URL='not a url <!channel>' should be"),
        ({"PUBLIC_BASE_URL": "ftp://bot.example.org"}, "should be the bot's public http(s) address"),
        ({"LOG_FORMAT": "xml"}, "LOG_FORMAT='xml' should be text or json."),
    ],
)
def test_malformed_values_say_how_to_fix_them(env, says):
    with pytest.raises(SettingsError) as caught:
        load(env)
    assert any(says in problem for problem in caught.value.problems), caught.value.problems


def test_a_good_public_url_and_lead_by_kind_are_kept():
    settings = load({"PUBLIC_BASE_URL": "https://bot.example.org/awair/", "ANNOUNCE_LEAD_BY_KIND": "talk=10"})
    assert settings.public_base_url == "https://bot.example.org/awair"
    assert settings.announce_lead_by_kind == {Kind.TALK: 10}


def test_log_format_is_text_or_json_in_any_case():
    assert load({}).log_format == "text"
    assert load({"LOG_FORMAT": "JSON"}).log_format == "json"
