"""Picks and personal settings in the database; every write commits before it returns, so
an acknowledgement never promises what a crash could lose."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.db.tables_agenda import AgendaPerson, Pick
from bot.db.tables_events import PlatformEvent

DEFAULT_LEAD_MINUTES = 10
OFF = -1  # ``remind_minutes`` of a person who turned reminders off


def add_pick(db: Session, person: str, session_id: str, now: datetime) -> bool:
    """Put a session in a person's agenda; False when it was in already (a second click,
    or another process first)."""
    db.add(Pick(person=person, session_id=session_id, created_at=now))
    try:
        db.commit()
    except IntegrityError:
        db.rollback()
        return False
    return True


def remove_pick(db: Session, person: str, session_id: str) -> bool:
    """Take a session out of a person's agenda; False when it was not in."""
    gone = db.execute(delete(Pick).where(Pick.person == person, Pick.session_id == session_id))
    db.commit()
    return bool(gone.rowcount)


def picks_of(db: Session, person: str) -> frozenset[str]:
    """The ids of the sessions a person picked."""
    return frozenset(db.scalars(select(Pick.session_id).where(Pick.person == person)))


@dataclass(frozen=True)
class Mine:
    """What a person's own answers need: their picks, their reminder lead (None: off) and the
    time zone recorded for them."""

    picks: frozenset[str]
    lead: int | None
    zone: str | None = None


def mine_of(db: Session, person: str) -> Mine:
    """The person's picks, lead and recorded zone, read now."""
    row = settings_of(db, person)
    return Mine(picks_of(db, person), _lead(row), row.zone if row is not None else None)


def remember_zone(db: Session, person: str, zone: str) -> None:
    """Record the time zone the person's platform gave for them (their reminders use it)."""
    _upsert(db, person, zone=zone[:64])


def interest(db: Session, session_ids: Iterable[str]) -> dict[str, int]:
    """How many people picked each of ``session_ids``: counts, never who."""
    ids = list(session_ids)
    if not ids:
        return {}
    rows = db.execute(
        select(Pick.session_id, func.count()).where(Pick.session_id.in_(ids)).group_by(Pick.session_id)
    )
    return {sid: n for sid, n in rows}


@dataclass(frozen=True)
class Wanted:
    """A person's pick that wants a reminder, with their lead and recorded zone."""

    person: str
    session_id: str
    lead_minutes: int
    zone: str | None = None


def reminders_wanted(db: Session, session_ids: Iterable[str]) -> list[Wanted]:
    """Every pick of ``session_ids`` whose person wants reminders and can get a DM."""
    ids = list(session_ids)
    if not ids:
        return []
    query = (
        select(
            Pick.person,
            Pick.session_id,
            AgendaPerson.remind_minutes,
            AgendaPerson.dm_refused,
            AgendaPerson.zone,
        )
        .outerjoin(AgendaPerson, AgendaPerson.person == Pick.person)
        .where(Pick.session_id.in_(ids))
    )
    wanted = []
    for person, session_id, minutes, refused, zone in db.execute(query):
        if refused is None and minutes != OFF:
            lead = DEFAULT_LEAD_MINUTES if minutes is None else minutes
            wanted.append(Wanted(person, session_id, lead, zone))
    return wanted


def zones_of(db: Session, people: Iterable[str]) -> dict[str, str]:
    """person -> the zone recorded for them, for those with one."""
    wanted = sorted(set(people))
    found: dict[str, str] = {}
    for i in range(0, len(wanted), 500):
        rows = db.execute(
            select(AgendaPerson.person, AgendaPerson.zone).where(
                AgendaPerson.person.in_(wanted[i : i + 500]), AgendaPerson.zone.is_not(None)
            )
        )
        found.update((p, z) for p, z in rows)
    return found


def people_who_picked(db: Session, session_ids: Iterable[str]) -> dict[str, list[str]]:
    """session id -> the people who picked it (for their own notes, never shown to others)."""
    ids = list(session_ids)
    found: dict[str, list[str]] = {}
    if ids:
        for person, session_id in db.execute(
            select(Pick.person, Pick.session_id).where(Pick.session_id.in_(ids))
        ):
            found.setdefault(session_id, []).append(person)
    return found


def settings_of(db: Session, person: str) -> AgendaPerson | None:
    """A person's own settings, if they set any."""
    return db.get(AgendaPerson, person)


def _upsert(db: Session, person: str, **values: object) -> None:
    if db.get(AgendaPerson, person) is None:
        db.add(AgendaPerson(person=person, **values))
        try:
            db.commit()
            return
        except IntegrityError:  # made by another request meanwhile: update it instead
            db.rollback()
    db.execute(update(AgendaPerson).where(AgendaPerson.person == person).values(**values))
    db.commit()


def set_lead(db: Session, person: str, minutes: int | None) -> None:
    """Remind ``person`` ``minutes`` before each of their sessions (None: off). Asking again
    also clears a refused DM: they want reminders, so the platform is tried again."""
    _upsert(
        db, person, remind_minutes=OFF if minutes is None else minutes, dm_refused=None, dm_refused_at=None
    )


def lead_of(db: Session, person: str) -> int | None:
    """The person's reminder lead in minutes, None when off."""
    return _lead(settings_of(db, person))


def _lead(row: AgendaPerson | None) -> int | None:
    if row is None or row.remind_minutes is None:
        return DEFAULT_LEAD_MINUTES
    return None if row.remind_minutes == OFF else row.remind_minutes


def mark_refused(db: Session, person: str, reason: str, now: datetime) -> None:
    """Record that the platform refused this person a DM for good: no more reminders."""
    _upsert(db, person, dm_refused=reason, dm_refused_at=now)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_feed_token(db: Session, person: str) -> str:
    """A fresh calendar-feed token for ``person`` (any older one stops working); only its
    hash is stored, so the database alone cannot be used to read anyone's calendar."""
    token = secrets.token_urlsafe(24)
    _upsert(db, person, feed_token_hash=_digest(token))
    return token


def has_feed(db: Session, person: str) -> bool:
    """Whether the person has a calendar feed."""
    row = settings_of(db, person)
    return row is not None and row.feed_token_hash is not None


def person_of_token(db: Session, token: str) -> str | None:
    """Whose feed ``token`` opens, if anyone's (looked up by its hash, so the comparison
    never leaks how much of a guess was right)."""
    if not token or len(token) > 100:
        return None
    return db.scalar(select(AgendaPerson.person).where(AgendaPerson.feed_token_hash == _digest(token)))


def follow_interest(
    db: Session, platform: str, event_id: str, user_id: str, interested: bool, now: datetime
) -> str | None:
    """A member marked (or unmarked) *Interested* on the platform's event of a session: the
    session joins (or leaves) their agenda. Returns the session's id, None for an event that
    is not one of ours."""
    session_id = db.scalar(
        select(PlatformEvent.session_id).where(
            PlatformEvent.platform == platform, PlatformEvent.event_id == event_id
        )
    )
    if session_id is None:
        return None
    person = f"{platform}:{user_id}"
    if interested:
        add_pick(db, person, session_id, now)
    else:
        remove_pick(db, person, session_id)
    return session_id
