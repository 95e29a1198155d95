"""Drafts, publishing, and the published plan in the schedule (/next, /schedule)."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from bot.agenda import day_agenda
from bot.db.tables_unconf import PlanRecord, PlanStatus
from bot.schedule.current import with_sessions
from bot.schedule.model import Kind, Speaker
from bot.unconference import (
    PublishOutcome,
    current_draft,
    make_draft,
    plan_sessions,
    propose,
    publish,
    published_plan,
    toggle_vote,
)
from bot.whats_next import whats_next
from tests.bot.conftest import pt
from tests.bot.unconference.conftest import NOW

SUNDAY = date(2023, 8, 6)


def seed(db, topics):
    """Proposals ``(title, author, votes)``, created a minute apart; returns their numbers."""
    numbers = []
    for i, (title, author, votes) in enumerate(topics):
        when = NOW + timedelta(minutes=i)
        n = propose(db, author, f"{author} Name", title, "", when, None).proposal.number
        for v in range(votes):
            toggle_vote(db, f"V{v}", n, 10, when)
        numbers.append(n)
    return numbers


TOPICS = [
    ("Interpretability <!channel>", "ann", 5),
    ("Evals", "bob", 4),
    ("Governance", "cy", 3),
    ("RLHF failure modes", "dee", 2),
    ("Unpopular", "eve", 0),
]


def test_make_draft_plans_the_awair_block_and_stores_it(db, awair):
    numbers = seed(db, TOPICS)
    the_plan, stored = make_draft(db, awair, NOW, by="ORG")
    assert stored.status is PlanStatus.DRAFT and stored.created_by == "ORG"
    assert [(i.proposal_number, i.room, i.start) for i in stored.items] == [
        (p.proposal.number, p.room.name, p.start) for p in the_plan.placements
    ]
    rooms = {i.proposal_number: (i.room, i.start) for i in stored.items}
    assert rooms == {
        numbers[0]: ("Main room", pt("2023-08-06 16:00")),
        numbers[1]: ("Main room", pt("2023-08-06 17:00")),
        numbers[2]: ("Library", pt("2023-08-06 16:00")),
        numbers[3]: ("Library", pt("2023-08-06 17:00")),
    }
    assert [u.proposal.number for u in the_plan.unplaced] == [numbers[4]]
    assert current_draft(db) == stored
    assert published_plan(db) is None


def test_a_new_draft_replaces_the_old_one(db, awair):
    seed(db, TOPICS[:2])
    _, first = make_draft(db, awair, NOW)
    _, second = make_draft(db, awair, NOW + timedelta(minutes=5))
    assert second.id != first.id
    assert current_draft(db).id == second.id


def test_publish_without_a_draft_is_refused(db):
    result = publish(db, NOW, by="ORG")
    assert result.outcome is PublishOutcome.NO_DRAFT and not result.ok
    assert "no draft" in result.message


def test_publishing_a_draft_that_changed_since_it_was_shown_is_refused(db, awair):
    seed(db, TOPICS[:2])
    _, shown = make_draft(db, awair, NOW)
    make_draft(db, awair, NOW)  # another organizer re-planned meanwhile
    result = publish(db, NOW, draft_id=shown.id)
    assert result.outcome is PublishOutcome.DRAFT_CHANGED
    assert published_plan(db) is None


def test_publishing_makes_the_draft_the_plan_and_supersedes_the_old_one(db, awair):
    seed(db, TOPICS)
    _, first = make_draft(db, awair, NOW)
    result = publish(db, NOW, by="ORG", draft_id=first.id)
    assert result.ok and result.message == "The plan is published: 4 sessions are in the schedule."
    assert result.plan.id == first.id and result.plan.status is PlanStatus.PUBLISHED
    assert current_draft(db) is None
    _, second = make_draft(db, awair, NOW + timedelta(hours=1))
    publish(db, NOW + timedelta(hours=1))
    assert published_plan(db).id == second.id
    assert db.get(PlanRecord, first.id).status == PlanStatus.SUPERSEDED.value


def test_the_database_allows_one_published_plan_only(db):
    for _ in range(2):
        db.add(PlanRecord(status=PlanStatus.PUBLISHED.value, block_session_id="b", created_at=NOW))
    with pytest.raises(IntegrityError):
        db.commit()
    db.rollback()


def test_published_sessions_are_unconference_sessions_of_the_block(db, awair):
    numbers = seed(db, TOPICS)
    make_draft(db, awair, NOW)
    publish(db, NOW)
    sessions = plan_sessions(db, awair)
    assert [s.id for s in sessions] == [f"unconf-{n}" for n in (numbers[0], numbers[2])] + [
        f"unconf-{n}" for n in (numbers[1], numbers[3])
    ]
    first = sessions[0]
    assert first.kind is Kind.UNCONFERENCE
    assert first.title == "Interpretability <!channel>"  # raw; renderers escape it
    assert first.speakers == (Speaker("ann Name"),)
    assert (first.room, first.day) == ("Main room", SUNDAY)
    assert (first.start, first.end) == (pt("2023-08-06 16:00"), pt("2023-08-06 17:00"))
    assert first.start.tzinfo == awair.timezone


def test_nothing_published_means_no_sessions(db, awair):
    assert plan_sessions(db, awair) == ()


def test_make_draft_needs_an_unconference_block(db, awair):
    assert make_draft(db, dataclasses.replace(awair, unconference=None), NOW) is None


def test_the_published_plan_shows_in_next_and_the_days_schedule(db, awair):
    seed(db, TOPICS)
    make_draft(db, awair, NOW)
    publish(db, NOW)
    workshop = with_sessions(awair, plan_sessions(db, awair))
    answer = whats_next(workshop, pt("2023-08-06 15:55"))
    slot = answer.upcoming[0]
    assert slot.start == pt("2023-08-06 16:00")
    assert [s.id for s in slot.sessions][0] == "sun-unconference"  # the block stays first
    assert [s.room for s in slot.sessions[1:]] == ["Main room", "Library"]
    agenda = day_agenda(workshop, SUNDAY, pt("2023-08-06 16:30"))
    titles = [item.session.title for item in agenda.items]
    assert "RLHF failure modes" in titles and "Evals" in titles
    starts = [s.start for s in workshop.sessions]
    assert starts == sorted(starts)


def test_applying_a_plan_twice_does_not_repeat_its_sessions(db, awair):
    seed(db, TOPICS)
    make_draft(db, awair, NOW)
    publish(db, NOW)
    sessions = plan_sessions(db, awair)
    once = with_sessions(awair, sessions)
    assert with_sessions(once, sessions) == once
    assert len(once.sessions) == len(awair.sessions) + len(sessions)
    assert awair.session("unconf-1") is None  # the original is left alone
