"""Stored plans: the organizer's draft, the published plan, and its sessions in the schedule.

``make_draft`` plans the block from the open proposals and stores the result as the one
draft (superseding any earlier draft); ``publish`` makes the draft the published plan. The
published plan's sessions keep the title and speaker they had when planned, so later
edits to a proposal don't move a session people have already seen in the schedule.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.orm import Session as DbSession

from bot.db.tables_unconf import PlanItemRecord, PlanRecord, PlanStatus
from bot.schedule.current import CurrentSchedule
from bot.schedule.model import Kind, Session, Speaker, Workshop
from bot.unconference import txn
from bot.unconference.planner import Plan, block_window, plan
from bot.unconference.proposals import list_open

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PlannedSession:
    """One stored session of a plan; text fields are raw and must be escaped."""

    session_id: str
    proposal_number: int
    title: str
    description: str
    speaker_id: str
    speaker_name: str
    room: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class StoredPlan:
    """A draft or published plan as stored."""

    id: int
    status: PlanStatus
    block_session_id: str
    created_at: datetime
    created_by: str | None
    published_at: datetime | None
    items: tuple[PlannedSession, ...]  # by start, then room order of the plan


def save_draft(session: DbSession, the_plan: Plan, now: datetime, by: str | None = None) -> StoredPlan:
    """Store ``the_plan`` as the draft; an earlier draft is superseded."""

    def work(s: DbSession) -> int:
        # Superseded, not deleted: ids then never come back (SQLite reuses a deleted
        # highest rowid), so ``publish(draft_id=...)`` can tell an old draft from a new one.
        s.execute(
            update(PlanRecord)
            .where(PlanRecord.status == PlanStatus.DRAFT.value)
            .values(status=PlanStatus.SUPERSEDED.value)
        )
        record = PlanRecord(
            status=PlanStatus.DRAFT.value,
            block_session_id=the_plan.block_session_id,
            created_at=now,
            created_by=by,
        )
        s.add(record)
        s.flush()
        s.add_all(
            PlanItemRecord(
                plan_id=record.id,
                proposal_id=p.proposal.number,
                session_id=p.session_id,
                room=p.room.name,
                starts_at=p.start,
                ends_at=p.end,
                title=p.proposal.title,
                description=p.proposal.description,
                speaker_id=p.proposal.author_id,
                speaker_name=p.proposal.author_name,
            )
            for p in the_plan.placements
        )
        return record.id

    plan_id = txn.write(session, work, "save_draft")
    logger.info("unconference draft plan %d saved by %s", plan_id, by)
    stored = _load(session, PlanRecord.id == plan_id)
    assert stored is not None  # just committed
    return stored


def make_draft(
    session: DbSession,
    workshop: Workshop,
    now: datetime,
    by: str | None = None,
    *,
    include_unvoted: bool = False,
) -> tuple[Plan, StoredPlan] | None:
    """Plan the block from the open proposals and save it as the draft.

    None when the schedule has no unconference block (with a start and an end).
    """
    window = block_window(workshop)
    if window is None:
        return None
    block, start, end = window
    the_plan = plan(list_open(session), block, start, end, include_unvoted=include_unvoted)
    return the_plan, save_draft(session, the_plan, now, by)


def current_draft(session: DbSession) -> StoredPlan | None:
    """The draft waiting to be published, if any."""
    return _load(session, PlanRecord.status == PlanStatus.DRAFT.value)


def published_plan(session: DbSession) -> StoredPlan | None:
    """The published plan, if any."""
    return _load(session, PlanRecord.status == PlanStatus.PUBLISHED.value)


class PublishOutcome(StrEnum):
    """How ``publish`` ended."""

    PUBLISHED = "published"
    NO_DRAFT = "no_draft"
    DRAFT_CHANGED = "draft_changed"


@dataclass(frozen=True)
class PublishResult:
    """The answer to ``publish``; ``plan`` is the newly published plan."""

    outcome: PublishOutcome
    message: str
    plan: StoredPlan | None = None

    @property
    def ok(self) -> bool:
        """True when the draft was published."""
        return self.outcome is PublishOutcome.PUBLISHED


def publish(
    session: DbSession, now: datetime, by: str | None = None, draft_id: int | None = None
) -> PublishResult:
    """Publish the draft; the previously published plan, if any, is superseded.

    Pass the ``draft_id`` the organizer was shown, so a draft replaced in the meantime
    (another organizer re-planned) is not published unseen.
    """

    def work(s: DbSession) -> tuple[PublishOutcome, int | None]:
        draft = s.scalar(
            select(PlanRecord.id).where(PlanRecord.status == PlanStatus.DRAFT.value).with_for_update()
        )
        if draft is None:
            return PublishOutcome.NO_DRAFT, None
        if draft_id is not None and draft != draft_id:
            return PublishOutcome.DRAFT_CHANGED, None
        # Supersede first: the partial unique index allows one published plan at a time.
        s.execute(
            update(PlanRecord)
            .where(PlanRecord.status == PlanStatus.PUBLISHED.value)
            .values(status=PlanStatus.SUPERSEDED.value)
        )
        s.execute(
            update(PlanRecord)
            .where(PlanRecord.id == draft)
            .values(status=PlanStatus.PUBLISHED.value, published_at=now, published_by=by)
        )
        return PublishOutcome.PUBLISHED, draft

    outcome, plan_id = txn.write(session, work, "publish")
    if outcome is PublishOutcome.NO_DRAFT:
        return PublishResult(outcome, "There is no draft plan to publish; make one first.")
    if outcome is PublishOutcome.DRAFT_CHANGED:
        return PublishResult(outcome, "The draft changed since you saw it; look at the new draft first.")
    logger.info("unconference plan %s published by %s", plan_id, by)
    stored = _load(session, PlanRecord.id == plan_id)
    count = len(stored.items) if stored else 0
    noun = "session is" if count == 1 else "sessions are"
    return PublishResult(outcome, f"The plan is published: {count} {noun} in the schedule.", stored)


def to_sessions(stored: StoredPlan, workshop: Workshop) -> tuple[Session, ...]:
    """A stored plan's sessions as schedule sessions of kind UNCONFERENCE."""
    block = workshop.session(stored.block_session_id)
    zone = workshop.timezone
    return tuple(
        Session(
            id=item.session_id,
            title=item.title,
            kind=Kind.UNCONFERENCE,
            day=block.day if block else workshop.day_of(item.start),
            start=item.start.astimezone(zone),
            end=item.end.astimezone(zone),
            speakers=(Speaker(item.speaker_name),),
            room=item.room,
            description=item.description,
        )
        for item in stored.items
    )


