"""Claim, post, record: exactly once, late within grace, skipped beyond, failures recorded."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from bot.announcements import ledger, organizer
from bot.announcements.changes import diff_schedules
from bot.announcements.ledger import Destination
from bot.announcements.messages import SessionStart
from bot.announcements.plan import AnnouncementPolicy, due_announcements
from bot.announcements.poster import PostError
from bot.announcements.send import (
    Outbox,
    Outcome,
    recover,
    send_changes,
    send_organizer,
    send_session_start,
)
from tests.bot.announcements.fakes import PT, FakePoster, FindingFakePoster, Sleeps, session, workshop

T = datetime(2023, 8, 5, 11, 0, tzinfo=PT)
MIN = timedelta(minutes=1)
W = workshop(session("a", T, room="Main"), session("b", T, room="Library"), session("c", T + 60 * MIN))


TO = Destination("fake", "C-ANN")


@pytest.fixture
def poster() -> FakePoster:
    """A fake channel that records posts."""
    return FakePoster()


@pytest.fixture
def outbox(db_sessions, poster) -> Outbox:
    """Posting to #announce through the fake, never really sleeping."""
    return Outbox(db_sessions, poster, "C-ANN", PT, AnnouncementPolicy(), sleep=Sleeps())


def first_due(w=W):
    return due_announcements(w, AnnouncementPolicy())[0]


def test_posts_a_slot_once(outbox, poster, db_sessions, other_process_db_sessions):
    due = first_due()
    assert send_session_start(outbox, due, due.due_at)[0] is Outcome.POSTED
    assert send_session_start(outbox, due, due.due_at)[0] is Outcome.ALREADY
    second_process = replace(outbox, sessions=other_process_db_sessions)
    assert send_session_start(second_process, due, due.due_at)[0] is Outcome.ALREADY
    assert len(poster.posts) == 1 and poster.posted_keys() == list(due.keys)
    with db_sessions() as db:
        rows = ledger.entries(db)
    assert [(r.status, r.ts, r.late) for r in rows] == [("sent", poster.posts[0].ts, False)] * 2


def test_late_within_grace_is_posted_and_marked(outbox, poster, db_sessions):
    due = first_due()
    outcome, _ = send_session_start(outbox, due, due.due_at + 7 * MIN)
    assert outcome is Outcome.POSTED
    assert poster.posts[0].message.late
    assert "Started at 11:00 PT (started 2 min ago)" in poster.texts()[0]
    with db_sessions() as db:
        assert all(r.late for r in ledger.entries(db))


def test_too_old_is_skipped_and_logged_once(outbox, poster, db_sessions, caplog):
    due = first_due()
    caplog.set_level(logging.WARNING)
    for _ in range(2):
        assert send_session_start(outbox, due, due.due_at + 11 * MIN)[0] is Outcome.SKIPPED
    assert poster.posts == []
    assert len([r for r in caplog.records if "past the grace window" in r.message]) == 1
    with db_sessions() as db:
        assert {r.status for r in ledger.entries(db)} == {"skipped"}


def test_a_session_added_to_an_announced_slot_goes_out_alone(outbox, poster):
    send_session_start(outbox, first_due(), first_due().due_at)
    bigger = workshop(*W.sessions, session("late-addition", T))
    due = first_due(bigger)
    assert send_session_start(outbox, due, due.due_at + MIN)[0] is Outcome.POSTED
    assert [p.keys for p in poster.posts][1] == ("start:late-addition@2023-08-05T18:00:00Z",)


def test_a_moved_session_is_announced_again_at_its_new_time(outbox, poster):
    send_session_start(outbox, first_due(), first_due().due_at)
    moved = workshop(replace(W.sessions[0], start=T + 30 * MIN, end=T + 60 * MIN), *W.sessions[1:])
    due = first_due(moved)
    assert due.keys == ("start:b@2023-08-05T18:00:00Z",)  # b stays; it was announced already
    assert send_session_start(outbox, due, due.due_at)[0] is Outcome.ALREADY
    new_due = [d for d in due_announcements(moved, AnnouncementPolicy()) if d.start == T + 30 * MIN]
    assert send_session_start(outbox, new_due[0], new_due[0].due_at)[0] is Outcome.POSTED


def test_hard_failure_is_recorded_with_the_fix_and_not_retried_blind(outbox, poster, db_sessions):
    poster.fail_next(PostError("channel_not_found", hint="set ANNOUNCE_CHANNEL to the channel's id"))
    due = first_due()
    outcome, delivery = send_session_start(outbox, due, due.due_at)
    assert outcome is Outcome.FAILED and "ANNOUNCE_CHANNEL" in delivery.hint
    with db_sessions() as db:
        [row, _] = ledger.entries(db)
    assert row.status == "failed" and row.error.startswith("channel_not_found: ")
    assert send_session_start(outbox, due, due.due_at)[0] is Outcome.ALREADY


def test_change_notices_go_out_once(outbox, poster):
    moved = workshop(replace(W.sessions[0], start=T + 30 * MIN, end=T + 60 * MIN), *W.sessions[1:])
    changes = diff_schedules(W, moved, T - 60 * MIN)
    assert send_changes(outbox, changes, T - 60 * MIN)[0] is Outcome.POSTED
    assert send_changes(outbox, changes, T - 59 * MIN)[0] is Outcome.ALREADY
    assert poster.texts()[0].startswith("📣 Schedule change:")


