"""The lobby board's cost: boards polling beside Slack's load, and a board answer beside /healthz.

Method. One ``awair-bot run --http`` (SQLite, AWAIR schedule, clock at Sunday 16:20 with
the unconference plan published, so four rooms are on) on loopback; Web API calls go to a
fake Slack in this process.

1. Slack's load with and without boards, in pairs of rounds in ABBA order (none, boards,
   boards, none, ...) so drift on a shared VM hits both alike: ``--clients`` threads send signed /next
   for ``--seconds`` each round, as ``bench/load.py --mix next`` does; in the board rounds
   ``--boards`` pollers (a process of their own) ask for ``/board/live`` every ``--poll``
   seconds, each starting at a random moment of its first period, with If-None-Match as
   the page does. The figure: /next p99 with boards over without, over the pooled rounds
   and pair by pair.
2. Side by side on the same, otherwise idle server, one keep-alive client, interleaved in
   batches: ``/healthz``, a board answer (200, and 304 with the ETag), a door sign, the
   whole page, and the day grid.
3. In process: building the board value and rendering the live part (what the first
   request of each minute costs; the rest of the minute is served from the memo).

    python bench/bench_board.py [--seconds 15] [--pairs 4] [--boards 50] [--poll 10]
"""

from __future__ import annotations

import argparse
import copy
import http.client
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.board_pollers import Boards  # noqa: E402
from bench.common import median, pct, timed  # noqa: E402
from bench.load import Client, warm_up  # noqa: E402
from tests.support.fake_slack import FakeSlack  # noqa: E402
from tests.support.process import BotProcess, bot_env, bot_process  # noqa: E402

NOW = "2023-08-06T16:20:00-07:00"


def connect(target: BotProcess) -> http.client.HTTPConnection:
    host, port = target.base_url.removeprefix("http://").split(":")
    return http.client.HTTPConnection(host, int(port), timeout=30)


def slack_load(target: BotProcess, fake: FakeSlack, seconds: float, clients: int) -> tuple[list[float], int]:
    """Signed /next from ``clients`` threads for ``seconds``: latencies and errors."""
    stop = time.monotonic() + seconds
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def worker(i: int) -> None:
        client = Client(target.base_url, fake.response_url("load"))
        mine: list[float] = []
        n = i
        while time.monotonic() < stop:
            t0 = time.perf_counter()
            try:
                status, _ = client.send("next", n, [1])
            except Exception:  # noqa: BLE001 - counted, and a new connection
                status = 0
                client = Client(target.base_url, fake.response_url("load"))
            mine.append(time.perf_counter() - t0)
            if status != 200:
                with lock:
                    errors[0] += 1
            n += clients
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors[0]


