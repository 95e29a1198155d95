"""Benchmark: idle and slow clients beside Slack's requests (issue 13).

Method. ``awair-bot run --http`` as its own process, twice: with the bot's server limits
(``SERVER_LIMITS``: 1,000 connections, idle ones dropped after 15 s), and with waitress's
defaults (100 connections, 120 s) as the earlier bot ran. For each, ``--idle`` TCP
connections are opened and left silent, plus ``--slow`` that send half a request's headers
and stop; then ``--requests`` signed ``/next`` go out one after another, each with a 5 s
time-out. We report how many were answered and their latency, against the same ``/next``
with no idle clients.

    python bench/bench_idle.py [--idle 150] [--slow 20] [--requests 50]
"""

from __future__ import annotations

import argparse
import socket
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.common import pct  # noqa: E402
from tests.support.fake_slack import FakeSlack  # noqa: E402
from tests.support.harness import SIGNING_SECRET  # noqa: E402
from tests.support.process import bot_env, bot_process  # noqa: E402
from tests.support.signing import signed_headers, slash_command_body  # noqa: E402

# The bot as it ran before issue 13: waitress's own connection limit and time-outs.
DEFAULTS = (
    "import sys; import awair_bot.http_server as h; h.SERVER_LIMITS.clear(); "
    "from awair_bot.cli import main; sys.exit(main(sys.argv[1:]))"
)


def next_latencies(base_url: str, fake: FakeSlack, count: int) -> list[float | None]:
    """Seconds for each signed /next, None for one not answered within 5 s."""
    out: list[float | None] = []
    for _ in range(count):
        body = slash_command_body("/next", "", response_url=fake.response_url("n"))
        request = urllib.request.Request(
            base_url + "/slack/events", data=body.encode(), headers=signed_headers(body, SIGNING_SECRET)
        )
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                response.read()
            out.append(time.perf_counter() - started)
        except (urllib.error.URLError, TimeoutError, ConnectionError):
            out.append(None)
    return out


def measure(label: str, command: list[str] | None, args: argparse.Namespace) -> str:
    with FakeSlack(rate_limits=False) as fake, tempfile.TemporaryDirectory() as workdir:
        env = bot_env(fake.url, f"sqlite:///{workdir}/bench.sqlite3", WATCH_SCHEDULE="false")
        with bot_process(env, Path(workdir), command=command) as bot:
            host, port = bot.base_url.removeprefix("http://").split(":")
            quiet = next_latencies(bot.base_url, fake, args.requests)
            held = []
            for _ in range(args.idle):
                held.append(socket.create_connection((host, int(port)), timeout=5))
            for _ in range(args.slow):
                sock = socket.create_connection((host, int(port)), timeout=5)
                sock.sendall(b"POST /slack/events HTTP/1.1\r\nHost: bot\r\nContent-Le")
                held.append(sock)
            try:
                busy = next_latencies(bot.base_url, fake, args.requests)
            finally:
                for sock in held:
                    sock.close()
    answered = [s for s in busy if s is not None]
    base = [s for s in quiet if s is not None]
    p50 = f"{pct(answered, 50) * 1000:.1f} ms" if answered else "-"
    p99 = f"{pct(answered, 99) * 1000:.1f} ms" if answered else "-"
    return (
        f"| {label} | {len(answered)}/{len(busy)} | {p50} | {p99} | "
        f"{pct(base, 50) * 1000:.1f} / {pct(base, 99) * 1000:.1f} ms |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--idle", type=int, default=150)
    parser.add_argument("--slow", type=int, default=20)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    argv = [sys.executable, "-m", "awair_bot", "run", "--http", "--host", "127.0.0.1", "--port"]
    defaults = [sys.executable, "-c", DEFAULTS, "run", "--http", "--host", "127.0.0.1", "--port"]
    print(f"{args.idle} idle and {args.slow} slow connections held open, then {args.requests} signed /next")
    print("| server | /next answered in 5 s | p50 | p99 | without idle clients p50 / p99 |")
    print("|---|---|---|---|---|")
    print(measure("awair-bot, its limits (1,000 connections, 15 s idle)", argv, args))
    print(measure("awair-bot, waitress defaults (100, 120 s)", defaults, args))


if __name__ == "__main__":
    main()
