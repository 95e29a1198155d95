"""Personal agendas at conference scale: 2,000 attendees with 10 picks each.

1. 500 reminders due in the same minute, sent by the real ``RemindersRunner`` and Slack
   poster to a fake Slack that enforces chat.postMessage's limits (one message a second
   per channel; a workspace-wide bucket; 429 with Retry-After beyond them): every one
   delivered, none twice, and how late each is beyond what the limit itself allows.
2. ``/mine`` against ``/next`` through Bolt's dispatch with signed requests, both from
   attendees who have picks, interleaved in batches.

    python bench/bench_reminders.py [--rate 50] [--requests 2000]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import insert  # noqa: E402

from bench.common import ms, pct, synthetic_schedule, timed  # noqa: E402
from bot.clock import ManualClock  # noqa: E402
from bot.db.tables_agenda import Pick  # noqa: E402
from bot.my_agenda.sender import RemindersRunner  # noqa: E402
from handlers.slack.poster import DM_RATE, DM_REFUSED, SlackPoster, posting_client  # noqa: E402
from tests.support.fake_slack import FakeSlack  # noqa: E402
from tests.support.harness import BOT_TOKEN, SIGNING_SECRET, SlackHarness  # noqa: E402
from tests.support.signing import bolt_request, slash_command_body  # noqa: E402

NOW = datetime.fromisoformat("2023-08-05T08:45:00-07:00")
DUE_SLOT = datetime.fromisoformat("2023-08-05T09:30:00-07:00")  # 500 pickers' session starts
ATTENDEES, PICKS, DUE = 2000, 10, 500


class LimitedSlack(ThreadingHTTPServer):
    """chat.postMessage with Slack's limits: per channel 1 a second, and a workspace-wide
    token bucket (``rate`` a second, ``burst`` at once); beyond them HTTP 429, Retry-After: 1."""

    daemon_threads = True

    def __init__(self, rate: float, burst: int):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.rate, self.burst = rate, burst
        self.tokens, self.refilled = float(burst), time.monotonic()
        self.last_in: dict[str, float] = {}
        self.accepted: list[tuple[str, float]] = []  # (channel, when)
        self.refused = 0
        self.lock = threading.Lock()

    def admit(self, channel: str) -> bool:
        with self.lock:
            now = time.monotonic()
            self.tokens = min(self.burst, self.tokens + (now - self.refilled) * self.rate)
            self.refilled = now
            if self.tokens < 1 or now - self.last_in.get(channel, -10.0) < 1.0:
                self.refused += 1
                return False
            self.tokens -= 1
            self.last_in[channel] = now
            self.accepted.append((channel, now))
            return True


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode()
        if "json" in (self.headers.get("Content-Type") or ""):
            args = json.loads(raw or "{}")
        else:
            args = {k: v[0] for k, v in parse_qs(raw).items()}
        channel = str(args.get("channel", ""))
        if self.server.admit(channel):  # type: ignore[attr-defined]
            body, status = {"ok": True, "channel": channel, "ts": f"{time.time():.6f}"}, 200
        else:
            body, status = {"ok": False, "error": "ratelimited"}, 429
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        if status == 429:
            self.send_header("Retry-After", "1")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        pass


def fill_picks(harness: SlackHarness, seed: int = 7) -> list[str]:
    """2,000 attendees x 10 picks; exactly 500 of them picked one of the sessions at 09:30.
    Returns the members' ids."""
    rng = random.Random(seed)
    workshop = harness.services.workshop
    at_slot = [s.id for s in workshop.sessions if s.start == DUE_SLOT]
    others = [
        s.id for s in workshop.sessions if s.start != DUE_SLOT and s.start > DUE_SLOT + timedelta(minutes=30)
    ]
    users = [f"U{i:07d}" for i in range(ATTENDEES)]
    rows = []
    for i, user in enumerate(users):
        chosen = rng.sample(others, PICKS - 1 if i < DUE else PICKS)
        if i < DUE:
            chosen.append(at_slot[i % len(at_slot)])
        rows += [{"person": f"slack:{user}", "session_id": sid, "created_at": NOW} for sid in chosen]
    with harness.services.db() as db:
        db.execute(insert(Pick), rows)
        db.commit()
    return users


