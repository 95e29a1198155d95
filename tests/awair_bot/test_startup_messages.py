"""What a newcomer sees when something is wrong at start-up (issue 14): a sentence that says
what and how to fix it, never a traceback. The command line runs in this process (it is the
same ``main`` the console script calls), so each case costs milliseconds, not a process."""

from __future__ import annotations

import os
import shutil
import signal
import socket

import pytest

from awair_bot.cli import main
from tests.support.harness import BOT_TOKEN, REPO, SIGNING_SECRET
from tests.support.process import free_port
from tests.support.slack_spec import spec_checked_slack


@pytest.fixture
def cli(monkeypatch, tmp_path, capsys):
    """``awair-bot ARGS`` started in an empty folder with none of the machine's settings:
    (exit code, stdout, stderr)."""
    for name in list(os.environ):
        if name.startswith(
            ("SLACK_", "AWAIR_", "ANNOUNCE_", "UNCONF_", "DATABASE_URL", "SCHEDULE_PATH", "PORT")
        ):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    # HTTP mode sets its own SIGTERM handler: this process's stays as it was.
    monkeypatch.setattr(signal, "signal", lambda *_args: None)

    def run(*args: str, **env: str) -> tuple[int, str, str]:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        try:
            code = main(list(args))
        except SystemExit as exc:
            code = exc.code
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_started_elsewhere_the_schedule_is_missing_not_invalid(cli, tmp_path):
    code, _, err = cli("run", DATABASE_URL=f"sqlite:///{tmp_path}/bot.sqlite3")
    assert code == 1
    assert "no schedule found at schedule_data" in err
    assert f"looked for {tmp_path}/schedule_data" in err and "SCHEDULE_PATH" in err
    assert "invalid" not in err


def test_a_malformed_log_level_is_named_even_for_the_console(cli, tmp_path):
    code, _, err = cli("run", LOG_LEVEL="verbose", SCHEDULE_PATH=str(REPO / "schedule_data"))
    assert code == 2 and "LOG_LEVEL='verbose' should be one of DEBUG" in err


def test_a_dotenv_saved_as_latin_1_is_named_not_a_traceback(cli, tmp_path):
    (tmp_path / ".env").write_bytes("ANNOUNCE_CHANNEL=#zoë\n".encode("latin-1"))
    code, _, err = cli("run", SCHEDULE_PATH=str(REPO / "schedule_data"))
    assert code == 2 and ".env is not UTF-8 text (byte 21 is not); save it as UTF-8." in err
    assert "Traceback" not in err


def test_an_unreachable_database_is_named_with_what_to_check(cli):
    url = f"postgresql://nobody@127.0.0.1:{free_port()}/awair"
    for action in ("status", "upgrade"):
        code, _, err = cli("db", action, DATABASE_URL=url)
        assert code == 1, err
        assert "cannot use PostgreSQL at 127.0.0.1:" in err and "Check DATABASE_URL" in err


def test_an_unwritable_sqlite_path_is_named(cli, tmp_path):
    code, _, err = cli("db", "upgrade", DATABASE_URL=f"sqlite:///{tmp_path}/no-such-folder/bot.sqlite3")
    assert code == 1
    assert "cannot use the embedded SQLite database" in err and "writable" in err


def test_db_status_on_an_empty_database_says_so(cli, tmp_path):
    (tmp_path / "empty.sqlite3").touch()
    code, out, err = cli("db", "status", DATABASE_URL=f"sqlite:///{tmp_path}/empty.sqlite3")
    assert code == 1 and "none (empty database)" in out
    assert "The database is empty: `awair-bot db upgrade` creates its tables." in err


def test_db_status_on_no_database_file_says_so_and_creates_none(cli, tmp_path):
    code, out, err = cli("db", "status", DATABASE_URL=f"sqlite:///{tmp_path}/nothing.sqlite3")
    assert code == 1 and f"no database file at {tmp_path}/nothing.sqlite3 yet" in out
    assert "`awair-bot db upgrade` (or starting the bot) creates it" in err
    assert not (tmp_path / "nothing.sqlite3").exists()


