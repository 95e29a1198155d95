"""Load time of a 1,000-event frab schedule.xml: our importer against a plain XML parse.

Both are timed in one run, alternating, on the same generated file (1,000 events in 50 rooms
over 4 days, nights running past midnight, a quarter of the descriptions in HTML); the target
is at most 3x the plain parse.

    python bench/bench_import.py [--runs 21]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.common import median  # noqa: E402
from bot.schedule.loader import load_schedule  # noqa: E402

_TYPES = ("lecture", "workshop", "Talk", "Podium discussion", "Coffee break", "Lightning Talk")


def schedule_xml(events: int = 1000, rooms: int = 50, days: int = 4) -> str:
    """A frab schedule.xml like a congress's: ``events`` spread over ``rooms`` and ``days``."""
    per_slot = events // (rooms * days)
    first = date(2024, 12, 27)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<schedule>",
        "<version>bench</version>",
        "<conference><acronym>bench</acronym><title>Bench Congress</title>"
        "<time_zone_name>Europe/Berlin</time_zone_name>"
        "<base_url>https://bench.example.org/</base_url></conference>",
    ]
    n = 0
    for d in range(days):
        on = first + timedelta(days=d)
        start = datetime(on.year, on.month, on.day, 10)
        out.append(
            f'<day index="{d + 1}" date="{on}" start="{start:%Y-%m-%dT%H:%M}:00+01:00" '
            f'end="{start + timedelta(hours=18):%Y-%m-%dT%H:%M}:00+01:00">'
        )
        for r in range(rooms):
            room = f"Room {r + 1:02d}"
            out.append(f"<room name={quoteattr(room)}>")
            for k in range(per_slot):
                n += 1
                # Every 200 minutes from 10:00: the last of five starts 23:20 and ends after midnight.
                at = start + timedelta(minutes=200 * k)
                out.append(_event(n, at, room, _TYPES[n % len(_TYPES)]))
            out.append("</room>")
        out.append("</day>")
    out.append("</schedule>")
    return "\n".join(out)


def _event(n: int, at: datetime, room: str, kind: str) -> str:
    persons = "".join(f'<person id="{n * 3 + p}">Speaker {n * 3 + p}</person>' for p in range(1 + n % 3))
    link = f'<link href="https://bench.example.org/papers/{n}">Paper {n}</link>' if n % 2 else ""
    # pretalx and frab mostly publish plain text; some descriptions carry HTML and entities.
    if n % 4:
        description = f"Event {n} looks at topic {n % 17} and its history.\r\n\r\nFirst point; second point."
    else:
        description = (
            f"<p>Event {n} looks at <b>topic {n % 17}</b> &amp; its history.</p>"
            f"<ul><li>first point</li><li>second point</li></ul>"
        )
    return (
        f'<event id="{n}" guid="{uuid.uuid5(uuid.NAMESPACE_URL, f"bench/{n}")}">'
        f"<date>{at:%Y-%m-%dT%H:%M}:00+01:00</date><start>{at:%H:%M}</start><duration>01:30</duration>"
        f"<room>{escape(room)}</room><slug>bench-{n}</slug><title>Event number {n}</title>"
        f"<subtitle/><track>Track {n % 7}</track><type>{kind}</type><language>en</language>"
        f"<abstract>Short abstract of event {n}.</abstract><description>{escape(description)}</description>"
        f"<persons>{persons}</persons><links>{link}</links><attachments/>"
        f"<url>https://bench.example.org/events/{n}</url></event>"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="timed runs of each (default 21)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "schedule.xml"
        path.write_text(schedule_xml(), encoding="utf-8")
        workshop = load_schedule(path)  # warm-up, and a check that it loads
        ET.parse(path)
        plain, ours = [], []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            ET.parse(path)
            t1 = time.perf_counter()
            load_schedule(path)
            t2 = time.perf_counter()
            plain.append(t1 - t0)
            ours.append(t2 - t1)
        size_kb = path.stat().st_size / 1024
    ratio = median(ours) / median(plain)
    print(
        f"{len(workshop.sessions)} events, {len(workshop.rooms)} rooms, {len(workshop.days)} days, "
        f"{size_kb:.0f} KiB; median of {args.runs} runs each\n"
    )
    print("| load | median (ms) |")
    print("|---|---:|")
    print(f"| `xml.etree.ElementTree.parse` | {median(plain) * 1000:.1f} |")
    print(f"| `load_schedule` (frab XML importer) | {median(ours) * 1000:.1f} |")
    print(f"| ratio (target at most 3x) | {ratio:.2f}x |")


if __name__ == "__main__":
    main()
