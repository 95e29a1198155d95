"""Lobby screens for the benchmarks: boards polling /board/live as the page does, from a
process of their own."""

from __future__ import annotations

import http.client
import multiprocessing
import random
import threading
import time
from collections import Counter

from tests.support.process import BotProcess


class Boards:
    """``count`` lobby screens polling /board/live every ``period`` seconds with If-None-Match.

    They run in a process of their own, started once before the rounds: in this process,
    50 busy load threads would keep a waking poller waiting for the GIL (counted as the
    server's time), and starting a process during a round would cost the round CPU. Each
    ``with`` block is one round: the boards poll while it lasts.
    """

    def __init__(self, target: BotProcess, count: int, period: float):
        context = multiprocessing.get_context("spawn")
        self.commands, self.results = context.Queue(), context.Queue()
        self.process = context.Process(
            target=poll_boards,
            args=(target.base_url, count, period, self.commands, self.results),
            daemon=True,
        )
        self.process.start()
        if self.results.get(timeout=60) != "ready":
            raise RuntimeError("the boards' process did not start")
        self.statuses: Counter[int] = Counter()
        self.latencies: dict[int, list[float]] = {200: [], 304: []}
        self.slowest: tuple[float, int, int] = (0.0, 0, 0)  # seconds, which poll of its board, status

    def __enter__(self) -> Boards:
        self.commands.put("start")
        return self

    def __exit__(self, *exc) -> None:
        self.commands.put("report")
        statuses, latencies, self.slowest = self.results.get(timeout=60)
        self.statuses = Counter(statuses)
        self.latencies = {200: [], 304: [], **latencies}

    def close(self) -> None:
        """Stop the boards' process."""
        self.commands.put("quit")
        self.process.join(30)


def poll_boards(base_url: str, count: int, period: float, commands, results) -> None:
    """The pollers' process: while a round lasts, each board polls every ``period`` seconds,
    starting at a random moment of its first period; between polls it sleeps."""
    host, port = base_url.removeprefix("http://").split(":")
    quitting = threading.Event()
    changed = threading.Condition()
    current: dict = {"round": None}  # an Event, set when that round is over
    lock = threading.Lock()
    record: dict = {"statuses": Counter(), "latencies": {}, "slowest": (0.0, 0, 0)}

    def board(rng: random.Random) -> None:
        conn, etag, seen = http.client.HTTPConnection(host, int(port), timeout=30), "", None
        while True:
            with changed:
                changed.wait_for(lambda seen=seen: quitting.is_set() or current["round"] is not seen)
                if quitting.is_set():
                    return
                over = seen = current["round"]
            due, polls = time.monotonic() + rng.uniform(0, period), 1
            while not over.wait(max(0.0, due - time.monotonic())):
                t0 = time.perf_counter()
                try:
                    conn.request("GET", "/board/live", headers={"If-None-Match": etag} if etag else {})
                    response = conn.getresponse()
                    response.read()
                    status = response.status
                    etag = response.getheader("ETag") or etag
                except Exception:  # noqa: BLE001 - counted as status 0, and a new connection
                    status, conn = 0, http.client.HTTPConnection(host, int(port), timeout=30)
                elapsed = time.perf_counter() - t0
                with lock:
                    record["statuses"][status] += 1
                    record["latencies"].setdefault(status, []).append(elapsed)
                    record["slowest"] = max(record["slowest"], (elapsed, polls, status))
                polls += 1
                due += period

    threads = [threading.Thread(target=board, args=(random.Random(i),), daemon=True) for i in range(count)]
    for t in threads:
        t.start()
    results.put("ready")
    while True:
        command = commands.get()
        if command == "start":
            with changed:
                current["round"] = threading.Event()
                changed.notify_all()
        elif command == "report":
            current["round"].set()
            time.sleep(0.2)  # polls in flight finish
            with lock:
                results.put((dict(record["statuses"]), record["latencies"], record["slowest"]))
                record.update(statuses=Counter(), latencies={}, slowest=(0.0, 0, 0))
        else:
            quitting.set()
            with changed:
                changed.notify_all()
            return
