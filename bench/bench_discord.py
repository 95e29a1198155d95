"""Benchmark: /next through Discord's HTTP interactions endpoint against a bare endpoint, and
announcements on time under Discord's rate limit.

Method. (1) Signed interactions (Ed25519 with a test key, as Discord signs them) through the
endpoint's WSGI application, in process: ours (signature, the command layer, the embed)
against a bare endpoint that only checks the signature and answers a fixed message, and a
bare one answering a fixed copy of our reply (the cost of a bigger body), interleaved in
batches of 100. (2) A real ``AnnouncementScheduler`` with the real ``DiscordPoster`` over
HTTP to a fake channel that enforces Discord's 5 messages per 5 s per channel, compressed
``--compress`` times, answering faster posts with 429 and ``retry_after``; lateness is
measured beyond the earliest time the rate limit allowed each post.

Run: .venv/bin/python bench/bench_discord.py [--requests 3000]
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter, deque
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.bench_announce import percentile, workshop_of  # noqa: E402
from bench.common import ms, pct, synthetic_schedule, timed  # noqa: E402
from bot.announcements.plan import AnnouncementPolicy, session_key  # noqa: E402
from bot.announcements.scheduler import AnnouncementScheduler  # noqa: E402
from bot.db.engine import make_engine, make_sessionmaker  # noqa: E402
from bot.db.migrate import upgrade  # noqa: E402
from handlers.discord.endpoint import make_endpoint, verify  # noqa: E402
from handlers.discord.poster import DiscordPoster  # noqa: E402
from handlers.discord.rest import DiscordRest  # noqa: E402
from tests.support.discord_harness import PUBLIC_KEY, DiscordHarness, member, sign  # noqa: E402
from tests.support.fake_discord import APPLICATION_ID, FakeDiscord  # noqa: E402

NOW = datetime.fromisoformat("2023-08-05T10:45:00-07:00")


def bare_endpoint(reply: dict, parse: bool = False):
    """The floor: checks the signature, answers ``reply`` (made once); with ``parse``, reads
    the body's JSON too, as any endpoint must to tell a PING from a command."""
    from nacl.signing import VerifyKey

    key, body_out = VerifyKey(bytes.fromhex(PUBLIC_KEY)), json.dumps(reply).encode()

    def endpoint(environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length)
        ok = verify(
            key, environ["HTTP_X_SIGNATURE_ED25519"], environ["HTTP_X_SIGNATURE_TIMESTAMP"], body, time.time()
        )
        start_response("200 OK" if ok else "401 Unauthorized", [("Content-Type", "application/json")])
        return [body_out]

    return endpoint


def _environ(body: bytes, headers: dict[str, str]) -> dict:
    import io

    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/discord/interactions",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        **{"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()},
    }


