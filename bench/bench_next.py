"""/next through Bolt's dispatch with signed requests, against a bare Bolt app that only acks.

Both run side by side in one process, interleaved in batches so drift hits both alike; on the
AWAIR schedule and on 2,000 synthetic sessions. Then the running bot's peak memory: the real
``awair-bot run --http`` process under the same requests.

    python bench/bench_next.py [--requests 3000]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from slack_bolt import App  # noqa: E402
from slack_sdk import WebClient  # noqa: E402

from bench.common import ms, pct, synthetic_schedule, timed  # noqa: E402
from tests.support.fake_slack import FakeSlack  # noqa: E402
from tests.support.harness import BOT_TOKEN, SIGNING_SECRET, SlackHarness  # noqa: E402
from tests.support.process import bot_env, bot_process  # noqa: E402
from tests.support.signing import bolt_request, slash_command_body  # noqa: E402

NOW = datetime.fromisoformat("2023-08-05T10:45:00-07:00")


def bare_app(fake: FakeSlack) -> App:
    """The floor: a Bolt app whose /next only acknowledges."""
    app = App(
        client=WebClient(token=BOT_TOKEN, base_url=fake.url),
        signing_secret=SIGNING_SECRET,
        process_before_response=True,  # as ours: see handlers/app.py
    )

    @app.command("/next")
    def _next(ack):
        ack()

    return app


def same_body_app(fake: FakeSlack, reply: dict) -> App:
    """A bare app that acks a fixed copy of our reply: separates our code's cost from
    Bolt's cost of serialising a bigger body."""
    app = App(
        client=WebClient(token=BOT_TOKEN, base_url=fake.url),
        signing_secret=SIGNING_SECRET,
        process_before_response=True,
    )

    @app.command("/next")
    def _next(ack):
        ack(**reply)

    return app


def compare(fake: FakeSlack, schedule: Path, requests: int) -> dict[str, list[float]]:
    """Per-request seconds for ours and the bare apps, interleaved in batches of 100."""
    harness = SlackHarness(fake, NOW, schedule_path=schedule)
    ours = harness.app
    bare = bare_app(fake)
    body = slash_command_body("/next", "", response_url=fake.response_url("bench"))
    reply = json.loads(ours.dispatch(bolt_request(body, SIGNING_SECRET)).body)
    same_body = same_body_app(fake, reply)
    results: dict[str, list[float]] = {"ours": [], "bare": [], "same_body": []}
    for app in (ours, bare, same_body):  # warm-up
        for _ in range(50):
            assert app.dispatch(bolt_request(body, SIGNING_SECRET)).status == 200
    for _ in range(requests // 100):
        for name, app in (("bare", bare), ("ours", ours), ("same_body", same_body)):
            results[name] += timed(lambda app=app: app.dispatch(bolt_request(body, SIGNING_SECRET)), 100)
    return results


def cold_answer_seconds(schedule: Path, runs: int = 500) -> list[float]:
    """Seconds to compute and render one /next with nothing cached."""
    from bot.commands.next_up import parse_next
    from bot.schedule.loader import load_schedule
    from bot.whats_next import whats_next
    from handlers.slack.render.answers import next_blocks

    workshop = load_schedule(schedule)
    return timed(lambda: next_blocks(whats_next(workshop, NOW, parse_next(""))), runs)


def peak_memory_mb(fake: FakeSlack, requests: int) -> tuple[float, float]:
    """Start the real HTTP bot, send ``requests`` signed /next, read its RSS and peak (VmHWM)."""
    with tempfile.TemporaryDirectory() as tmp:
        env = bot_env(fake.url, f"sqlite:///{tmp}/bench.sqlite3", AWAIR_NOW=NOW.isoformat())
        with bot_process(env, Path(tmp)) as bot:
            start_rss = bot.memory_mb()
            body = slash_command_body("/next", "", response_url=fake.response_url("bench"))
            for _ in range(requests):
                status, _ = bot.post(body)
                assert status == 200
            return start_rss, bot.memory_mb("VmHWM")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    args = parser.parse_args()
    print(
        f"/next through Bolt dispatch, {args.requests} signed requests each, Python {sys.version.split()[0]}\n"
    )
    print(
        "| schedule | ours p50 | ours p99 | bare p50 | bare p99 | ratio p50 | ratio p99 | target | bare acking our body p50 | ours vs that |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    colds: list[str] = []
    with FakeSlack() as fake, tempfile.TemporaryDirectory() as tmp:
        for label, path in (
            ("AWAIR (26 sessions)", REPO / "schedule_data"),
            ("synthetic (2,000 sessions)", synthetic_schedule(Path(tmp) / "s2000", 2000)),
        ):
            r = compare(fake, path, args.requests)
            o50, o99, b50, b99 = (
                pct(r["ours"], 50),
                pct(r["ours"], 99),
                pct(r["bare"], 50),
                pct(r["bare"], 99),
            )
            cold = cold_answer_seconds(schedule=path)
            colds.append(f"{label}: {ms(pct(cold, 50))} p50, {ms(pct(cold, 99))} p99")
            s50 = pct(r["same_body"], 50)
            print(
                f"| {label} | {ms(o50)} | {ms(o99)} | {ms(b50)} | {ms(b99)} | {o50 / b50:.2f}x | {o99 / b99:.2f}x | ≤ 1.25x "
                f"| {ms(s50)} | {o50 / s50:.2f}x |"
            )
        print(
            "\nCold answer (the first /next of a half minute computes and renders; later ones reuse it): "
            + "; ".join(colds)
        )
        start, peak = peak_memory_mb(fake, 1000)
        print(f"\nRunning bot (awair-bot run --http, AWAIR schedule): RSS after start {start:.1f} MB, "
              f"peak after 1,000 signed /next {peak:.1f} MB (target < 120 MB)")  # fmt: skip


if __name__ == "__main__":
    main()
