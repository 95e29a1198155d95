"""Benchmark: a burst of /propose and of Vote clicks through the real HTTP server.

Method. ``awair-bot run --http`` runs as its own process (waitress, 8 threads; Web API calls
to a fake Slack in this process), on an SQLite file and then, when ``TEST_DATABASE_URL`` or
``--postgres`` is given, on a fresh PostgreSQL schema. Signed requests go in from
``--clients`` threads at once: first ``--proposals`` /propose from as many people, then
``--votes`` Vote clicks from half as many voters, two each: one for proposal #1 (a hot spot:
half of all votes race for one row) and one spread over the others. Latency is from sending
a request to its HTTP answer; throughput is requests over the wall time of the burst.

Then the exact counts: every proposal stored once and posted once; every vote in the
database, each proposal's count exactly as expected; every voter answered through
response_url; and once the background work settles, every posted message showing its
database count (the coalesced chat.update converges).

    python bench/bench_unconf.py [--proposals 200] [--votes 2000] [--clients 200] [--postgres URL]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import func, select, text  # noqa: E402

from bench.common import pct  # noqa: E402
from bot.db.engine import make_engine  # noqa: E402
from bot.db.migrate import upgrade  # noqa: E402
from bot.db.tables_unconf import Proposal, Vote  # noqa: E402
from tests.support.fake_slack import FakeSlack  # noqa: E402
from tests.support.harness import SIGNING_SECRET  # noqa: E402
from tests.support.process import bot_env, bot_process  # noqa: E402
from tests.support.signing import block_action_body, signed_headers, slash_command_body  # noqa: E402

CHANNEL = "CBENCH"
NOW = "2023-08-05T10:45:00-07:00"  # Saturday: proposals are open


@dataclass
class Burst:
    """One burst of requests: per-request seconds, statuses, answers, and its wall time."""

    latencies: list[float]
    statuses: list[int]
    answers: list[dict]
    wall: float
    ended: float  # time.time() when the last answer came

    def row(self, label: str, database: str, exact: str) -> str:
        n = len(self.latencies)
        errors = sum(s != 200 for s in self.statuses)
        return (
            f"| {database} | {label} | {n:,} | {self.wall:.2f} s | {n / self.wall:,.0f} | "
            f"{pct(self.latencies, 50) * 1000:.1f} ms | {pct(self.latencies, 99) * 1000:.1f} ms | "
            f"{max(self.latencies) * 1000:.0f} ms | {errors} | {exact} |"
        )


def fire(url: str, bodies: list[str], clients: int) -> Burst:
    """POST every signed body to ``url`` from ``clients`` threads at once."""

    def one(body: str) -> tuple[float, int, dict]:
        request = urllib.request.Request(
            url, data=body.encode(), headers=signed_headers(body, SIGNING_SECRET)
        )
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        elapsed = time.perf_counter() - started
        try:
            answer = json.loads(raw) if raw else {}
        except json.JSONDecodeError:
            answer = {}
        return elapsed, status, answer

    with ThreadPoolExecutor(max_workers=clients) as pool:
        started = time.perf_counter()
        results = list(pool.map(one, bodies))
        wall = time.perf_counter() - started
    return Burst([r[0] for r in results], [r[1] for r in results], [r[2] for r in results], wall, time.time())


def settle(fake: FakeSlack, quiet: float = 1.0, within: float = 120.0) -> float:
    """Wait until the fake has seen no call for ``quiet`` seconds; seconds waited."""
    started = time.monotonic()
    seen = -1
    while time.monotonic() - started < within:
        now = len(fake.calls) + len(fake.responses)
        if now == seen:
            return time.monotonic() - started - quiet
        seen = now
        time.sleep(quiet)
    return time.monotonic() - started


def run(database: str, database_url: str, args: argparse.Namespace) -> list[str]:
    """Both bursts on one database; the table rows and the checks' notes."""
    with FakeSlack() as fake, tempfile.TemporaryDirectory() as workdir:
        env = bot_env(
            fake.url, database_url, AWAIR_NOW=NOW, UNCONFERENCE_CHANNEL=CHANNEL, WATCH_SCHEDULE="false"
        )
        with bot_process(env, Path(workdir)) as bot:
            url = bot.base_url + "/slack/events"
            bodies = [
                slash_command_body(
                    "/propose",
                    f"Topic {i:03d}: what we should try next -- proposal {i} of the bench",
                    user_id=f"UP{i:04d}",
                    response_url=fake.response_url("propose"),
                )
                for i in range(args.proposals)
            ]
            proposed = fire(url, bodies, args.clients)
            numbers = sorted(
                int(a["text"].split("#", 1)[1].split(".", 1)[0])
                for a in proposed.answers
                if a.get("text", "").startswith("Your proposal is in as #")
            )
            posted = fake.wait_for_calls("chat.postMessage", args.proposals, timeout=60)

            voters = args.votes // 2
            expected: Counter[int] = Counter()
            bodies = []
            for v in range(voters):
                others = numbers[1:]
                for number in (numbers[0], others[v % len(others)]):
                    expected[number] += 1
                    bodies.append(
                        block_action_body(
                            "unconf_vote",
                            str(number),
                            user_id=f"UV{v:04d}",
                            response_url=fake.response_url("vote"),
                        )
                    )
            voted = fire(url, bodies, args.clients)
            answered = fake.wait_for_responses("vote", len(bodies), timeout=120)
            settle(fake)

        stored, votes = _stored(database_url)
        last_shown = _last_shown(fake)
        proposals_ok = (
            len(numbers) == args.proposals and len(stored) == args.proposals and len(posted) == args.proposals
        )
        votes_ok = stored == {n: expected.get(n, 0) for n in numbers} and votes == len(bodies)
        answers_ok = len(answered) == len(bodies) and all(
            r.body["text"].startswith(("Your vote for #", "You have used")) for r in answered
        )
        converged = sum(last_shown.get(n, 0) == stored[n] for n in numbers)
        rows = [
            proposed.row(
                "/propose", database, f"{len(stored)}/{args.proposals} stored, {len(posted)} posted"
            ),
            voted.row(
                "Vote", database, f"{votes:,}/{len(bodies):,} in the DB (#1: {stored.get(numbers[0])})"
            ),
        ]
        post_lag = max(c.timestamp for c in posted) - proposed.ended
        updates = fake.calls_to("chat.update")
        update_lag = max((c.timestamp for c in updates), default=voted.ended) - voted.ended
        notes = (
            f"{database}: proposals exact {'yes' if proposals_ok else 'NO'} (last one posted "
            f"{max(post_lag, 0):.2f} s after the burst); votes exact per proposal {'yes' if votes_ok else 'NO'}; "
            f"{len(answered):,} private answers ({'all right' if answers_ok else 'WRONG'}); posted messages "
            f"showing the DB count at the end: {converged}/{len(numbers)} ({len(updates):,} chat.update for "
            f"{len(bodies):,} votes, the last {max(update_lag, 0):.2f} s after the burst)"
        )
        return [*rows, "NOTE " + notes]