def plan_sessions(session: DbSession, workshop: Workshop) -> tuple[Session, ...]:
    """The published plan's sessions, or () when nothing is published."""
    stored = published_plan(session)
    return to_sessions(stored, workshop) if stored else ()


def _load(session: DbSession, where: ColumnElement[bool]) -> StoredPlan | None:
    record = session.scalar(select(PlanRecord).where(where).order_by(PlanRecord.id.desc()))
    if record is None:
        return None
    items = session.scalars(
        select(PlanItemRecord)
        .where(PlanItemRecord.plan_id == record.id)
        .order_by(PlanItemRecord.starts_at, PlanItemRecord.id)
    ).all()
    return StoredPlan(
        id=record.id,
        status=PlanStatus(record.status),
        block_session_id=record.block_session_id,
        created_at=record.created_at,
        created_by=record.created_by,
        published_at=record.published_at,
        items=tuple(
            PlannedSession(
                session_id=i.session_id,
                proposal_number=i.proposal_id,
                title=i.title,
                description=i.description,
                speaker_id=i.speaker_id,
                speaker_name=i.speaker_name,
                room=i.room,
                start=i.starts_at,
                end=i.ends_at,
            )
            for i in items
        ),
    )


def drop_from_published(session: DbSession, proposal_number: int) -> PlannedSession | None:
    """Take proposal ``proposal_number``'s session out of the published plan (it was
    withdrawn, merged or removed); the session it had, or None when it had none."""

    def work(s: DbSession) -> int | None:
        published = s.scalar(select(PlanRecord.id).where(PlanRecord.status == PlanStatus.PUBLISHED.value))
        if published is None:
            return None
        item = s.scalar(
            select(PlanItemRecord).where(
                PlanItemRecord.plan_id == published, PlanItemRecord.proposal_id == proposal_number
            )
        )
        if item is None:
            return None
        s.delete(item)
        return published

    stored = published_plan(session)
    planned = (
        next((i for i in stored.items if i.proposal_number == proposal_number), None) if stored else None
    )
    if planned is None or txn.write(session, work, "drop_from_published") is None:
        return None
    logger.info("proposal #%d's session %s left the published plan", proposal_number, planned.session_id)
    return planned


def cancel_planned(
    sessions: Callable[[], DbSession], schedule: CurrentSchedule, proposal_number: int
) -> PlannedSession | None:
    """A published session whose proposal went away is cancelled: out of the plan and the
    running schedule, so ``/next`` stops showing it and the announcers' re-plan posts the
    usual change notice. The session it was, or None."""
    with sessions() as db:
        planned = drop_from_published(db, proposal_number)
    if planned is not None:
        refresh_schedule(sessions, schedule)
    return planned


def refresh_schedule(sessions: Callable[[], DbSession], schedule: CurrentSchedule) -> Workshop:
    """Put the published plan's sessions into the running schedule (and so into ``/next``,
    ``/schedule`` and the announcer, which re-plans on the change)."""
    with sessions() as db:
        planned = plan_sessions(db, schedule.workshop)
    return schedule.set_extra_sessions(planned)
