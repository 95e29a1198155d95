"""The ledger: a claim succeeds once per (key, platform, channel), across threads and engines."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from bot.announcements import ledger
from bot.announcements.ledger import Destination
from bot.db.tables_announce import LedgerStatus

C1, C2 = Destination("slack", "C1"), Destination("slack", "C2")
NOW = datetime(2023, 8, 5, 17, 55, tzinfo=UTC)


def test_claim_once(db_sessions):
    with db_sessions() as db:
        assert ledger.claim(db, "start:a@x", C1, NOW)
        assert not ledger.claim(db, "start:a@x", C1, NOW)
        assert ledger.claim(db, "start:a@x", C2, NOW)  # another channel is another post
        [entry, _] = ledger.entries(db)
    assert (entry.status, entry.claimed_at, entry.owner.count(":")) == ("claimed", NOW, 1)


def test_claim_all_takes_a_group_at_once_and_only_new_keys_later(db_sessions):
    with db_sessions() as db:
        assert ledger.claim_all(db, ["b", "a"], C1, NOW) == ["a", "b"]
        assert ledger.claim_all(db, ["a", "b"], C1, NOW) == []
        assert ledger.claim_all(db, ["a", "b", "c"], C1, NOW) == ["c"]
        assert ledger.claim_all(db, [], C1, NOW) == []


def test_sent_failed_and_queries(db_sessions):
    with db_sessions() as db:
        ledger.claim_all(db, ["a", "b"], C1, NOW, due_at=NOW, late=True)
        ledger.claim(db, "c", C1, NOW)
        ledger.mark_sent(db, ["a", "b"], C1, "1.0001", NOW + timedelta(seconds=1), attempts=2)
        ledger.mark_failed(db, ["c"], C1, "channel_not_found: fix it", attempts=1)
        rows = {e.key: e for e in ledger.entries(db, C1)}
        assert ledger.known_keys(db, C1) == {"a", "b", "c"}
        failed = ledger.entries(db, statuses=[LedgerStatus.FAILED])
    assert (rows["a"].status, rows["a"].ts, rows["a"].attempts, rows["a"].late) == ("sent", "1.0001", 2, True)
    assert rows["a"].sent_at == NOW + timedelta(seconds=1)
    assert [(e.key, e.error) for e in failed] == [("c", "channel_not_found: fix it")]


def test_skips_are_recorded_once(db_sessions):
    with db_sessions() as db:
        assert ledger.record_skipped(db, ["a", "b"], C1, NOW, "too old") == ["a", "b"]
        assert ledger.record_skipped(db, ["a", "b"], C1, NOW, "too old") == []
        assert {e.status for e in ledger.entries(db)} == {"skipped"}


def test_stale_claims_are_those_never_settled(db_sessions):
    with db_sessions() as db:
        ledger.claim(db, "old", C1, NOW - timedelta(minutes=10))
        ledger.claim(db, "sent", C1, NOW - timedelta(minutes=10))
        ledger.mark_sent(db, ["sent"], C1, "1.0", NOW)
        ledger.claim(db, "fresh", C1, NOW - timedelta(seconds=30))
        stale = ledger.stale_claims(db, C1, NOW, timedelta(minutes=5))
        assert [e.key for e in stale] == ["old"]
        ledger.mark_unknown(db, ["old"], C1, "stopped")
        assert ledger.stale_claims(db, C1, NOW, timedelta(minutes=5)) == []


def test_two_processes_racing_each_group_is_won_once_and_whole(db_sessions, other_process_db_sessions):
    groups = [[f"g{i}:a", f"g{i}:b", f"g{i}:c"] for i in range(40)]
    won: dict[str, list[list[str]]] = {"one": [], "two": []}
    barrier = threading.Barrier(2)

    def race(name, sessions):
        barrier.wait()
        with sessions() as db:
            for keys in groups:
                won[name].append(ledger.claim_all(db, keys, C1, NOW))

    threads = [
        threading.Thread(target=race, args=("one", db_sessions)),
        threading.Thread(target=race, args=("two", other_process_db_sessions)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i, keys in enumerate(groups):
        results = [won["one"][i], won["two"][i]]
        assert sorted(results, key=len) == [[], sorted(keys)], f"group {i} split or doubled"
    with db_sessions() as db:
        assert len(ledger.entries(db)) == 120
