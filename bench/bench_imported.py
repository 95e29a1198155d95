"""/next through Bolt's dispatch on an imported 1,000-event frab schedule.xml, against a bare
Bolt app that only acks (target: at most 1.3x).

The file is bench_import.py's congress (50 rooms, 4 days, nights past midnight); the run is
bench_next.py's comparison, at an instant inside it: Saturday 14:10, with fifty sessions on
and fifty next.

    python bench/bench_imported.py [--requests 3000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench import bench_next  # noqa: E402
from bench.bench_import import schedule_xml  # noqa: E402
from bench.common import ms, pct  # noqa: E402
from tests.support.fake_slack import FakeSlack  # noqa: E402

# Inside the generated congress (Europe/Berlin), where bench_next's AWAIR instant is not.
NOW = datetime.fromisoformat("2024-12-28T14:10:00+01:00")
TARGET = 1.3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    args = parser.parse_args()
    # compare() and cold_answer_seconds() take their instant from bench_next.NOW.
    bench_next.NOW = NOW
    with FakeSlack() as fake, tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "schedule.xml"
        path.write_text(schedule_xml(events=1000, rooms=50, days=4), encoding="utf-8")
        r = bench_next.compare(fake, path, args.requests)
        cold = bench_next.cold_answer_seconds(path)
    o50, o99, b50, b99 = pct(r["ours"], 50), pct(r["ours"], 99), pct(r["bare"], 50), pct(r["bare"], 99)
    s50 = pct(r["same_body"], 50)
    print(
        f"/next through Bolt dispatch on an imported schedule.xml (1,000 events, 50 rooms), "
        f"{args.requests} signed requests each, at {NOW.isoformat()}, Python {sys.version.split()[0]}\n"
    )
    print(
        "| ours p50 | ours p99 | bare p50 | bare p99 | ratio p50 | ratio p99 | target | bare acking our body p50 |"
    )
    print("|---|---|---|---|---|---|---|---|")
    print(
        f"| {ms(o50)} | {ms(o99)} | {ms(b50)} | {ms(b99)} | {o50 / b50:.2f}x | {o99 / b99:.2f}x "
        f"| ≤ {TARGET}x | {ms(s50)} |"
    )
    print(
        f"\nCold answer (the first /next of a minute computes and renders): "
        f"{ms(pct(cold, 50))} p50, {ms(pct(cold, 99))} p99"
    )


if __name__ == "__main__":
    main()