def test_organizer_announcement_once_late_or_skipped(outbox, poster, db_sessions):
    with db_sessions() as db:
        on_time = organizer.schedule(db, "Lunch on the roof", "fake:U1", "Ada", "fake", "C-ANN", T, T - MIN)
        late = organizer.schedule(db, "Walk at 4", "fake:U1", "Ada", "fake", "C-ANN", T, T - MIN)
        old = organizer.schedule(db, "Too old", "fake:U1", "Ada", "fake", "C-ANN", T - 60 * MIN, T - 90 * MIN)
        cancelled = organizer.schedule(db, "Never", "fake:U1", "Ada", "fake", "C-ANN", T, T - MIN)
        assert organizer.cancel(db, cancelled.id) and not organizer.cancel(db, cancelled.id)
    assert send_organizer(outbox, on_time.id, T)[0] is Outcome.POSTED
    assert send_organizer(outbox, on_time.id, T)[0] is Outcome.ALREADY
    assert send_organizer(outbox, late.id, T + 3 * MIN)[0] is Outcome.POSTED
    assert send_organizer(outbox, old.id, T)[0] is Outcome.SKIPPED
    assert send_organizer(outbox, cancelled.id, T)[0] is Outcome.ALREADY
    assert [p.message.text for p in poster.posts] == ["Lunch on the roof", "Walk at 4"]
    assert poster.posts[1].message.late
    with db_sessions() as db:
        statuses = {r.text: r.status for r in organizer.listing(db, "fake", include_done=True)}
        assert organizer.cancel(db, on_time.id) is False  # posted: too late to cancel
    assert statuses == {
        "Lunch on the roof": "sent",
        "Walk at 4": "sent",
        "Too old": "skipped",
        "Never": "cancelled",
    }


def test_a_claim_left_by_a_dead_process_is_not_reposted(outbox, poster, db_sessions):
    with db_sessions() as db:
        ledger.claim(db, "start:a@2023-08-05T18:00:00Z", TO, T - 10 * MIN)
        stuck = organizer.schedule(db, "Stuck", "fake:U1", "Ada", "fake", "C-ANN", T - 10 * MIN, T - 20 * MIN)
        organizer.claim(db, stuck.id, T - 10 * MIN)
    assert recover(outbox, T, timedelta(minutes=5)) == []  # nothing released without a search
    assert poster.posts == []
    with db_sessions() as db:
        assert [r.status for r in ledger.entries(db)] == ["unknown"]
        assert organizer.get(db, stuck.id).status == "failed"
    assert recover(outbox, T, timedelta(minutes=5)) == []
    with db_sessions() as db:
        assert [r.status for r in ledger.entries(db)] == ["unknown"]  # settled once, for good


def test_a_claim_searched_for_and_not_found_is_released_for_posting_again(db_sessions):
    poster = FindingFakePoster()
    box = Outbox(db_sessions, poster, "C-ANN", PT, sleep=Sleeps())
    due = first_due()
    with db_sessions() as db:  # claimed, then the process died before posting
        ledger.claim_all(db, due.keys, TO, due.due_at)
        stuck = organizer.schedule(db, "Stuck", "fake:U1", "Ada", "fake", "C-ANN", due.due_at, due.due_at)
        organizer.claim(db, stuck.id, due.due_at)
    released = recover(box, due.due_at + 6 * MIN, timedelta(minutes=5))
    assert released == list(due.keys)
    with db_sessions() as db:
        assert ledger.entries(db) == []  # claimable again
        assert organizer.get(db, stuck.id).status == "pending"


def test_a_claim_left_by_a_dead_process_is_settled_by_finding_its_post(db_sessions):
    poster = FindingFakePoster()
    box = Outbox(db_sessions, poster, "C-ANN", PT, sleep=Sleeps())
    due = first_due()
    # The process claimed and posted, then died before recording the ts.
    poster.post("C-ANN", SessionStart(due.start, PT, due.sessions, due.due_at))
    with db_sessions() as db:
        ledger.claim_all(db, due.keys, TO, due.due_at)
    recover(box, due.due_at + 6 * MIN, timedelta(minutes=5))
    with db_sessions() as db:
        assert {(r.status, r.ts) for r in ledger.entries(db)} == {("sent", poster.posts[0].ts)}


def test_recovery_settles_only_its_own_platforms_claims(db_sessions):
    poster = FakePoster()  # platform "fake"
    box = Outbox(db_sessions, poster, "C-ANN", PT, sleep=Sleeps())
    theirs = Destination("other", "C-ANN")  # the same channel id on another platform
    with db_sessions() as db:
        ledger.claim(db, "start:a@2023-08-05T18:00:00Z", theirs, T - 10 * MIN)
        stuck = organizer.schedule(
            db, "Theirs", "other:U1", "Ada", "other", "C-ANN", T - 10 * MIN, T - 20 * MIN
        )
        organizer.claim(db, stuck.id, T - 10 * MIN)
    assert recover(box, T, timedelta(minutes=5)) == []
    with db_sessions() as db:
        assert [r.status for r in ledger.entries(db)] == ["claimed"]  # left for its own platform
        assert organizer.get(db, stuck.id).status == "sending"
