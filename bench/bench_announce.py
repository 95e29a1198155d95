"""Benchmark: announcements on time, exactly once, under Slack's rate limit; planning time.

Method. A real ``AnnouncementScheduler`` (APScheduler, one worker, the ledger on an SQLite
file or ``--database-url``) posts to a fake Slack channel that enforces one message per
``interval`` and answers faster posts with 429 + Retry-After, as Slack does. Time is
compressed ``--compress`` times: Slack's 1 message/s/channel becomes 1 per 20 ms, and 500
sessions due over ~17 minutes become 500 due over 20 s. Lateness is measured in real
seconds (not scaled back up: the scheduler's own overhead does not compress), against
each post's due time and against the earliest time the rate limit allowed it ("forced").

Run: PYTHONPATH=. python bench/bench_announce.py [--database-url URL]
"""

from __future__ import annotations

import argparse
import logging
import statistics
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.announcements.messages import Message
from bot.announcements.plan import AnnouncementPolicy, due_announcements, session_key
from bot.announcements.poster import PostError, PostResult
from bot.announcements.scheduler import AnnouncementScheduler
from bot.db.engine import make_engine, make_sessionmaker
from bot.db.migrate import upgrade
from bot.schedule.model import Kind, Session, Workshop

PT = ZoneInfo("America/Los_Angeles")


@dataclass
class RateLimitedSlack:
    """One message per ``interval`` per channel; 429 with the exact Retry-After otherwise."""

    interval: float
    latency: float
    accepted: list[tuple[float, tuple[str, ...]]] = field(default_factory=list)
    rejected: int = 0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._next_free: dict[str, float] = {}

    def post(self, channel: str, message: Message) -> PostResult:
        time.sleep(self.latency)  # the request's way there
        with self._lock:
            now = time.time()
            free = self._next_free.get(channel, 0.0)
            if now < free:
                self.rejected += 1
                raise PostError("ratelimited", retryable=True, retry_after=free - now)
            self._next_free[channel] = now + self.interval
            self.accepted.append((now, message.keys))
            return PostResult(f"{now:.6f}")

    def join(self, channel: str) -> None:
        """The bot is always in the channel here."""


def workshop_of(starts: list[datetime]) -> Workshop:
    """A workshop with one talk per start instant."""
    sessions = tuple(
        Session(
            id=f"s{i:04d}",
            title=f"Talk {i}",
            kind=Kind.TALK,
            day=s.astimezone(PT).date(),
            start=s,
            end=s + timedelta(minutes=30),
        )
        for i, s in enumerate(starts)
    )
    return Workshop(name="Bench", timezone=PT, sessions=sessions)


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def run_delivery(url: str, dues: list[datetime], interval: float, latency: float, processes: int = 1) -> dict:
    """Post one announcement per due instant on real schedulers (``processes`` of them, each
    with its own engine, sharing the database and the channel); measure what happened."""
    upgrade(url)
    engines = [make_engine(url) for _ in range(processes)]
    slack = RateLimitedSlack(interval, latency)
    workshop = workshop_of(dues)
    policy = AnnouncementPolicy(lead=timedelta(0))
    schedulers = [
        AnnouncementScheduler(make_sessionmaker(e), slack, "C-BENCH", policy=policy) for e in engines
    ]
    for scheduler in schedulers:
        scheduler.start(workshop)
    deadline = time.time() + (dues[-1] - datetime.now(UTC)).total_seconds() + 30
    while len(slack.accepted) < len(dues) and time.time() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)  # anything extra (a duplicate) would arrive now
    for scheduler, engine in zip(schedulers, engines, strict=True):
        scheduler.shutdown()
        engine.dispose()

    due_of = {session_key(s): s.start.timestamp() for s in workshop.sessions}
    posted = Counter(k for _, keys in slack.accepted for k in keys)
    at = {k: t for t, keys in slack.accepted for k in keys}
    forced, previous = {}, float("-inf")
    for key in sorted(due_of, key=due_of.get):  # the earliest each could go out, in order
        previous = forced[key] = max(due_of[key], previous + interval)
    late = [at[k] - due_of[k] for k in at]
    excess = [at[k] - forced[k] for k in at]
    return {
        "posts": len(slack.accepted),
        "429s": slack.rejected,
        "duplicates": sum(n - 1 for n in posted.values() if n > 1),
        "losses": len(set(due_of) - set(posted)),
        "late p50": statistics.median(late),
        "late p99": percentile(late, 99),
        "late max": max(late),
        "beyond limit p50": statistics.median(excess),
        "beyond limit p99": percentile(excess, 99),
    }


