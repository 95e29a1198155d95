"""SCHEDULE_URL: an export polled over HTTP (a server on loopback), the poller's schedule
stepped by an injected clock; changes go through the reload, failures keep the last good
schedule, and the cached copy starts the bot during an outage."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bot.announcements.changes import diff_schedules
from bot.clock import ManualClock
from bot.schedule.errors import ScheduleError
from bot.schedule.remote import ScheduleCache, SchedulePoller, open_remote_schedule, urllib_fetch

START = datetime(2024, 6, 1, 8, 0, tzinfo=UTC)
INTERVAL = timedelta(minutes=5)


def export(walk: str = "10:30") -> bytes:
    """A pretalx-style schedule.json whose 'Walk' starts at ``walk``."""
    events = [
        {"id": 1, "guid": "a0000000-0000-4000-8000-000000000001", "date": "2024-06-01T10:00:00+02:00",
         "start": "10:00", "duration": "00:30", "title": "Opening"},
        {"id": 2, "guid": "a0000000-0000-4000-8000-000000000002", "date": f"2024-06-01T{walk}:00+02:00",
         "start": walk, "duration": "00:30", "title": "Walk"},
    ]  # fmt: skip
    conference = {
        "title": "Live Con",
        "time_zone_name": "Europe/Berlin",
        "days": [{"index": 1, "date": "2024-06-01", "rooms": {"Hall": events}}],
    }
    return json.dumps({"schedule": {"version": walk, "conference": conference}}).encode()


class Export:
    """What the loopback server serves, and every request it was sent."""

    def __init__(self) -> None:
        self.body = export()
        self.status = 200
        self.requests: list[dict[str, str]] = []
        self.lock = threading.Lock()

    def etag(self) -> str:
        return '"' + hashlib.sha1(self.body).hexdigest()[:12] + '"'


@pytest.fixture
def server() -> Iterator[tuple[str, Export]]:
    state = Export()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            with state.lock:
                state.requests.append(dict(self.headers))
                status, body, etag = state.status, state.body, state.etag()
            if status != 200:
                self.send_response(status)
                self.end_headers()
                return
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", "Sat, 01 Jun 2024 06:00:00 GMT")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:  # keep the test output quiet
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/conf/schedule.json", state
    httpd.shutdown()
    httpd.server_close()


def fetch(url, headers):
    return urllib_fetch(url, headers, timeout=5)


def poller_for(url: str, cache: ScheduleCache, clock: ManualClock):
    schedule = open_remote_schedule(url, cache, fetch)
    changes: list[list[str]] = []
    schedule.subscribe(
        lambda old, new: changes.append([c.kind.value for c in diff_schedules(old, new, clock.now())])
    )
    return SchedulePoller(url, schedule, cache, clock, INTERVAL, fetch), changes


def test_an_unchanged_export_costs_one_conditional_request_and_no_reload(server, tmp_path):
    url, state = server
    clock = ManualClock(START)
    poller, changes = poller_for(url, ScheduleCache(tmp_path / "cache"), clock)
    assert len(state.requests) == 1  # the fetch at start
    assert poller.poll_if_due() is None  # not due yet: nothing sent
    clock.advance(INTERVAL)
    assert poller.poll_if_due().outcome == "unchanged"
    assert len(state.requests) == 2
    assert state.requests[-1]["If-None-Match"] == state.etag()
    assert state.requests[-1]["If-Modified-Since"] == "Sat, 01 Jun 2024 06:00:00 GMT"
    assert changes == []  # no reload, so no listener heard anything


def test_a_changed_export_goes_through_the_reload_and_is_cached(server, tmp_path):
    url, state = server
    clock = ManualClock(START)
    cache = ScheduleCache(tmp_path / "cache")
    poller, changes = poller_for(url, cache, clock)
    state.body = export(walk="11:00")
    clock.advance(INTERVAL)
    assert poller.poll_if_due().outcome == "changed"
    walk = next(s for s in poller.schedule.workshop.sessions if s.title == "Walk")
    assert f"{walk.start:%H:%M}" == "11:00"
    assert changes == [["moved"]]  # one schedule-change notice: the walk moved
    assert cache.file.read_bytes() == state.body
    assert cache.meta()["etag"] == state.etag()


def test_failures_keep_the_last_good_schedule_and_back_off(server, tmp_path):
    url, state = server
    clock = ManualClock(START)
    cache = ScheduleCache(tmp_path / "cache")
    poller, changes = poller_for(url, cache, clock)
    good = cache.file.read_bytes()
    state.status = 503
    waits = []
    for _ in range(4):
        clock.set(poller.due)
        assert poller.poll_if_due().outcome == "failed"
        waits.append(poller.due - clock.now())
    assert waits == [INTERVAL * 2, INTERVAL * 4, INTERVAL * 8, timedelta(hours=1)]  # doubling, up to an hour
    clock.advance(timedelta(minutes=55))
    assert poller.poll_if_due() is None  # backing off: nothing sent before it is due
    state.status, state.body = 200, b'{"not": "a schedule"}'
    clock.set(poller.due)
    result = poller.poll_if_due()
    assert result.outcome == "failed" and "expected a frab/pretalx schedule" in result.problems[0]
    assert [s.title for s in poller.schedule.workshop.sessions] == ["Opening", "Walk"]
    assert cache.file.read_bytes() == good  # the unusable reply was not cached
    state.body = export(walk="12:00")
    clock.set(poller.due)
    assert poller.poll_if_due().outcome == "changed"
    assert poller.due - clock.now() == INTERVAL  # recovered: the interval again
    assert len(changes) == 1


def test_a_restart_during_an_outage_starts_on_the_cached_copy(server, tmp_path):
    url, state = server
    cache = ScheduleCache(tmp_path / "cache")
    open_remote_schedule(url, cache, fetch)  # the first run caches it
    state.status = 500
    schedule = open_remote_schedule(url, cache, fetch)  # the restart, during the outage
    assert [s.title for s in schedule.workshop.sessions] == ["Opening", "Walk"]
    state.status = 200
    clock = ManualClock(START)
    poller = SchedulePoller(url, schedule, cache, clock, INTERVAL, fetch)
    clock.advance(INTERVAL)
    assert poller.poll_if_due().outcome == "unchanged"  # conditional, from the cached validators
    assert state.requests[-1]["If-None-Match"] == state.etag()


def test_no_export_and_no_cached_copy_is_refused_naming_the_url_and_the_cache(server, tmp_path):
    url, state = server
    state.status = 404
    with pytest.raises(ScheduleError) as caught:
        open_remote_schedule(url, ScheduleCache(tmp_path / "cache"), fetch)
    (problem,) = caught.value.problems
    assert str(problem) == (
        f"{url}: HTTP 404 Not Found, and no copy of it is cached at {tmp_path / 'cache'} (SCHEDULE_CACHE_PATH) yet"
    )


def test_an_address_nothing_listens_on_is_a_fetch_error_not_a_traceback(tmp_path):
    with pytest.raises(ScheduleError, match="cannot fetch"):
        open_remote_schedule("http://127.0.0.1:9/schedule.json", ScheduleCache(tmp_path / "cache"), fetch)


def test_an_organizers_reload_fetches_the_url_now(server, tmp_path):
    url, state = server
    cache = ScheduleCache(tmp_path / "cache")
    schedule = open_remote_schedule(url, cache, fetch)
    state.body = export(walk="16:00")
    result = schedule.reload()  # /awair reload
    assert result.ok and cache.file.read_bytes() == state.body
    assert f"{schedule.workshop.sessions[-1].start:%H:%M}" == "16:00"
    state.status = 502
    refused = schedule.reload()
    assert not refused.ok and str(refused.problems[0]) == f"{url}: HTTP 502 Bad Gateway"
    assert f"{schedule.workshop.sessions[-1].start:%H:%M}" == "16:00"  # the last good one stays
