"""Benchmark: 2,000 votes on one proposal in 60 s, against a fake Slack that rate-limits as
Slack does (issue 13).

Method. ``awair-bot run --http`` as its own process on an SQLite file, its Web API calls to
a ``FakeSlack`` in this process with Slack's tiers on (``tests/support/slack_limits.py``:
``chat.update`` Tier 3, 50 a minute; over it, 429 with ``Retry-After``). One proposal is
posted, then ``--votes`` signed Vote clicks, each from a new voter, are sent evenly over
``--seconds`` from ``--clients`` threads. Then we wait for the bot to go quiet and read
what Slack saw.

Targets: the proposal's message ends on the exact count; no 429 left unhandled (we count
every 429 the fake answered: the bot should meet none); at most Tier 3's share of
``chat.update`` (50 in any 60 s).

    python bench/bench_hot_vote.py [--votes 2000] [--seconds 60] [--clients 20]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.bench_unconf import CHANNEL, NOW, _last_shown, settle  # noqa: E402
from tests.support.fake_slack import FakeSlack  # noqa: E402
from tests.support.harness import SIGNING_SECRET  # noqa: E402
from tests.support.process import bot_env, bot_process  # noqa: E402
from tests.support.signing import block_action_body, signed_headers, slash_command_body  # noqa: E402
from tests.support.slack_limits import TIER_3  # noqa: E402


def post(url: str, body: str) -> int:
    request = urllib.request.Request(url, data=body.encode(), headers=signed_headers(body, SIGNING_SECRET))
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def most_in_a_minute(stamps: list[float]) -> int:
    """The most calls in any 60 s window."""
    stamps, best, start = sorted(stamps), 0, 0
    for end, at in enumerate(stamps):
        while at - stamps[start] >= 60:
            start += 1
        best = max(best, end - start + 1)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--votes", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=20)
    args = parser.parse_args()

    with FakeSlack(rate_limits=True) as fake, tempfile.TemporaryDirectory() as workdir:
        env = bot_env(
            fake.url,
            f"sqlite:///{workdir}/bench.sqlite3",
            AWAIR_NOW=NOW,
            UNCONFERENCE_CHANNEL=CHANNEL,
            WATCH_SCHEDULE="false",
        )
        with bot_process(env, Path(workdir)) as bot:
            url = bot.base_url + "/slack/events"
            assert post(url, slash_command_body("/propose", "The hot topic", user_id="UAUTHOR")) == 200
            fake.wait_for_calls("chat.postMessage", 1, timeout=30)
            bodies = [
                block_action_body(
                    "unconf_vote", "1", user_id=f"UV{i:05d}", response_url=fake.response_url("v")
                )
                for i in range(args.votes)
            ]
            started = time.monotonic()
            lock = threading.Lock()
            statuses: list[int] = []

            def send(i: int) -> None:
                # Evenly over the run: vote i goes out at i/votes of it.
                delay = started + args.seconds * i / args.votes - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                status = post(url, bodies[i])
                with lock:
                    statuses.append(status)

            with ThreadPoolExecutor(max_workers=args.clients) as pool:
                list(pool.map(send, range(args.votes)))
            sent_for = time.monotonic() - started
            ended = time.time()
            settle(fake, quiet=3.0)
        updates = fake.calls_to("chat.update")
        limited = [c for c in fake.calls if c.status == 429]
        shown = _last_shown(fake).get(1)
        last_lag = max((c.timestamp for c in updates), default=ended) - ended
        window = most_in_a_minute([c.timestamp for c in updates])
    print(f"{args.votes:,} votes over {sent_for:.1f} s, {sum(s == 200 for s in statuses):,} answered 200")
    print(
        f"| votes | chat.update | most in any 60 s (Tier 3: {TIER_3}) | 429s met | message shows | last update after the burst |"
    )
    print("|---|---|---|---|---|---|")
    print(
        f"| {args.votes:,} | {len(updates)} | {window} | {len(limited)} | {shown} "
        f"({'exact' if shown == args.votes else 'WRONG'}) | {max(last_lag, 0):.1f} s |"
    )


if __name__ == "__main__":
    main()