def side_by_side(target: BotProcess, requests: int) -> dict[str, list[float]]:
    """Latency of each answer, one keep-alive client, interleaved in batches of 50."""
    conn = connect(target)

    def once(path: str, headers: dict[str, str]) -> tuple[int, str]:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status, response.getheader("ETag") or ""

    _, etag = once("/board/live", {})
    kinds = {
        "/healthz": ("/healthz", {}, 200),
        "/board/live, 200": ("/board/live", {}, 200),
        "/board/live, 304": ("/board/live", {"If-None-Match": etag}, 304),
        "/board/live?room=Library, 200": ("/board/live?room=Library", {}, 200),
        "/board (the page), 200": ("/board", {}, 200),
        "/day/2023-08-06, 200": ("/day/2023-08-06", {}, 200),
    }
    results: dict[str, list[float]] = {k: [] for k in kinds}
    for _ in range(requests // 50):
        for name, (path, headers, expected) in kinds.items():
            for _ in range(50):
                t0 = time.perf_counter()
                status, new_etag = once(path, headers)
                results[name].append(time.perf_counter() - t0)
                if name == "/board/live, 304" and status == 200:  # the minute turned: follow it
                    headers["If-None-Match"] = new_etag
                elif status != expected:
                    raise AssertionError(f"{path}: HTTP {status}")
    return results


def in_process() -> dict[str, float]:
    """Median cost of the board value and of rendering it (a cold, first-of-the-minute answer)."""
    from bot.board import build_board
    from bot.day_grid import day_grid
    from bot.schedule.current import CurrentSchedule
    from handlers.web import pages
    from tests.bot.conftest import pt
    from tests.support.board_fixtures import published_plan

    schedule = CurrentSchedule.load(REPO / "schedule_data")
    workshop = schedule.set_extra_sessions(published_plan(schedule.workshop))
    now = pt("2023-08-06 16:20")
    board = build_board(workshop, now)
    grid = day_grid(workshop, now.date(), now)
    return {
        "build_board": median(timed(lambda: build_board(workshop, now), 500)),
        "render the live part": median(timed(lambda: pages.live_fragment(board, None, None), 500)),
        "day_grid + render the day": median(
            timed(lambda: pages.day_page(day_grid(workshop, now.date(), now), None), 100)
        ),
        "(day_grid alone)": median(timed(lambda: day_grid(workshop, now.date(), now), 500)),
        "(grid rendered)": median(timed(lambda: pages.day_page(grid, None), 100)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15.0, help="length of each round")
    parser.add_argument("--pairs", type=int, default=4, help="pairs of rounds (without, with boards)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--boards", type=int, default=50)
    parser.add_argument("--poll", type=float, default=10.0, help="seconds between a board's polls")
    parser.add_argument("--requests", type=int, default=2000, help="of each answer, side by side")
    args = parser.parse_args()

    with FakeSlack() as fake, tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        url = f"sqlite:///{work}/board.sqlite3"
        publish_plan(url)
        env = bot_env(fake.url, url, AWAIR_NOW=NOW, WATCH_SCHEDULE="false")
        with bot_process(env, work) as target:
            warm_up(target, fake)
            fleet = Boards(target, args.boards, args.poll)
            rounds: list[tuple[str, list[float], int, Boards | None]] = []
            # Pairs in ABBA order (none, boards, boards, none, ...), so neither kind always
            # goes first while the VM warms up or drifts.
            for pair in range(args.pairs):
                for with_boards in (False, True) if pair % 2 == 0 else (True, False):
                    if with_boards:
                        with fleet:
                            latencies, errors = slack_load(target, fake, args.seconds, args.clients)
                        name = f"{args.boards} boards every {args.poll:g} s"
                        rounds.append((name, latencies, errors, copy.copy(fleet)))
                    else:
                        latencies, errors = slack_load(target, fake, args.seconds, args.clients)
                        rounds.append(("none", latencies, errors, None))
            fleet.close()
            sides = side_by_side(target, args.requests)
            rss = target.memory_mb()
    report(args, rounds, sides, in_process(), rss)


def publish_plan(url: str) -> None:
    """Six proposals with votes, planned and published through the bot's own code, so the
    bot starts with the unconference on in three rooms (the four-room board)."""
    from bot.db.engine import make_engine, make_sessionmaker
    from bot.db.migrate import upgrade
    from bot.schedule.loader import load_schedule
    from bot.unconference.plans import make_draft, publish
    from bot.unconference.proposals import propose
    from bot.unconference.votes import toggle_vote
    from tests.bot.conftest import pt

    upgrade(url)
    engine = make_engine(url)
    db = make_sessionmaker(engine)()
    at = pt("2023-08-06 12:00")
    for i, title in enumerate(
        [
            "Evals for deception",
            "Interpretability tooling",
            "Governance and compute",
            "Debate in practice",
            "Reward hacking stories",
            "Careers in alignment",
        ]
    ):
        result = propose(db, f"UP{i:06d}", f"Proposer {i + 1}", title, "", at, None)
        toggle_vote(db, f"UV{i:06d}", result.proposal.number, 3, at)
    make_draft(db, load_schedule(REPO / "schedule_data"), at)
    assert publish(db, at).ok
    db.close()
    engine.dispose()


def report(args, rounds, sides, cold, rss) -> None:
    print(
        f"Slack's load: {args.clients} clients sending signed /next for {args.seconds:g} s a round, "
        f"{args.pairs} pairs of rounds in ABBA order\n"
    )
    print(
        "| round | boards | /next requests | /next p50 | /next p99 | errors | board polls 200 / 304 / failed | board 200 p50 | board 304 p50 | board p99 |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    pooled: dict[bool, list[float]] = {False: [], True: []}
    for i, (name, latencies, errors, boards) in enumerate(rounds):
        polls = b200 = b304 = bp99 = "-"
        if boards:
            s = boards.statuses
            polls = f"{s[200]} / {s[304]} / {sum(v for k, v in s.items() if k not in (200, 304))}"
            every = boards.latencies[200] + boards.latencies[304]
            b200 = f"{pct(boards.latencies[200], 50) * 1000:.1f} ms" if boards.latencies[200] else "-"
            b304 = f"{pct(boards.latencies[304], 50) * 1000:.1f} ms" if boards.latencies[304] else "-"
            slow, nth, status = boards.slowest
            bp99 = (
                f"{pct(every, 99) * 1000:.1f} ms (slowest {slow * 1000:.0f} ms: a {status}, poll {nth} of its board)"
                if every
                else "-"
            )
        pooled[boards is not None].extend(latencies)
        print(
            f"| {i + 1} | {name} | {len(latencies)} | {pct(latencies, 50) * 1000:.1f} ms "
            f"| {pct(latencies, 99) * 1000:.1f} ms | {errors} | {polls} | {b200} | {b304} | {bp99} |"
        )
    p99 = {k: [pct(lat, 99) for _, lat, _, b in rounds if (b is not None) == k] for k in (False, True)}
    ratios = [b / n for n, b in zip(p99[False], p99[True], strict=True)]
    print(
        f"\n/next p99 with boards vs without: pooled {pct(pooled[True], 99) * 1000:.1f} / "
        f"{pct(pooled[False], 99) * 1000:.1f} ms = {pct(pooled[True], 99) / pct(pooled[False], 99):.2f}x; "
        f"pairs {', '.join(f'{r:.2f}x' for r in ratios)} (median {statistics.median(ratios):.2f}x); target ≤ 1.1x"
    )
    floor = pct(sides["/healthz"], 50)
    print(f"\nSide by side, one keep-alive client, {args.requests} of each, interleaved:\n")
    print("| answer | p50 | p99 | p50 vs /healthz |")
    print("|---|---|---|---|")
    for name, values in sides.items():
        print(
            f"| {name} | {pct(values, 50) * 1000:.3f} ms | {pct(values, 99) * 1000:.3f} ms | {pct(values, 50) / floor:.2f}x |"
        )
    print("\nIn process, median per call (what the first request of a minute adds):\n")
    for name, seconds in cold.items():
        print(f"- {name}: {seconds * 1000:.3f} ms")
    print(f"\nServer RSS at the end: {rss:.1f} MB")


if __name__ == "__main__":
    main()