def compare(schedule: Path, requests: int) -> dict[str, list[float]]:
    """Per-request seconds: ours, the bare endpoint, the bare one answering our body."""
    with FakeDiscord() as fake:
        harness = DiscordHarness(fake, NOW, schedule_path=schedule)
        ours = make_endpoint(harness.app.interactions, PUBLIC_KEY)
        interaction = {
            "id": "1", "application_id": APPLICATION_ID, "type": 2, "token": "t", "version": 1,
            "guild_id": "100000000000000001", "member": member(), "data": {"name": "next", "type": 1},
        }  # fmt: skip
        body = json.dumps(interaction).encode()
        headers = sign(body)  # one signature for the run: the check's cost is the same each time
        ours_reply = json.loads(b"".join(ours(_environ(body, headers), lambda *a: None)))
        apps = {
            "bare": bare_endpoint({"type": 4, "data": {"content": "ok", "flags": 64}}),
            "ours": ours,
            "same_body": bare_endpoint(ours_reply),
            "parsing": bare_endpoint(ours_reply, parse=True),
        }
        results: dict[str, list[float]] = {name: [] for name in apps}
        for app in apps.values():  # warm-up
            for _ in range(50):
                b"".join(app(_environ(body, headers), lambda *a: None))
        for _ in range(max(1, requests // 100)):
            for name, app in apps.items():
                results[name] += timed(
                    lambda app=app: b"".join(app(_environ(body, headers), lambda *a: None)), 100
                )
        return results


class RateLimitedChannel(BaseHTTPRequestHandler):
    """Discord's 5 messages per ``window`` per channel; 429 with ``retry_after`` past it."""

    window = 0.1
    accepted: list[tuple[float, str]] = []
    rejected = 0
    sent: deque = deque()
    lock = threading.Lock()

    def log_message(self, *args) -> None:
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        cls = type(self)
        with cls.lock:
            now = time.time()
            while cls.sent and cls.sent[0] <= now - cls.window:
                cls.sent.popleft()
            if len(cls.sent) >= 5:
                cls.rejected += 1
                status, answer = (
                    429,
                    {
                        "message": "You are being rate limited.",
                        "retry_after": cls.sent[0] + cls.window - now,
                        "global": False,
                    },
                )
            else:
                cls.sent.append(now)
                name = body["embeds"][0]["fields"][0]["name"].split(" ", 1)[1]
                cls.accepted.append((now, name))
                status, answer = 200, {"id": str(len(cls.accepted)), "channel_id": "1"}
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def run_delivery(url: str, dues: list[datetime], window: float) -> dict:
    """One announcement per due instant through the real scheduler and poster."""
    RateLimitedChannel.window, RateLimitedChannel.accepted, RateLimitedChannel.rejected = window, [], 0
    RateLimitedChannel.sent = deque()
    server = ThreadingHTTPServer(("127.0.0.1", 0), RateLimitedChannel)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    upgrade(url)
    engine = make_engine(url)
    workshop = workshop_of(dues)
    poster = DiscordPoster(DiscordRest("token", f"http://127.0.0.1:{server.server_address[1]}/api/v10/"))
    scheduler = AnnouncementScheduler(
        make_sessionmaker(engine), poster, "1", policy=AnnouncementPolicy(lead=timedelta(0))
    )
    scheduler.start(workshop)
    deadline = time.time() + (dues[-1] - datetime.now(UTC)).total_seconds() + 30
    while len(RateLimitedChannel.accepted) < len(dues) and time.time() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    scheduler.shutdown()
    engine.dispose()
    server.shutdown()
    due_of = {s.title: s.start.timestamp() for s in workshop.sessions}
    assert len(due_of) == len({session_key(s) for s in workshop.sessions})
    posted = Counter(name for _, name in RateLimitedChannel.accepted)
    at = {name: t for t, name in RateLimitedChannel.accepted}
    # The earliest each could go out: no more than 5 in any window, in due order.
    forced, recent = {}, deque()
    for name in sorted(due_of, key=due_of.get):
        earliest = due_of[name]
        if len(recent) == 5:
            earliest = max(earliest, recent.popleft() + window)
        forced[name] = earliest
        recent.append(earliest)
    late = [at[k] - due_of[k] for k in at]
    excess = [at[k] - forced[k] for k in at]
    return {
        "posts": len(RateLimitedChannel.accepted),
        "429s": RateLimitedChannel.rejected,
        "duplicates": sum(n - 1 for n in posted.values() if n > 1),
        "losses": len(set(due_of) - set(posted)),
        "late p50": statistics.median(late),
        "late p99": percentile(late, 99),
        "beyond limit p50": statistics.median(excess),
        "beyond limit p99": percentile(excess, 99),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--sessions", type=int, default=300)
    parser.add_argument("--over", type=float, default=10.0, help="seconds the dues spread over")
    parser.add_argument("--compress", type=float, default=50.0)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    print(f"## /next through POST /discord/interactions, {args.requests} signed interactions each\n")
    print("| schedule | ours p50 | ours p99 | bare p50 | bare p99 | ratio p50 | ratio p99 | target | bare answering our body p50 | ours vs that | bare also parsing the body p50 | ours vs that |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for label, path in (
            ("AWAIR (26 sessions)", REPO / "schedule_data"),
            ("synthetic (2,000 sessions)", synthetic_schedule(Path(tmp) / "s2000", 2000)),
        ):
            r = compare(path, args.requests)
            o50, o99, b50, b99, s50 = (pct(r["ours"], 50), pct(r["ours"], 99), pct(r["bare"], 50), pct(r["bare"], 99), pct(r["same_body"], 50))  # fmt: skip
            p50 = pct(r["parsing"], 50)
            print(
                f"| {label} | {ms(o50)} | {ms(o99)} | {ms(b50)} | {ms(b99)} | {o50 / b50:.2f}x | {o99 / b99:.2f}x "
                f"| ≤ 1.25x | {ms(s50)} | {o50 / s50:.2f}x | {ms(p50)} | {o50 / p50:.2f}x |"
            )
        window = 5.0 / args.compress
        n, gap = args.sessions, args.over / args.sessions
        begin = datetime.now(UTC) + timedelta(seconds=3)
        spread = [begin + timedelta(seconds=i * gap) for i in range(n)]
        results = {"spread": run_delivery(f"sqlite:///{tmp}/spread.sqlite3", spread, window)}
        begin = datetime.now(UTC) + timedelta(seconds=3)
        bursts = [begin + timedelta(seconds=(i // 10) * 10 * gap + (i % 10) * 0.002) for i in range(n)]
        results["bursts of 10"] = run_delivery(f"sqlite:///{tmp}/bursts.sqlite3", bursts, window)
    print(
        f"\n## Announcements: {n} sessions over {args.over:g} s, one channel, Discord's 5 messages per 5 s "
        f"({args.compress:g}x compressed: 5 per {window * 1000:g} ms), over HTTP to a fake channel\n"
    )
    print("| | " + " | ".join(results) + " |")
    print("|---|" + "---|" * len(results))
    for row in next(iter(results.values())):
        cells = [
            str(v[row]) if isinstance(v[row], int) else f"{v[row] * 1000:.1f} ms" for v in results.values()
        ]
        print(f"| {row} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
