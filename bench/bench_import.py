"""Load time of frab schedule.xml files: our importer against a plain XML parse; and what
polling an unchanged SCHEDULE_URL costs.

Both loads are timed in one run, alternating, on the same file: a generated one (1,000 events
in 50 rooms over 4 days, nights running past midnight, a quarter of the descriptions in HTML)
and the largest real file of the corpus (FOSDEM 2026, 883 events); the target is at most 3x
the plain parse. The poll serves that file from a loopback HTTP server with an ETag: each poll
of the unchanged URL must be one conditional request and no reload, timed against a bare
conditional GET with urllib.

    python bench/bench_import.py [--runs 21] [--polls 200]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import threading
import time
import uuid
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.common import median  # noqa: E402
from bot.clock import ManualClock  # noqa: E402
from bot.schedule.loader import load_schedule  # noqa: E402
from bot.schedule.remote import ScheduleCache, SchedulePoller, open_remote_schedule, urllib_fetch  # noqa: E402

LARGEST_REAL = REPO / "tests" / "bot" / "formats" / "corpus" / "fosdem-2026.xml"

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


def compare(path: Path, runs: int) -> tuple[str, float, float]:
    """Median seconds of a plain ElementTree parse and of ``load_schedule``, alternating."""
    workshop = load_schedule(path)  # warm-up, and a check that it loads
    ET.parse(path)
    plain, ours = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        ET.parse(path)
        t1 = time.perf_counter()
        load_schedule(path)
        t2 = time.perf_counter()
        plain.append(t1 - t0)
        ours.append(t2 - t1)
    size = path.stat().st_size / 1024
    what = f"{len(workshop.sessions)} events, {len(workshop.rooms)} rooms, {len(workshop.days)} days, {size:.0f} KiB"
    return what, median(plain), median(ours)


def serve(body: bytes) -> tuple[ThreadingHTTPServer, list[str]]:
    """A loopback server for ``body`` with an ETag, answering If-None-Match with 304."""
    etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def do_GET(self) -> None:  # noqa: N802
            seen.append(self.headers.get("If-None-Match") or "")
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, seen


def polls(path: Path, count: int) -> dict[str, float]:
    """Poll an unchanged URL ``count`` times, alternating with bare conditional GETs."""
    httpd, seen = serve(path.read_bytes())
    url = f"http://127.0.0.1:{httpd.server_address[1]}/schedule.xml"
    with tempfile.TemporaryDirectory() as tmp:
        cache = ScheduleCache(Path(tmp))
        schedule = open_remote_schedule(url, cache)
        reloads = []
        schedule.subscribe(lambda old, new: reloads.append(1))
        clock = ManualClock(datetime(2026, 1, 31, tzinfo=UTC))
        poller = SchedulePoller(url, schedule, cache, clock, timedelta(minutes=5))
        etag = cache.meta()["etag"]
        first = len(seen)
        ours, bare, outcomes = [], [], []
        for _ in range(count):
            clock.advance(timedelta(minutes=5))
            t0 = time.perf_counter()
            outcomes.append(poller.poll_if_due().outcome)
            t1 = time.perf_counter()
            urllib_fetch(url, {"If-None-Match": etag})
            t2 = time.perf_counter()
            ours.append(t1 - t0)
            bare.append(t2 - t1)
    httpd.shutdown()
    conditional = sum(1 for h in seen[first:] if h)
    return {
        "requests": (len(seen) - first) / 2,  # half of them are the bare GETs
        "conditional": conditional / 2,
        "reloads": len(reloads),
        "unchanged": outcomes.count("unchanged"),
        "ours": median(ours),
        "bare": median(bare),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="timed runs of each load (default 21)")
    parser.add_argument("--polls", type=int, default=200, help="polls of the unchanged URL (default 200)")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "schedule.xml"
        path.write_text(schedule_xml(), encoding="utf-8")
        rows.append(("generated", *compare(path, args.runs)))
    rows.append((f"real: {LARGEST_REAL.name}", *compare(LARGEST_REAL, args.runs)))
    print(f"median of {args.runs} runs each\n")
    print("| file | size | `ElementTree.parse` (ms) | `load_schedule` (ms) | ratio (target at most 3x) |")
    print("|---|---|---:|---:|---:|")
    for name, what, plain, ours in rows:
        print(f"| {name} | {what} | {plain * 1000:.1f} | {ours * 1000:.1f} | {ours / plain:.2f}x |")
    p = polls(LARGEST_REAL, args.polls)
    print(
        f"\nPolling the unchanged {LARGEST_REAL.name} over loopback, {args.polls} polls: "
        f"{p['requests']:.0f} requests ({p['conditional']:.0f} conditional), {p['unchanged']} unchanged, "
        f"{p['reloads']} reloads; median {p['ours'] * 1000:.2f} ms a poll against "
        f"{p['bare'] * 1000:.2f} ms for a bare conditional GET ({p['ours'] / p['bare']:.2f}x)"
    )


if __name__ == "__main__":
    main()
