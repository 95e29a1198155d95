"""A live schedule from ``SCHEDULE_URL``: a pretalx, frab, Sessionize or calendar export,
polled with conditional requests and put in place through the reload every schedule change
takes (schedule-change notices, moved announcements).

A fetch that fails, or brings something unusable, keeps the schedule the bot has, and polls
back off (doubling, up to an hour). The last good schedule is kept on disk, with the
validators (ETag, Last-Modified) it came with, so a restart during an outage still starts
and the first request after it is conditional too. HTTP goes through one ``fetch`` function
(urllib in production; tests pass their own or point it at a loopback server), and time
through an injected clock: ``poll_if_due`` is all a test steps.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import logging
import os
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.schedule.current import CurrentSchedule
from bot.schedule.errors import Problem, ScheduleError
from bot.schedule.loader import load_schedule_data
from bot.schedule.model import Workshop

logger = logging.getLogger(__name__)

MAX_BYTES = 64 * 1024 * 1024  # a congress's schedule is a few MB; anything this big is not one
MAX_BACKOFF = timedelta(hours=1)


class FetchError(Exception):
    """The URL could not be fetched; the message says why (no credentials in it)."""


@dataclass(frozen=True)
class Response:
    """What a fetch brought: 200 with a body, or 304 (unchanged) without one."""

    status: int
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    charset: str | None = None


Fetch = Callable[[str, Mapping[str, str]], Response]


def urllib_fetch(url: str, headers: Mapping[str, str], timeout: float = 30.0) -> Response:
    """GET ``url`` with ``headers``; 304 is a ``Response``, every failure a ``FetchError``."""
    request = urllib.request.Request(url, headers={"User-Agent": "awair-bot", **headers})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            body = reply.read(MAX_BYTES + 1)
            if len(body) > MAX_BYTES:
                raise FetchError(f"the response is larger than {MAX_BYTES // 2**20} MB")
            return Response(
                reply.status,
                body,
                reply.headers.get("ETag"),
                reply.headers.get("Last-Modified"),
                reply.headers.get_content_charset(),
            )
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return Response(304, etag=exc.headers.get("ETag"), last_modified=exc.headers.get("Last-Modified"))
        raise FetchError(f"HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException) as exc:
        reason = getattr(exc, "reason", exc)
        raise FetchError(f"cannot fetch: {reason}") from None


class ScheduleCache:
    """The last good schedule on disk: its bytes, and the validators it was served with."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.file = folder / "schedule"
        self._meta = folder / "schedule.meta.json"

    def meta(self) -> dict[str, str]:
        """The cached copy's url, etag, last_modified, charset and sha256 (empty if none)."""
        try:
            data = json.loads(self._meta.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return {k: v for k, v in data.items() if isinstance(v, str)} if isinstance(data, dict) else {}

    def save(self, url: str, response: Response) -> None:
        """Keep a good schedule; written aside and renamed, so a crash leaves the old copy whole."""
        self.folder.mkdir(parents=True, exist_ok=True)
        _replace_atomically(self.file, response.body)
        meta = {"url": url, "sha256": hashlib.sha256(response.body).hexdigest()}
        meta.update(
            {
                k: v
                for k, v in (
                    ("etag", response.etag),
                    ("last_modified", response.last_modified),
                    ("charset", response.charset),
                )
                if v
            }
        )
        _replace_atomically(self._meta, json.dumps(meta, indent=1).encode())

    def update_validators(self, response: Response) -> None:
        """A 304 may bring fresh validators; keep them with the copy."""
        meta = self.meta()
        changed = {k: v for k, v in (("etag", response.etag), ("last_modified", response.last_modified)) if v}
        if meta and any(meta.get(k) != v for k, v in changed.items()):
            meta.update(changed)
            _replace_atomically(self._meta, json.dumps(meta, indent=1).encode())


def _replace_atomically(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


@dataclass(frozen=True)
class PollResult:
    """What one poll did: ``changed`` (a new schedule is in place), ``unchanged`` (304, or the
    same bytes), or ``failed`` (fetch error or unusable content; the old schedule stays)."""

    outcome: str
    problems: tuple[str, ...] = ()


class SchedulePoller:
    """Polls ``url`` every ``interval`` (backing off after failures) and installs what changed."""

    def __init__(
        self,
        url: str,
        schedule: CurrentSchedule,
        cache: ScheduleCache,
        clock: Clock,
        interval: timedelta = timedelta(minutes=5),
        fetch: Fetch = urllib_fetch,
        timezone: ZoneInfo | None = None,
    ):
        self.url, self.schedule, self.cache, self.clock = url, schedule, cache, clock
        self.interval, self.fetch, self.timezone = interval, fetch, timezone
        self.failures = 0
        self.due = clock.now() + interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="schedule-url-poller", daemon=True)

    def poll_if_due(self) -> PollResult | None:
        """Poll if the next poll is due by the clock; None if it is not."""
        now = self.clock.now()
        if now < self.due:
            return None
        result = self.poll()
        self.failures = self.failures + 1 if result.outcome == "failed" else 0
        self.due = now + self.delay()
        return result

    def delay(self) -> timedelta:
        """Until the next poll: the interval, doubled for each failure in a row, up to an hour."""
        if not self.failures:
            return self.interval
        return min(self.interval * 2 ** min(self.failures, 20), max(self.interval, MAX_BACKOFF))

    def poll(self) -> PollResult:
        """One conditional request; install the schedule if it changed and is usable."""
        meta = self.cache.meta()
        headers = {}
        if meta.get("url") == self.url:
            if meta.get("etag"):
                headers["If-None-Match"] = meta["etag"]
            if meta.get("last_modified"):
                headers["If-Modified-Since"] = meta["last_modified"]
        try:
            response = self.fetch(self.url, headers)
        except FetchError as exc:
            logger.warning("SCHEDULE_URL %s: %s; keeping the schedule the bot has", self.url, exc)
            return PollResult("failed", (str(exc),))
        if response.status == 304 or (
            response.status == 200 and hashlib.sha256(response.body).hexdigest() == meta.get("sha256")
        ):
            self.cache.update_validators(response)
            return PollResult("unchanged")
        if response.status != 200:
            logger.warning("SCHEDULE_URL %s: HTTP %s; keeping the schedule", self.url, response.status)
            return PollResult("failed", (f"HTTP {response.status}",))
        try:
            fresh = load_schedule_data(self.cache.file, response.body, self.timezone, response.charset)
        except ScheduleError as exc:
            for problem in exc.problems:
                logger.warning("SCHEDULE_URL %s is unusable, keeping the schedule: %s", self.url, problem)
            return PollResult("failed", tuple(str(p) for p in exc.problems))
        self.cache.save(self.url, response)
        self.schedule.install(fresh)
        logger.info("SCHEDULE_URL %s changed: %d sessions now", self.url, len(fresh.sessions))
        return PollResult("changed")

    def start(self) -> None:
        """Poll in a daemon thread until ``stop``."""
        self._thread.start()

    def stop(self) -> None:
        """Stop polling."""
        self._stop.set()

    def _loop(self) -> None:
        while not self._stop.wait(max(1.0, (self.due - self.clock.now()).total_seconds())):
            try:
                self.poll_if_due()
            except Exception:  # the poller must outlive a bad poll
                logger.exception("SCHEDULE_URL poll failed")


def open_remote_schedule(
    url: str, cache: ScheduleCache, fetch: Fetch = urllib_fetch, timezone: ZoneInfo | None = None
) -> CurrentSchedule:
    """The schedule to start on: fetched now, else the cached copy (an outage at restart).
    Raises ``ScheduleError`` naming the URL when neither can be had."""

    def refetch() -> Workshop:  # `/awair reload`: fetch now, and cache what is good
        response = _fetched(url, fetch)
        workshop = load_schedule_data(cache.file, response.body, timezone, response.charset)
        cache.save(url, response)
        return workshop

    meta = cache.meta()
    why = ""
    try:
        response = fetch(url, {})
        if response.status != 200:
            raise FetchError(f"HTTP {response.status}")
        workshop = load_schedule_data(cache.file, response.body, timezone, response.charset)
    except FetchError as exc:
        why = str(exc)
    except ScheduleError as exc:
        if not cache.file.exists() or meta.get("url") != url:
            raise
        why = f"what it serves is unusable ({exc.problems[0]})"
    else:
        cache.save(url, response)
        return CurrentSchedule(cache.file, workshop, timezone, refetch)
    if cache.file.exists() and meta.get("url") == url:
        logger.warning("SCHEDULE_URL %s: %s; starting on the copy cached at %s", url, why, cache.file)
        return CurrentSchedule(
            cache.file,
            load_schedule_data(cache.file, cache.file.read_bytes(), timezone, meta.get("charset")),
            timezone,
            refetch,
        )
    raise ScheduleError(
        [Problem(url, f"{why}, and no copy of it is cached at {cache.folder} (SCHEDULE_CACHE_PATH) yet")]
    )


def fetch_and_load(
    url: str, cache_folder: Path, timezone: ZoneInfo | None = None, fetch: Fetch = urllib_fetch
) -> Workshop:
    """The schedule at ``url`` as it is served now, cached nowhere (``awair-bot check``);
    ``ScheduleError`` names the URL when it cannot be fetched."""
    response = _fetched(url, fetch)
    return load_schedule_data(ScheduleCache(cache_folder).file, response.body, timezone, response.charset)


def _fetched(url: str, fetch: Fetch) -> Response:
    """A 200 response for ``url``, or ``ScheduleError`` naming the URL and why not."""
    try:
        response = fetch(url, {})
    except FetchError as exc:
        raise ScheduleError([Problem(url, str(exc))]) from None
    if response.status != 200:
        raise ScheduleError([Problem(url, f"HTTP {response.status}")])
    return response
