"""Where the board is served: by HTTP mode's own process, and beside the console (or Socket
Mode) on ``--board-port``, off unless asked for."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from awair_bot.cli import main
from tests.support.harness import REPO
from tests.support.process import bot_env, bot_process, free_port, wait_until_healthy
from tests.support.slack_spec import spec_checked_slack


def get(url: str) -> tuple[int, dict[str, str], str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@pytest.mark.slow
def test_http_mode_serves_the_board_on_its_own_port(tmp_path):
    with spec_checked_slack() as fake:
        env = bot_env(fake.url, f"sqlite:///{tmp_path}/bot.sqlite3", AWAIR_NOW="2023-08-05T10:45:00-07:00")
        with bot_process(env, tmp_path) as bot:
            status, headers, body = get(bot.base_url + "/board/live")
            assert status == 200 and "Break: nothing on until 11:00 PT (in 15 min)." in body
            assert "script-src 'self'" in headers["Content-Security-Policy"]
            assert get(bot.base_url + "/day/2023-08-05")[0] == 200
            assert get(bot.base_url + "/board")[0] == 200


@pytest.mark.slow
def test_the_console_serves_the_board_on_board_port_and_stops_with_it(tmp_path):
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "AWAIR_", "DATABASE_URL", "BOARD_"))
    }
    env.update(
        AWAIR_NOW="2023-08-05T10:45:00-07:00",
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
        SCHEDULE_PATH=str(REPO / "schedule_data"),
        BOARD_TOKEN="lobby-token-for-tests",
    )
    log = (tmp_path / "console.log").open("w")
    argv = [sys.executable, "-m", "awair_bot", "run", "--host", "127.0.0.1", "--board-port", str(port)]
    process = subprocess.Popen(
        argv, env=env, cwd=tmp_path, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_healthy(process, base, tmp_path / "console.log")
        status, _, body = get(base + "/board/live?token=lobby-token-for-tests")
        assert status == 200 and "Break: nothing on until 11:00 PT (in 15 min)." in body
        assert get(base + "/board/live")[0] == 404  # the token is required
        assert get(base + "/slack/events")[0] == 404  # no Slack endpoint beside the console
        out, _ = process.communicate("/next\n", timeout=20)  # end of input: the console ends
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
    assert process.returncode == 0
    assert out.startswith("Break: nothing on until 11:00 PT")
    assert f"the board is at http://127.0.0.1:{port}/board" in (tmp_path / "console.log").read_text()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(base + "/healthz", timeout=2)  # and the board went with it


@pytest.mark.parametrize("bad", ["0", "70000", "lobby"])
def test_a_bad_board_port_is_refused(capsys, bad):
    with pytest.raises(SystemExit) as caught:
        main(["run", "--board-port", bad])
    assert caught.value.code == 2
    assert f"'{bad}' is not a port: give a number from 1 to 65535" in capsys.readouterr().err