def reminders_round(harness: SlackHarness, rate: float, burst: int) -> None:
    """Section 1: the 500 reminders of 09:20 in one round against the limited fake."""
    server = LimitedSlack(rate, burst)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/api/"
    clock = ManualClock(DUE_SLOT - timedelta(minutes=10))
    runner = RemindersRunner(
        harness.services.db,
        harness.services.schedule,
        SlackPoster(posting_client(BOT_TOKEN, url)),
        clock,
        unreachable=DM_REFUSED,
        rate=rate,
    )
    start = time.monotonic()
    result = runner.tick(clock.now())
    took = time.monotonic() - start
    runner.shutdown()
    server.shutdown()
    channels = [c for c, _ in server.accepted]
    beyond = []
    for k, (_channel, when) in enumerate(sorted(server.accepted, key=lambda a: a[1])):
        allowed = max(0.0, (k + 1 - burst) / rate)  # the k-th message can't go sooner than this
        beyond.append(max(0.0, (when - start) - allowed))
    print(
        f"## 500 reminders due at once (fake Slack: 1/s per channel, {rate:.0f}/s workspace, burst {burst})\n"
    )
    print(
        "| due | sent | delivered | distinct members | twice | 429s | round took | limit allows | p50 beyond | p99 beyond | max beyond | target |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    allowed_total = max(0.0, (DUE - burst) / rate)
    print(
        f"| {DUE} | {result.sent} | {len(channels)} | {len(set(channels))} | {len(channels) - len(set(channels))} "
        f"| {server.refused} | {took:.2f} s | {allowed_total:.2f} s | {pct(beyond, 50):.3f} s | {pct(beyond, 99):.3f} s "
        f"| {max(beyond):.3f} s | p99 < 1 s |"
    )


def mine_vs_next(harness: SlackHarness, users: list[str], requests: int) -> None:
    """Section 2: /mine and /next from attendees with picks, through Bolt's dispatch."""
    app = harness.app
    sample = users[:200]  # cycled; each asked first in the warm-up (its zone looked up once)

    def body(command: str, user: str) -> str:
        return slash_command_body(command, "", user_id=user, response_url=harness.fake.response_url("b"))

    for user in sample:
        for command in ("/mine", "/next"):
            assert app.dispatch(bolt_request(body(command, user), SIGNING_SECRET)).status == 200
    results: dict[str, list[float]] = {"/mine": [], "/next": []}
    turn = 0
    for _ in range(requests // 100):
        for command in ("/next", "/mine"):
            batch = [body(command, sample[(turn + i) % len(sample)]) for i in range(100)]
            it = iter(batch)
            results[command] += timed(lambda it=it: app.dispatch(bolt_request(next(it), SIGNING_SECRET)), 100)
        turn += 100
    m50, m99, n50, n99 = (
        pct(results["/mine"], 50),
        pct(results["/mine"], 99),
        pct(results["/next"], 50),
        pct(results["/next"], 99),
    )
    print(f"\n## /mine vs /next through Bolt ({requests} signed requests each, attendees with 10 picks)\n")
    print("| /mine p50 | /mine p99 | /next p50 | /next p99 | ratio p50 | ratio p99 | target |")
    print("|---|---|---|---|---|---|---|")
    print(
        f"| {ms(m50)} | {ms(m99)} | {ms(n50)} | {ms(n99)} | {m50 / n50:.2f}x | {m99 / n99:.2f}x | ≤ 1.25x |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rate", type=float, default=DM_RATE, help="the fake's workspace-wide limit a second"
    )
    parser.add_argument("--burst", type=int, default=10)
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}; {ATTENDEES} attendees x {PICKS} picks on 2,000 sessions\n")
    with FakeSlack() as fake, tempfile.TemporaryDirectory() as tmp:
        schedule = synthetic_schedule(Path(tmp) / "s2000", 2000)
        harness = SlackHarness(fake, NOW, schedule_path=schedule, db_url=f"sqlite:///{tmp}/bench.sqlite3")
        users = fill_picks(harness)
        reminders_round(harness, args.rate, args.burst)
        mine_vs_next(harness, users, args.requests)


if __name__ == "__main__":
    main()