def run_planning(url: str, n: int) -> dict:
    """Time planning ``n`` sessions: the pure plan, and a full scheduler start."""
    now = datetime.now(UTC)
    starts = [now + timedelta(minutes=10 + 3 * i) for i in range(n)]  # ~4 days, all future
    workshop = workshop_of(starts)
    t0 = time.perf_counter()
    due_announcements(workshop, AnnouncementPolicy())
    pure = time.perf_counter() - t0
    upgrade(url)
    engine = make_engine(url)
    scheduler = AnnouncementScheduler(make_sessionmaker(engine), RateLimitedSlack(1, 0), "C-PLAN")
    t0 = time.perf_counter()
    scheduler.start(workshop)
    started = time.perf_counter() - t0
    jobs = len(scheduler.job_ids())
    t0 = time.perf_counter()
    scheduler.replan(workshop)
    replanned = time.perf_counter() - t0
    scheduler.shutdown()
    # Restarted after the weekend: every slot too old. The skips are recorded in the
    # background; start() itself must not wait for them.
    past = workshop_of([s - timedelta(days=30) for s in starts])
    scheduler = AnnouncementScheduler(make_sessionmaker(engine), RateLimitedSlack(1, 0), "C-PLAN")
    t0 = time.perf_counter()
    scheduler.start(past)
    after = time.perf_counter() - t0
    scheduler.shutdown()
    engine.dispose()
    return {
        "sessions": n,
        "plan (pure)": pure,
        "scheduler.start, all ahead": started,
        "jobs": jobs,
        "replan, no change": replanned,
        "scheduler.start, all past": after,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: an SQLite file in a temp folder")
    parser.add_argument("--sessions", type=int, default=500)
    parser.add_argument("--over", type=float, default=20.0, help="seconds the dues spread over")
    parser.add_argument("--compress", type=float, default=50.0)
    parser.add_argument("--latency", type=float, default=0.002, help="fake Slack's answer time")
    args = parser.parse_args()
    # Each 429 retry logs a warning; the table counts them instead.
    logging.basicConfig(level=logging.ERROR)
    interval = 1.0 / args.compress
    with tempfile.TemporaryDirectory() as tmp:

        def url(name: str) -> str:
            return args.database_url or f"sqlite:///{Path(tmp) / name}.sqlite3"

        begin = datetime.now(UTC) + timedelta(seconds=3)
        n, gap = args.sessions, args.over / args.sessions
        spread = [begin + timedelta(seconds=i * gap) for i in range(n)]
        # Bursts: five dues 5 ms apart every 5 gaps, so the rate limit must queue them.
        bursts = [begin + timedelta(seconds=(i // 5) * 5 * gap + (i % 5) * 0.005) for i in range(n)]
        results = {"spread": run_delivery(url("spread"), spread, interval, args.latency)}
        begin = datetime.now(UTC) + timedelta(seconds=3)
        bursts = [b - bursts[0] + begin for b in bursts]
        results["bursts of 5"] = run_delivery(url("bursts"), bursts, interval, args.latency)
        begin = datetime.now(UTC) + timedelta(seconds=3)
        spread = [d - spread[0] + begin for d in spread]
        results["spread, 2 processes"] = run_delivery(url("two"), spread, interval, args.latency, 2)
        planning = run_planning(url("plan"), 2000)

    print(
        f"## Delivery: {args.sessions} sessions over {args.over:g} s, one channel, "
        f"rate limit 1 msg / {interval * 1000:g} ms (Slack's 1/s, {args.compress:g}x compressed), "
        f"fake Slack answers in {args.latency * 1000:g} ms\n"
    )
    rows = list(next(iter(results.values())))
    print("| | " + " | ".join(results) + " |")
    print("|---|" + "---|" * len(results))
    for row in rows:
        cells = [_fmt(r[row]) for r in results.values()]
        print(f"| {row} | " + " | ".join(cells) + " |")
    print("\n## Planning 2,000 sessions at start-up\n")
    print("| | |\n|---|---|")
    for key, value in planning.items():
        print(f"| {key} | {_fmt(value)} |")


def _fmt(value: float | int) -> str:
    return str(value) if isinstance(value, int) else f"{value * 1000:.1f} ms"


if __name__ == "__main__":
    main()
