"""What the bot counts about itself, for ``GET /metrics`` (the Prometheus text format).

One registry per process, as Prometheus expects: a scrape sees every command, announcement
and outbound call since the process started. The schedule's age and the last reload's
result are read at scrape time from the running schedule (``watch_schedule``).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

REGISTRY = CollectorRegistry(auto_describe=True)
CONTENT_TYPE = CONTENT_TYPE_LATEST

COMMANDS = Counter(
    "awair_commands",
    "Commands and button clicks handled, by name and outcome (ok, usage, refused, try_again, error).",
    ["command", "outcome"],
    registry=REGISTRY,
)
COMMAND_SECONDS = Histogram(
    "awair_command_seconds",
    "Time from a command's arrival to its answer, by command.",
    ["command"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
    registry=REGISTRY,
)
ANNOUNCEMENTS = Counter(
    "awair_announcements",
    "Announcements by outcome: posted, late (posted after their time), skipped (too old), failed.",
    ["outcome"],
    registry=REGISTRY,
)
REMINDERS = Counter(
    "awair_reminders", "Personal reminders by outcome (sent, failed).", ["outcome"], registry=REGISTRY
)
RATE_LIMITED = Counter(
    "awair_rate_limited",
    "HTTP 429 answers met from a platform's API, by platform and method.",
    ["platform", "method"],
    registry=REGISTRY,
)
DATABASE_ERRORS = Counter(
    "awair_database_errors", "Database errors met while answering or announcing.", registry=REGISTRY
)
REJECTED_REQUESTS = Counter(
    "awair_rejected_requests",
    "Web requests refused (every 4xx answer, and the HTTP server's own refusals), by route "
    "(its path as configured, or other) and status.",
    ["route", "status"],
    registry=REGISTRY,
)
SCHEDULE_AGE = Gauge(
    "awair_schedule_age_seconds", "Seconds since the running schedule was loaded.", registry=REGISTRY
)
LAST_RELOAD_OK = Gauge(
    "awair_schedule_last_reload_ok",
    "1 if the last schedule reload was taken, 0 if it was refused (the old schedule kept).",
    registry=REGISTRY,
)
LAST_RELOAD_PROBLEMS = Gauge(
    "awair_schedule_last_reload_problems", "Problems the last refused reload found.", registry=REGISTRY
)

_loaded_at = time.time()


def schedule_loaded(ok: bool, problems: int = 0, wall: Callable[[], float] = time.time) -> None:
    """Record a reload's result; a taken one restarts the schedule's age."""
    global _loaded_at
    if ok:
        _loaded_at = wall()
    LAST_RELOAD_OK.set(1 if ok else 0)
    LAST_RELOAD_PROBLEMS.set(problems)


SCHEDULE_AGE.set_function(lambda: time.time() - _loaded_at)
# Zero from the start, so a dashboard shows "none yet" rather than "no data".
for _outcome in ("posted", "late", "skipped", "failed"):
    ANNOUNCEMENTS.labels(_outcome)
for _outcome in ("sent", "failed"):
    REMINDERS.labels(_outcome)
LAST_RELOAD_OK.set(1)


def observe_command(command: str, outcome: str, seconds: float) -> None:
    """Count one command's outcome and its time."""
    COMMANDS.labels(command, outcome).inc()
    COMMAND_SECONDS.labels(command).observe(seconds)


def refused(route: str, status: int) -> None:
    """Count one refused web request; ``route`` comes from a bounded set (a configured path
    or ``other``), never the path a sender made up."""
    REJECTED_REQUESTS.labels(route, str(status)).inc()


def refusals_expected(route: str, status: int) -> None:
    """Show ``route``'s refusals with ``status`` as zero until the first one."""
    REJECTED_REQUESTS.labels(route, str(status))


def exposition() -> bytes:
    """The whole registry in the Prometheus text format."""
    return generate_latest(REGISTRY)
