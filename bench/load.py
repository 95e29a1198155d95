"""Load through the real server: the bot under waitress against a bare Bolt app, side by side.

Method. Each target runs as its own process on loopback: ``awair-bot run --http`` on an
SQLite file, then on a fresh PostgreSQL schema (``--postgres URL`` or ``TEST_DATABASE_URL``),
and ``bench/bare_server.py`` (Bolt whose commands only acknowledge, same server and threads)
as the floor. Web API calls go to a fake Slack in this process. ``--clients`` threads, each
with its own keep-alive connection, send a fixed count of signed requests: /next, /readings,
/propose (a new title each) and Vote clicks (a new voter each, so every click is a vote),
interleaved in a fixed pattern. Latency is from sending a request to its HTTP answer.
Memory is the server's RSS after warm-up, then after every 2,000 requests.

After the run, for the bot: every acknowledged proposal and vote is counted in the database.

    python bench/load.py [--requests 10000] [--clients 50] [--postgres URL]
"""

from __future__ import annotations

import argparse
import http.client
import os
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import func, select, text  # noqa: E402

from bench.common import pct  # noqa: E402
from bot.db.engine import make_engine  # noqa: E402
from bot.db.migrate import upgrade  # noqa: E402
from bot.db.tables import Proposal, Vote  # noqa: E402
from tests.support.fake_slack import FakeSlack  # noqa: E402
from tests.support.harness import SIGNING_SECRET  # noqa: E402
from tests.support.process import BotProcess, bot_env, bot_process  # noqa: E402
from tests.support.signing import block_action_body, signed_headers, slash_command_body  # noqa: E402

# Sunday 13:00 PT: lunch on, three discussions next; proposals still open.
NOW = "2023-08-06T13:00:00-07:00"
MIX = ["next", "next", "readings", "next", "propose", "vote", "next", "readings", "vote", "propose"]


@dataclass
class Result:
    """What one target did under load."""

    name: str
    wall: float = 0.0
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    memory: list[tuple[int, float]] = field(default_factory=list)
    sent: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    counted: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(len(v) for v in self.latencies.values())


class Client:
    """One simulated Slack connection (keep-alive), signing each request."""

    def __init__(self, base_url: str, response_url: str):
        host, port = base_url.removeprefix("http://").split(":")
        self.conn = http.client.HTTPConnection(host, int(port), timeout=30)
        self.response_url = response_url

    def send(self, kind: str, n: int, proposal_ids: list[int]) -> tuple[int, bytes]:
        if kind == "vote":
            body = block_action_body(
                "unconf_vote",
                str(proposal_ids[n % len(proposal_ids)]),
                user_id=f"UV{n:08d}",
                response_url=self.response_url,
            )
        else:
            text = {
                "next": "",
                "readings": "",
                "propose": f"Load topic {uuid.uuid4().hex[:12]} -- from the load test",
            }[kind]
            body = slash_command_body(f"/{kind}", text, user_id=f"UP{n:08d}", response_url=self.response_url)
        self.conn.request(
            "POST", "/slack/events", body=body.encode(), headers=signed_headers(body, SIGNING_SECRET)
        )
        response = self.conn.getresponse()
        return response.status, response.read()


def run_load(
    target: BotProcess, result: Result, requests: int, clients: int, fake: FakeSlack, proposal_ids: list[int]
) -> None:
    """Send ``requests`` from ``clients`` threads; record latencies, errors and memory."""
    counter = iter(range(requests))
    lock = threading.Lock()
    done = [0]

    def worker() -> None:
        client = Client(target.base_url, fake.response_url("load"))
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            kind = MIX[n % len(MIX)]
            t0 = time.perf_counter()
            try:
                status, body = client.send(kind, n, proposal_ids)
                ok = status == 200 and (not body or body.startswith(b"{") or kind == "vote")
            except Exception as exc:  # noqa: BLE001 - every failure is counted as an error
                status, ok, body = 0, False, repr(exc).encode()
                client = Client(target.base_url, fake.response_url("load"))
            elapsed = time.perf_counter() - t0
            with lock:
                result.latencies[kind].append(elapsed)
                result.sent[kind] += 1
                if not ok:
                    result.errors.append(f"{kind}: HTTP {status} {body[:120]!r}")
                done[0] += 1
                if done[0] % 2000 == 0:
                    result.memory.append((done[0], target.memory_mb()))

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.wall = time.perf_counter() - t0


def seed_proposals(target: BotProcess, count: int = 20) -> None:
    """Proposals for the Vote clicks to land on (ids 1..count in a fresh database)."""
    for i in range(count):
        body = slash_command_body("/propose", f"Seed topic number {i + 1}", user_id=f"US{i:06d}")
        status, _ = target.post(body)
        assert status == 200


