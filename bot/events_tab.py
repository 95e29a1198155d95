"""A platform's own calendar kept in step with the schedule (Discord's Events tab): each
session of the chosen kinds becomes an event, created, moved and cancelled once.

A rolling window of the next sessions, never more than ``window`` events of the bot's at
once, leaves room under the platform's limit for the organizers' own events. The
session-to-event map is in the database: a creation is claimed by a unique row before the
platform is asked, and an edit by swapping the row's fingerprint of what the event shows, so
two processes or a restart never create, move or cancel one twice.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import sessionmaker

from bot.db.tables_events import PlatformEvent
from bot.ports import CalendarEvent, CalendarEvents, CalendarFull, PortError
from bot.schedule.current import CurrentSchedule
from bot.schedule.model import Kind, Session, Workshop
from bot.text import session_details

logger = logging.getLogger(__name__)

CANCELLED = "cancelled"
# Of Discord's 100 scheduled or active events per server, the bot's share.
WINDOW = 50
# Events for what starts sooner than this are left alone: a platform refuses a start in the past.
SOON = timedelta(minutes=1)
OPEN_ENDED = timedelta(hours=1)  # an event needs an end; "6:30 - later" gets an hour
# A creation claimed this long ago and never finished belonged to a process that died.
STALE_CLAIM = timedelta(minutes=5)


@dataclass
class SyncReport:
    """What one sync did, by session id."""

    created: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    cancelled: list[str] = field(default_factory=list)
    full: bool = False


def as_event(session: Session, workshop: Workshop) -> CalendarEvent:
    """The event a session shows: its title, details, times and room."""
    end = session.end or session.start + OPEN_ENDED
    about = "\n\n".join(p for p in (session_details(session), session.description) if p)
    where = session.room or session.track or workshop.name
    return CalendarEvent(session.title[:100], about[:1000], session.start, end, where[:100])


def fingerprint(event: CalendarEvent) -> str:
    """What an event shows, in 32 characters: a change of any of it is an edit."""
    shown = "|".join(
        (event.title, event.description, event.start.isoformat(), event.end.isoformat(), event.location)
    )
    return hashlib.sha256(shown.encode()).hexdigest()[:32]


def window(workshop: Workshop, kinds: frozenset[Kind], now: datetime, size: int = WINDOW) -> list[Session]:
    """The next ``size`` sessions of ``kinds`` that start after ``now`` (and ``SOON``)."""
    upcoming = [s for s in workshop.sessions if s.kind in kinds and s.start > now + SOON]
    return upcoming[:size]


def sync(
    db: sessionmaker[DbSession],
    calendar: CalendarEvents,
    platform: str,
    workshop: Workshop,
    kinds: frozenset[Kind],
    now: datetime,
    size: int = WINDOW,
) -> SyncReport:
    """Bring the platform's events in step with ``workshop`` at ``now``."""
    report = SyncReport()
    by_id = {s.id: s for s in workshop.sessions}
    with db() as session:
        rows = list(session.scalars(select(PlatformEvent).where(PlatformEvent.platform == platform)))
    for row in rows:
        if row.event_id is None and row.claimed_at < now - STALE_CLAIM:
            _settle(db, calendar, row, by_id.get(row.session_id), workshop)
            continue
        if row.event_id is None or row.shown == CANCELLED or row.starts_at <= now + SOON:
            continue
        current = by_id.get(row.session_id)
        if current is None or current.kind not in kinds:
            if _edit(db, row, CANCELLED, row.starts_at, partial(calendar.cancel_event, row.event_id)):
                report.cancelled.append(row.session_id)
            continue
        if current.start <= now + SOON:
            continue  # moved to now or the past: the platform would refuse the edit
        event = as_event(current, workshop)
        shown = fingerprint(event)
        if shown != row.shown and _edit(
            db, row, shown, current.start, partial(calendar.update_event, row.event_id, event)
        ):
            report.moved.append(row.session_id)
    known = {r.session_id for r in rows}
    for s in window(workshop, kinds, now, size):
        if s.id in known:
            continue
        event = as_event(s, workshop)
        if not _claim(db, platform, s, fingerprint(event), now):
            continue
        try:
            event_id = calendar.create_event(event)
        except CalendarFull:
            _release(db, platform, s.id)
            logger.warning(
                "the %s calendar is full: no event for %s (and later sessions) yet", platform, s.id
            )
            report.full = True
            break
        except PortError as exc:
            _release(db, platform, s.id)
            logger.warning("no %s event for %s: %s", platform, s.id, exc.reason)
            continue
        with db.begin() as session:
            session.execute(
                update(PlatformEvent)
                .where(PlatformEvent.platform == platform, PlatformEvent.session_id == s.id)
                .values(event_id=event_id)
            )
        report.created.append(s.id)
    return report


