"""The real bot as a process: started on a free loopback port, waited for, measured, stopped."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.support.harness import BOT_TOKEN, REPO, SIGNING_SECRET
from tests.support.signing import signed_headers


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bot_env(api_url: str, database_url: str, **overrides: str) -> dict[str, str]:
    """The environment of a bot process: ours, without any Slack or AWAIR settings of the
    machine, plus the test tokens, the fake Slack and the given database."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "AWAIR_", "ANNOUNCE_", "UNCONF"))
    }
    env.pop("DATABASE_URL", None)
    env.update(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=api_url,
        SCHEDULE_PATH=str(REPO / "schedule_data"),
        DATABASE_URL=database_url,
        LOG_LEVEL="WARNING",
    )
    env.update(overrides)
    return env


@dataclass
class BotProcess:
    """A running ``awair-bot run --http``."""

    process: subprocess.Popen
    base_url: str
    log_path: Path

    @property
    def pid(self) -> int:
        """The process id."""
        return self.process.pid

    def memory_mb(self, field: str = "VmRSS") -> float:
        """Resident memory now (VmRSS) or its peak so far (VmHWM), in MB."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
        raise RuntimeError(f"{field} not found for pid {self.pid}")

    def log(self) -> str:
        """Everything the process wrote to stderr so far."""
        return self.log_path.read_text(errors="replace")

    def post(
        self, body: str, headers: Mapping[str, str] | None = None, timeout: float = 30
    ) -> tuple[int, bytes]:
        """POST ``body`` to /slack/events, signed like Slack unless ``headers`` are given."""
        request = urllib.request.Request(
            self.base_url + "/slack/events",
            data=body.encode(),
            headers=dict(headers) if headers is not None else signed_headers(body, SIGNING_SECRET),
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def kill(self) -> None:
        """SIGKILL: no clean-up at all, as a crash or an OOM kill."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)


def wait_until_healthy(process: subprocess.Popen, url: str, log_path: Path, within: float = 60.0) -> dict:
    """Poll /healthz until the server answers (a readiness wait, not a timed assertion)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(
                f"the bot exited with {process.returncode}: {log_path.read_text(errors='replace')[-3000:]}"
            )
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1) as response:
                return json.loads(response.read())
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.05)
    raise AssertionError("the bot did not become healthy in time")


@contextmanager
def bot_process(
    env: Mapping[str, str], workdir: Path, port: int | None = None, command: list[str] | None = None
) -> Iterator[BotProcess]:
    """``awair-bot run --http`` on loopback with ``env`` (or ``command``, given the port as
    its last argument); stopped (SIGTERM) on exit."""
    port = port or free_port()
    log_path = workdir / f"bot-{port}-{time.monotonic_ns()}.log"
    argv = (
        command or [sys.executable, "-m", "awair_bot", "run", "--http", "--host", "127.0.0.1", "--port"]
    ) + [str(port)]
    with log_path.open("w") as log:
        process = subprocess.Popen(argv, env=dict(env), cwd=workdir, stdout=subprocess.DEVNULL, stderr=log)
    bot = BotProcess(process, f"http://127.0.0.1:{port}", log_path)
    try:
        wait_until_healthy(process, bot.base_url, log_path)
        yield bot
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)
