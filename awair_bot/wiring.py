"""Assemble the core from settings: clock, schedule, database, each platform's announcements."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot.announcements.plan import AnnouncementPolicy
from bot.announcements.poster import Poster, RetryPolicy
from bot.announcements.scheduler import AnnouncementScheduler
from bot.clock import Clock, ShiftedClock, SystemClock
from bot.db.engine import make_engine, make_sessionmaker
from bot.db.migrate import current_revision, ensure_up_to_date, upgrade
from bot.my_agenda.sender import RemindersRunner
from bot.platforms import Platform
from bot.schedule.current import CurrentSchedule
from bot.schedule.remote import Fetch, ScheduleCache, SchedulePoller, open_remote_schedule, urllib_fetch
from bot.schedule.watch import ScheduleWatcher
from bot.services import Services
from bot.settings import Settings
from bot.unconference.plans import refresh_schedule

logger = logging.getLogger(__name__)


def make_clock(settings: Settings) -> Clock:
    """Real time, or time running forward from ``AWAIR_NOW`` for rehearsals and demos."""
    if settings.awair_now is not None:
        logger.info("clock starts at AWAIR_NOW=%s and runs forward", settings.awair_now.isoformat())
        return ShiftedClock(settings.awair_now)
    return SystemClock()


def open_database(url: str) -> sessionmaker[Session]:
    """Sessions on ``url``. A brand-new embedded SQLite database is created on the spot (the
    quick start needs no extra step); any other database behind the code's migrations is
    refused with ``DatabaseBehind``, which names the command that fixes it."""
    if url.startswith("sqlite") and current_revision(url) is None:
        logger.info("creating the embedded database")
        upgrade(url)
    ensure_up_to_date(url)
    return make_sessionmaker(make_engine(url))


def build_services(settings: Settings, clock: Clock | None = None, fetch: Fetch = urllib_fetch) -> Services:
    """Load the schedule (``ScheduleError`` if invalid), open the database (``DatabaseBehind``
    if it needs migrating), and add the published unconference plan to the schedule."""
    schedule = open_schedule(settings, fetch)
    db = open_database(settings.database_url)
    services = Services(
        settings=settings,
        clock=clock or make_clock(settings),
        schedule=schedule,
        db=db,
        background=ThreadPoolExecutor(max_workers=4, thread_name_prefix="awair-background"),
    )
    refresh_schedule(services.db, services.schedule)
    return services


def open_schedule(settings: Settings, fetch: Fetch = urllib_fetch) -> CurrentSchedule:
    """The schedule from ``SCHEDULE_URL`` (fetched now, or its cached copy), else from
    ``SCHEDULE_PATH``; either read in ``SCHEDULE_TIMEZONE`` when it is set."""
    if settings.schedule_url:
        cache = ScheduleCache(settings.schedule_cache_path)
        return open_remote_schedule(settings.schedule_url, cache, fetch, settings.schedule_timezone)
    return CurrentSchedule.load(settings.schedule_path, settings.schedule_timezone)


def start_schedule_updates(
    services: Services, fetch: Fetch = urllib_fetch
) -> SchedulePoller | ScheduleWatcher | None:
    """Follow the schedule as it changes: poll ``SCHEDULE_URL``, or watch the schedule's files
    (``WATCH_SCHEDULE``). Started; the caller stops it."""
    settings = services.settings
    if settings.schedule_url:
        updates: SchedulePoller | ScheduleWatcher = SchedulePoller(
            settings.schedule_url,
            services.schedule,
            ScheduleCache(settings.schedule_cache_path),
            services.clock,
            interval=timedelta(seconds=settings.schedule_poll_seconds),
            fetch=fetch,
            timezone=settings.schedule_timezone,
        )
    elif settings.watch_schedule:
        updates = ScheduleWatcher(services.schedule)
    else:
        return None
    updates.start()
    return updates


def announcement_policy(settings: Settings, name_wait: timedelta | None = None) -> AnnouncementPolicy:
    """The announcement rules the settings ask for."""
    policy = AnnouncementPolicy(
        lead=timedelta(minutes=settings.announce_lead_minutes),
        lead_by_kind={kind: timedelta(minutes=m) for kind, m in settings.announce_lead_by_kind.items()},
        kinds=settings.announce_kinds,
        grace=timedelta(minutes=settings.announce_grace_minutes),
    )
    return policy if name_wait is None else replace(policy, name_wait=name_wait)


def start_announcements(
    services: Services,
    platform: Platform,
    poster: Poster,
    *,
    setting: str = "ANNOUNCE_CHANNEL",
    name_wait: timedelta | None = None,
    **stepping: Any,
) -> AnnouncementScheduler | None:
    """Start session-start and organizer announcements to ``platform``'s announcement
    channel; re-plan on every schedule change. None (and a warning naming ``setting``) when
    no channel is set. ``stepping`` (``scheduler``, ``wall``, ``sleep``) lets a test drive the
    scheduler itself."""
    channel = platform.announce_channel
    if not channel:
        logger.warning("%s is not set: no session-start announcements on %s", setting, platform.name)
        return None
    claim_timeout = timedelta(seconds=services.settings.announce_claim_timeout_seconds)
    announcer = AnnouncementScheduler(
        services.db,
        poster,
        channel,
        policy=announcement_policy(services.settings, name_wait),
        clock=services.clock,
        # A claim older than this belonged to a process that died mid-post. Retries stop
        # well inside it, so a live owner's claim is never taken over.
        stale_after=claim_timeout,
        retry=RetryPolicy(budget=min(120.0, claim_timeout.total_seconds() / 2)),
        sweep_every=min(timedelta(seconds=30), claim_timeout / 2),
        **stepping,
    )
    announcer.start(services.workshop)
    services.schedule.subscribe(lambda _old, new: announcer.replan(new))
    platform.announcer = announcer
    return announcer


def start_reminders(
    services: Services,
    platform: Platform,
    poster: Poster,
    unreachable: frozenset[str] = frozenset(),
    **options: Any,
) -> RemindersRunner | None:
    """Start personal reminders and change notes to ``platform``'s people (DMs); None without
    a database. ``unreachable`` are the platform's codes for "this person can't get a DM"."""
    if services.db is None:
        return None
    claim_timeout = timedelta(seconds=services.settings.announce_claim_timeout_seconds)
    runner = RemindersRunner(
        services.db,
        services.schedule,
        poster,
        services.clock,
        unreachable=unreachable,
        stale_after=claim_timeout,
        retry=RetryPolicy(budget=min(120.0, claim_timeout.total_seconds() / 2)),
        **options,
    )
    runner.start()
    platform.reminders = runner
    return runner