def _settle(
    db: sessionmaker[DbSession],
    calendar: CalendarEvents,
    row: PlatformEvent,
    session: Session | None,
    workshop: Workshop,
) -> None:
    """A creation whose process died midway: the event it made, if the platform has it;
    otherwise the claim goes, and the next sync creates the event."""
    found = None
    if session is not None:
        try:
            found = calendar.find_event(as_event(session, workshop))
        except PortError as exc:
            logger.warning("could not look for %s's event: %s", row.session_id, exc.reason)
            return  # no information: leave the claim for the next sync
    with db.begin() as s:
        if found:
            s.execute(update(PlatformEvent).where(PlatformEvent.id == row.id).values(event_id=found))
        else:
            s.execute(
                delete(PlatformEvent).where(PlatformEvent.id == row.id, PlatformEvent.event_id.is_(None))
            )


def _claim(db: sessionmaker[DbSession], platform: str, s: Session, shown: str, now: datetime) -> bool:
    try:
        with db.begin() as session:
            session.add(
                PlatformEvent(
                    platform=platform, session_id=s.id, shown=shown, starts_at=s.start, claimed_at=now
                )
            )
    except IntegrityError:
        return False  # another process, or an earlier run, has it
    return True


def _release(db: sessionmaker[DbSession], platform: str, session_id: str) -> None:
    with db.begin() as session:
        session.execute(
            delete(PlatformEvent).where(
                PlatformEvent.platform == platform, PlatformEvent.session_id == session_id
            )
        )


def _edit(
    db: sessionmaker[DbSession], row: PlatformEvent, shown: str, starts_at: datetime, call: Callable[[], None]
) -> bool:
    """Make one edit once: only whoever swaps the row's fingerprint from what it was makes
    it; when the platform refuses, the old fingerprint goes back so the next sync tries again."""
    with db.begin() as session:
        changed = session.execute(
            update(PlatformEvent)
            .where(PlatformEvent.id == row.id, PlatformEvent.shown == row.shown)
            .values(shown=shown, starts_at=starts_at)
        ).rowcount
    if not changed:
        return False
    try:
        call()
    except PortError as exc:
        logger.warning("%s event %s for %s: %s", row.platform, row.event_id, row.session_id, exc.reason)
        with db.begin() as session:
            session.execute(
                update(PlatformEvent)
                .where(PlatformEvent.id == row.id)
                .values(shown=row.shown, starts_at=row.starts_at)
            )
        return False
    return True


class CalendarSync:
    """Syncs on every schedule change and every few minutes (the window rolls forward)."""

    def __init__(
        self,
        db: sessionmaker[DbSession],
        calendar: CalendarEvents,
        platform: str,
        schedule: CurrentSchedule,
        kinds: frozenset[Kind],
        now: Callable[[], datetime],
        every: timedelta = timedelta(minutes=5),
    ):
        self._args = (db, calendar, platform)
        self._schedule, self._kinds, self._now, self._every = schedule, kinds, now, every
        self._lock = threading.Lock()
        self._stop = threading.Event()

    def sync_now(self) -> SyncReport | None:
        """One sync (one at a time in this process); None when the database is unavailable."""
        with self._lock:
            try:
                return sync(*self._args, self._schedule.workshop, self._kinds, self._now())
            except SQLAlchemyError:
                logger.warning("events tab: database unavailable; trying again later", exc_info=True)
                return None

    def start(self) -> CalendarSync:
        """Sync now, on each schedule change, and every ``every``, on a thread of its own."""
        self._schedule.subscribe(
            lambda _old, _new: threading.Thread(target=self.sync_now, daemon=True).start()
        )
        threading.Thread(target=self._loop, name="events-tab", daemon=True).start()
        return self

    def stop(self) -> None:
        """Stop the periodic sync."""
        self._stop.set()

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.sync_now()
            self._stop.wait(self._every.total_seconds())
