"""Shared pieces of the benchmarks: synthetic schedules, signed requests, percentiles."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from bot.schedule.yamlio import dump_yaml

KINDS = ["talk", "reading", "discussion", "talk", "meal"]


def synthetic_schedule(folder: Path, sessions: int, rooms: int = 20, start: date = date(2023, 8, 5)) -> Path:
    """Write a valid schedule folder with ``sessions`` sessions spread over rooms and days."""
    folder.mkdir(parents=True, exist_ok=True)
    room_names = [f"Room {i + 1:02d}" for i in range(rooms)]
    (folder / "workshop.yaml").write_text(
        dump_yaml(
            {
                "name": f"Synthetic conference ({sessions} sessions)",
                "timezone": "America/Los_Angeles",
                "rooms": [{"name": r, "capacity": 20 + i} for i, r in enumerate(room_names)],
            }
        )
    )
    per_day = rooms * 12  # 12 half-hour slots (8:00-14:00) in every room
    n, day = 0, 0
    while n < sessions:
        items = []
        for slot in range(12):
            for room in room_names:
                if n >= sessions or len(items) >= per_day:
                    break
                h, m = divmod(8 * 60 + slot * 30, 60)
                items.append(
                    {
                        "id": f"s{n}",
                        "title": f"Session {n}",
                        "start": f"{h:02d}:{m:02d}",
                        "end": f"{h:02d}:{m + 25:02d}",
                        "kind": KINDS[n % len(KINDS)],
                        "room": room,
                        "speaker": f"Speaker {n % 97}",
                    }
                )
                n += 1
        d = start + timedelta(days=day)
        (folder / f"{d.isoformat()}.yaml").write_text(dump_yaml({"date": d, "sessions": items}))
        day += 1
    return folder


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    """Run ``fn`` ``runs`` times; seconds per run."""
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def pct(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def ms(seconds: float) -> str:
    """'0.412 ms'."""
    return f"{seconds * 1000:.3f} ms"


def median(values: list[float]) -> float:
    """The median."""
    return statistics.median(values)