def warm_up(target: BotProcess, fake: FakeSlack) -> None:
    for _ in range(200):
        body = slash_command_body("/next", "", response_url=fake.response_url("warm"))
        assert target.post(body)[0] == 200


def measure(
    name: str, env: dict[str, str], workdir: Path, fake: FakeSlack, args, command=None, db_url=None
) -> Result:
    result = Result(name)
    with bot_process(env, workdir, command=command) as target:
        proposal_ids = list(range(1, 21))
        if db_url:
            seed_proposals(target)
        warm_up(target, fake)
        result.memory.append((0, target.memory_mb()))
        run_load(target, result, args.requests, args.clients, fake, proposal_ids)
        result.memory.append((args.requests, target.memory_mb()))
    if db_url:
        engine = make_engine(db_url)
        with engine.connect() as conn:
            result.counted["proposals"] = conn.scalar(select(func.count()).select_from(Proposal)) - 20
            result.counted["votes"] = conn.scalar(select(func.count()).select_from(Vote))
        engine.dispose()
    return result


def postgres_url(base: str) -> str:
    """A fresh schema on ``base`` for this run, migrated."""
    schema = f"load_{uuid.uuid4().hex[:10]}"
    engine = make_engine(base)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    url = f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    upgrade(url)
    return url


def report(results: list[Result], requests: int, clients: int) -> None:
    floor = next(r for r in results if r.name.startswith("bare"))
    print(f"{requests} signed requests per target from {clients} concurrent clients; mix {MIX}\n")
    print(
        "| target | throughput | vs bare | /next p50 | /next p95 | /next p99 | all p99 | errors | RSS after warm-up → end |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        rate = r.total / r.wall
        nxt = r.latencies["next"]
        every = [x for v in r.latencies.values() for x in v]
        mem = f"{r.memory[0][1]:.1f} → {r.memory[-1][1]:.1f} MB"
        print(
            f"| {r.name} | {rate:.0f} req/s | {rate / (floor.total / floor.wall):.2f}x | {pct(nxt, 50) * 1000:.1f} ms "
            f"| {pct(nxt, 95) * 1000:.1f} ms | {pct(nxt, 99) * 1000:.1f} ms | {pct(every, 99) * 1000:.1f} ms "
            f"| {len(r.errors)} | {mem} |"
        )
    print("\nPer kind (p50 / p99 ms):")
    for r in results:
        kinds = ", ".join(
            f"{k} {pct(v, 50) * 1000:.1f}/{pct(v, 99) * 1000:.1f}" for k, v in sorted(r.latencies.items())
        )
        print(f"- {r.name}: {kinds}")
    print("\nMemory over the run (requests: RSS MB):")
    for r in results:
        print(f"- {r.name}: " + ", ".join(f"{n}: {mb:.1f}" for n, mb in r.memory))
    print("\nNothing lost (acknowledged → in the database):")
    for r in results:
        if r.counted:
            print(
                f"- {r.name}: proposals {r.sent['propose']} → {r.counted['proposals']}, "
                f"votes {r.sent['vote']} → {r.counted['votes']}"
            )
    for r in results:
        for e in r.errors[:5]:
            print(f"  error ({r.name}): {e}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--postgres", default=os.environ.get("TEST_DATABASE_URL"))
    parser.add_argument("--mix", default=",".join(MIX), help="comma-separated request kinds, cycled")
    args = parser.parse_args()
    MIX[:] = args.mix.split(",")
    results = []
    with FakeSlack() as fake, tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        common = {"AWAIR_NOW": NOW, "ANNOUNCE_CHANNEL": "C0LOAD", "WATCH_SCHEDULE": "false"}
        bare_cmd = [sys.executable, str(REPO / "bench" / "bare_server.py"), "--port"]
        results.append(
            measure(
                "bare Bolt (floor)",
                bot_env(fake.url, "sqlite://", **common),
                work,
                fake,
                args,
                command=bare_cmd,
            )
        )
        sqlite = f"sqlite:///{work}/load.sqlite3"
        results.append(
            measure("awair-bot, SQLite", bot_env(fake.url, sqlite, **common), work, fake, args, db_url=sqlite)
        )
        if args.postgres:
            pg = postgres_url(args.postgres)
            results.append(
                measure("awair-bot, PostgreSQL", bot_env(fake.url, pg, **common), work, fake, args, db_url=pg)
            )
    report(results, args.requests, args.clients)
    if any(r.errors for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