def test_a_port_in_use_is_named(cli, tmp_path):
    with spec_checked_slack() as fake, socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, _, err = cli(
            "run", "--http", "--host", "127.0.0.1", "--port", str(port),
            SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_API_URL=fake.url,
            SCHEDULE_PATH=str(REPO / "schedule_data"), DATABASE_URL=f"sqlite:///{tmp_path}/bot.sqlite3",
            WATCH_SCHEDULE="false",
        )  # fmt: skip
    assert code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in err and "--port" in err


def test_the_readmes_check_example_is_the_real_output(cli, tmp_path):
    readme = (REPO / "README.md").read_text()
    example = readme.split("$ awair-bot check schedule_data\n", 1)[1].split("```", 1)[0]
    shutil.copytree(REPO / "schedule_data", tmp_path / "schedule_data")
    day = tmp_path / "schedule_data" / "2023-08-05.yaml"
    text = day.read_text()
    misalignment = text.index("title: Misalignment")
    end = text.rindex('end: "12:10"', 0, misalignment)
    day.write_text(text[:end] + 'end: "10:10"' + text[end + len('end: "12:10"') :])
    code, out, err = cli("check", "schedule_data")
    assert code == 1 and out + err == example


def _slack_run(cli, tmp_path, api_url: str, *mode: str) -> tuple[int, str, str]:
    return cli(
        "run", *mode, "--host", "127.0.0.1", "--port", str(free_port()),
        SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_APP_TOKEN="xapp-1-test",
        SLACK_API_URL=api_url, SCHEDULE_PATH=str(REPO / "schedule_data"),
        DATABASE_URL=f"sqlite:///{tmp_path}/bot.sqlite3", WATCH_SCHEDULE="false",
    )  # fmt: skip


@pytest.mark.parametrize("mode", [(), ("--http",)])
def test_a_refused_bot_token_is_named_with_what_to_check(cli, tmp_path, mode):
    with spec_checked_slack() as fake:
        fake.set_response("auth.test", {"ok": False, "error": "invalid_auth"})
        code, _, err = _slack_run(cli, tmp_path, fake.url, *mode)
    assert code == 1
    assert "Slack refused the bot token" in err and "SLACK_BOT_TOKEN" in err
    assert "Traceback" not in err


def test_slack_out_of_reach_is_named_with_where(cli, tmp_path):
    code, _, err = _slack_run(cli, tmp_path, "http://127.0.0.1:1/api/", "--http")
    assert code == 1
    assert "cannot reach Slack at http://127.0.0.1:1/api/" in err and "SLACK_API_URL" in err
    assert "Traceback" not in err


def _copy_with(tmp_path, edits: dict[str, tuple[str, str]]):
    folder = tmp_path / "schedule"
    shutil.copytree(REPO / "schedule_data", folder)
    for name, (old, new) in edits.items():
        path = folder / name
        text = path.read_text()
        assert old in text
        path.write_text(text.replace(old, new, 1))
    return folder


def test_a_broken_day_file_does_not_make_its_sessions_missing(cli, tmp_path):
    # The unconference block's session is in the day file that failed: it is not "missing".
    folder = _copy_with(tmp_path, {"2023-08-06.yaml": ("kind: discussion", "kind: tallk")})
    code, _, err = cli("check", str(folder))
    assert code == 1
    assert "tallk" in err and "1 problem:" in err
    assert "does not exist" not in err


def test_a_small_hours_warning_is_said_beside_the_problems(cli, tmp_path):
    folder = _copy_with(
        tmp_path,
        {
            "2023-08-05.yaml": ('start: "9:50"', 'start: "4:00"'),
            "2023-08-06.yaml": ("kind: discussion", "kind: tallk"),
        },
    )
    code, _, err = cli("check", str(folder))
    assert code == 1
    assert "tallk" in err
    assert "warning:" in err and "04:00" in err