def _stored(database_url: str) -> tuple[dict[int, int], int]:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            count = select(func.count(Vote.id)).where(Vote.proposal_id == Proposal.id).scalar_subquery()
            per = {row[0]: row[1] for row in connection.execute(select(Proposal.id, count))}
            total = connection.execute(select(func.count(Vote.id))).scalar_one()
    finally:
        engine.dispose()
    return per, total


def _last_shown(fake: FakeSlack) -> dict[int, int]:
    """Each proposal's vote count in its latest posted or updated message."""
    shown: dict[int, int] = {}
    for call in fake.calls:
        if call.method not in ("chat.postMessage", "chat.update"):
            continue
        words = call.args.get("text", "")  # "Unconference proposal #7: <title> (3 votes)"
        if not words.startswith("Unconference proposal #"):
            continue
        number = int(words.split("#", 1)[1].split(":", 1)[0])
        shown[number] = int(words.rsplit("(", 1)[1].split(" ", 1)[0])
    return shown


def postgres_schema(base: str) -> tuple[str, Callable[[], None]]:
    """A fresh schema on ``base``: its URL, and a function that drops it."""
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = make_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base else "?"

    def drop() -> None:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return f"{base}{separator}options=-csearch_path%3D{schema}", drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, default=200)
    parser.add_argument("--votes", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=200, help="requests in flight at once")
    parser.add_argument("--postgres", default=os.environ.get("TEST_DATABASE_URL"))
    args = parser.parse_args()
    if args.proposals < 2 or args.votes < 2:
        parser.error("at least 2 proposals and 2 votes")

    print(
        f"awair-bot run --http (waitress, 8 threads), {args.clients} client threads at once, "
        f"Python {sys.version.split()[0]}\n"
    )
    print("| database | burst | requests | wall | req/s | p50 | p99 | max | errors | exact at the end |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    notes: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        targets = [("SQLite", f"sqlite:///{tmp}/bench.sqlite3", None)]
        if args.postgres:
            url, drop = postgres_schema(args.postgres)
            targets.append(("PostgreSQL", url, drop))
        for database, url, drop in targets:
            try:
                upgrade(url)
                for line in run(database, url, args):
                    if line.startswith("NOTE "):
                        notes.append(line.removeprefix("NOTE "))
                    else:
                        print(line, flush=True)
            finally:
                if drop is not None:
                    drop()
    print()
    for note in notes:
        print(f"- {note}")
    if not args.postgres:
        print("- PostgreSQL skipped: set TEST_DATABASE_URL or pass --postgres URL.")


if __name__ == "__main__":
    main()
