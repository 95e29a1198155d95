"""Where the running bot's schedule comes from: SCHEDULE_URL (fetched, cached, polled) or
SCHEDULE_PATH (watched), and --timezone / SCHEDULE_TIMEZONE on the command line."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from awair_bot.cli import main
from awair_bot.wiring import open_schedule, start_schedule_updates
from bot.clock import ManualClock
from bot.schedule.remote import FetchError, Response, SchedulePoller
from bot.schedule.watch import ScheduleWatcher
from bot.services import Services
from bot.settings import Settings
from tests.support.harness import REPO

CORPUS = REPO / "tests" / "bot" / "formats" / "corpus"
URL = "https://fosdem.example.org/2024/schedule.xml"


def serving(path: Path):
    def fetch(url, headers):
        assert url == URL
        return Response(200, path.read_bytes(), etag='"v1"')

    return fetch


def down(url, headers):
    raise FetchError("cannot fetch: connection refused")


def test_schedule_url_is_fetched_in_the_settings_zone_cached_and_polled(tmp_path):
    settings = Settings(
        schedule_url=URL,
        schedule_cache_path=tmp_path / "cache",
        schedule_timezone=ZoneInfo("Europe/Brussels"),
    )
    schedule = open_schedule(settings, serving(CORPUS / "fosdem-2024.xml"))
    assert (schedule.workshop.name, len(schedule.workshop.sessions)) == ("FOSDEM 2024", 674)
    assert schedule.path == tmp_path / "cache" / "schedule"
    again = open_schedule(settings, down)  # a restart while the server is down
    assert len(again.workshop.sessions) == 674
    services = Services(settings, ManualClock(datetime(2024, 2, 3, 8, tzinfo=UTC)), again)
    updates = start_schedule_updates(services, down)
    try:
        assert isinstance(updates, SchedulePoller) and updates.url == URL
    finally:
        updates.stop()


def test_without_a_url_the_files_are_watched_unless_watching_is_off():
    settings = Settings(schedule_path=REPO / "schedule_data")
    services = Services(settings, ManualClock(datetime(2023, 8, 5, tzinfo=UTC)), open_schedule(settings))
    updates = start_schedule_updates(services)
    try:
        assert isinstance(updates, ScheduleWatcher)
    finally:
        updates.stop()
    services.settings = Settings(schedule_path=REPO / "schedule_data", watch_schedule=False)
    assert start_schedule_updates(services) is None


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no .env
    monkeypatch.delenv("SCHEDULE_TIMEZONE", raising=False)


def test_check_takes_the_zone_from_the_option_or_the_setting(clean_env, monkeypatch, capsys):
    fosdem = str(CORPUS / "fosdem-2024.xml")
    assert main(["check", fosdem]) == 1
    assert "set SCHEDULE_TIMEZONE (or --timezone)" in capsys.readouterr().err
    assert main(["check", fosdem, "--timezone", "Europe/Brussels"]) == 0
    assert "674 sessions over 2 days" in capsys.readouterr().out
    monkeypatch.setenv("SCHEDULE_TIMEZONE", "Europe/Brussels")
    assert main(["check", fosdem]) == 0
    assert "time zone Europe/Brussels" in capsys.readouterr().out
    with pytest.raises(SystemExit) as caught:
        main(["check", fosdem, "--timezone", "Brussels"])
    assert caught.value.code == 2
    assert "--timezone 'Brussels' is not a time zone" in capsys.readouterr().err


def test_import_writes_the_zone_it_was_given(clean_env, tmp_path, capsys):
    source = CORPUS / "sessionize-orlando-codecamp-2020.json"
    assert main(["import", str(source), "-o", "occ", "--timezone", "America/New_York"]) == 0
    assert "timezone: America/New_York" in (tmp_path / "occ" / "workshop.yaml").read_text()
    assert "99 sessions over 1 day in 14 rooms" in capsys.readouterr().out


def test_check_with_a_schedule_url_checks_what_it_serves_now(clean_env, monkeypatch, capsys, tmp_path):
    body = (CORPUS / "voc-pretalx-rc3.json").read_bytes()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/rc3/schedule.json"
    monkeypatch.setenv("SCHEDULE_URL", url)
    monkeypatch.setenv("SCHEDULE_CACHE_PATH", str(tmp_path / "cache"))
    try:
        assert main(["check"]) == 0
    finally:
        httpd.shutdown()
        httpd.server_close()
    out, err = capsys.readouterr()
    assert out.startswith(f"{url}: OK: rC3 Channels, 48 sessions over 4 days")
    assert "a fixed offset that knows no daylight saving" in err
    assert not (tmp_path / "cache").exists()  # checking caches nothing
