"""The board in a real browser: headless Chromium (the distribution's) through Selenium.

One browser and one server for the module; the core's clock is a ManualClock the tests move
while the page polls. Screenshots of each state go to tests/artifacts/board/.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest

from awair_bot.http_server import make_wsgi_app
from bot.board import build_board
from bot.board_text import headline, next_label
from bot.whats_next import whats_next
from handlers.web import web_routes
from tests.bot.conftest import pt
from tests.handlers.web.conftest import announce, make_services, with_title
from tests.support.board_fixtures import published_plan
from tests.support.browser import set_viewport, start_chromium, stop_chromium, why_no_browser
from tests.support.web import LoopbackServer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(why_no_browser() is not None, reason=f"no browser: {why_no_browser()}"),
]

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "board"
POLL_SECONDS = 0.2
WAIT = 10  # seconds a WebDriverWait may take before the test fails (it returns at once when met)
HOSTILE = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2"> & <b>bold</b> '
LONG = HOSTILE + ("a title that goes on " * 15)[: 300 - len(HOSTILE)]
SIZES = [(1920, 1080), (1080, 1920), (3840, 2160), (2160, 3840)]

# Every element box inside the viewport, and no text wider than its box.
BOXES_JS = """
var W = window.innerWidth, H = window.innerHeight, bad = [];
document.querySelectorAll("body *").forEach(function (el) {
  var r = el.getBoundingClientRect();
  if (r.width === 0 && r.height === 0) { return; }
  var name = el.tagName.toLowerCase() + "." + el.className + " '" + (el.textContent || "").slice(0, 30) + "'";
  if (r.left < -1 || r.top < -1 || r.right > W + 1 || r.bottom > H + 1) {
    bad.push("outside: " + name + " " + [r.left, r.top, r.right, r.bottom].map(Math.round));
  }
  if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).display !== "inline") {
    bad.push("overflowing: " + name);
  }
});
var d = document.documentElement;
if (d.scrollWidth > W || d.scrollHeight > H) { bad.push("page scrolls: " + d.scrollWidth + "x" + d.scrollHeight); }
return bad;
"""


class Recorder:
    """The WSGI app, recording (path, status) of every answer."""

    def __init__(self, wsgi):
        self.wsgi = wsgi
        self.seen: list[tuple[str, str]] = []

    def __call__(self, environ, start_response):
        def recording(status, headers, *rest):
            self.seen.append((environ.get("PATH_INFO", ""), status.split()[0]))
            return start_response(status, headers, *rest)

        return self.wsgi(environ, recording)

    def statuses(self, path: str) -> list[str]:
        return [status for p, status in self.seen if p == path]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The core, the recorded app and the server: (services, recorder, server)."""
    db = tmp_path_factory.mktemp("board") / "board.sqlite3"
    services = make_services(f"sqlite:///{db}", pt("2023-08-06 16:20"))
    recorder = Recorder(
        make_wsgi_app(None, services, web_routes(services, poll_seconds=POLL_SECONDS, notice_seconds=0))
    )
    server = LoopbackServer(recorder).start()
    yield services, recorder, server
    server.stop()


@pytest.fixture(scope="module")
def browser():
    driver = start_chromium()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    yield driver
    stop_chromium(driver)


@pytest.fixture
def page(site, browser):
    """A fresh start for each test: the plan as published, 1920x1080, the server up."""
    services, recorder, server = site
    services.schedule.set_extra_sessions(published_plan(services.workshop))
    set_viewport(browser, 1920, 1080)
    recorder.seen.clear()

    def open_at(at: str, path: str = "/board"):
        services.clock.set(pt(at))
        browser.get(server.url + path)
        return browser

    yield open_at
    browser.get("about:blank")  # stop the last page's polling before the next test moves things
    server.stop()
    server.start()


def wait_for(driver, condition, message: str):
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    # A page that is swapping its live part (or loading itself again) may have no element to
    # look at for a moment: that is "not yet", not a failure.
    ignored = (NoSuchElementException, StaleElementReferenceException)
    return WebDriverWait(driver, WAIT, poll_frequency=0.05, ignored_exceptions=ignored).until(
        lambda d: condition(d), message
    )


def live_text(driver) -> str:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.ID, "live").text


def shot(driver, name: str) -> None:
    driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))


INSTANTS = [
    "2023-08-04 12:00",  # before the workshop
    "2023-08-05 10:45",  # a break
    "2023-08-05 11:30",  # Misalignment on
    "2023-08-06 13:45",  # three discussions in parallel
    "2023-08-06 16:20",  # the unconference in three rooms
    "2023-08-07 01:00",  # over
]


@pytest.mark.parametrize("at", INSTANTS)
def test_the_visible_board_says_what_next_says(site, page, at):
    services = site[0]
    driver = page(at)
    board = build_board(services.workshop, pt(at))
    answer = whats_next(services.workshop, pt(at))
    seen = live_text(driver)
    assert headline(board).casefold() in seen.casefold()  # "On now" is styled in capitals
    for session in answer.current:
        assert session.title in seen
    if answer.upcoming:
        assert f"Next start {next_label(board)}" in seen.replace("\n", " ")
        assert all(s.title in seen for s in answer.upcoming[0].sessions)
    from selenium.webdriver.common.by import By

    assert driver.find_element(By.ID, "clock").text == pt(at).strftime("%H:%M")  # the bot's clock
    shot(driver, f"board-{at.replace(' ', 'T').replace(':', '')}")


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_nothing_overflows_at_each_size_and_orientation(site, browser, page, width, height):
    services = site[0]
    with_title(services, "unconf-1", LONG)
    announce(
        services, "Dinner moves to the garden at 18:30: bring a jacket &amp; a mug", pt("2023-08-06 16:10")
    )
    set_viewport(browser, width, height)
    for path, name in (("/board", "board"), ("/board?room=Main+room", "door")):
        driver = page("2023-08-06 16:20", path)
        assert "a title that goes on" in live_text(driver)
        assert driver.execute_script(BOXES_JS) == []
        shot(driver, f"{name}-{width}x{height}")


def test_the_page_follows_the_bots_clock_without_a_reload(site, page):
    from selenium.webdriver.common.by import By

    services = site[0]
    driver = page("2023-08-05 10:45")
    assert "Break: nothing on until 11:00 PT (in 15 min)." in live_text(driver)
    shot(driver, "clock-1-break")
    driver.execute_script("window.samePage = 'yes'")
    services.clock.set(pt("2023-08-05 11:30"))
    wait_for(driver, lambda d: "ends in 40 min" in live_text(d), "the board did not move on to Misalignment")
    seen = live_text(driver)
    assert "Now · 11:00-12:10 PT\nMisalignment" in seen and "Break" not in seen
    wait_for(driver, lambda d: d.find_element(By.ID, "clock").text == "11:30", "the clock did not follow")
    progress = driver.find_element(By.CSS_SELECTOR, ".now progress")
    assert float(progress.get_attribute("value")) == pytest.approx(40 / 70, abs=0.01)
    assert driver.execute_script("return window.samePage") == "yes"  # swapped in place, no reload
    shot(driver, "clock-2-misalignment")


def test_an_unchanged_board_costs_a_304(site, page):
    _, recorder, _ = site
    driver = page("2023-08-05 11:30")
    wait_for(driver, lambda d: recorder.statuses("/board/live").count("304") >= 3, "no 304s")
    assert set(recorder.statuses("/board/live")) == {"304"}  # nothing changed: nothing sent
    assert "Misalignment" in live_text(driver)


def test_it_keeps_the_last_state_offline_and_recovers_by_itself(site, page):
    from selenium.webdriver.common.by import By

    services, _, server = site
    driver = page("2023-08-05 11:30")
    server.stop()  # the venue's network drops

    def stale(d):
        # Found anew each time: on recovery the page may load itself again (a new schedule
        # version), and an element of the old page is then gone.
        return d.find_element(By.ID, "stale")

    wait_for(driver, lambda d: stale(d).is_displayed(), "no sign of the lost connection")
    assert stale(driver).text == "No connection since 11:30: showing the last update"
    assert "Misalignment" in live_text(driver) and "ends in 40 min" in live_text(driver)
    shot(driver, "offline")
    services.clock.set(pt("2023-08-05 12:20"))
    server.start()  # and comes back
    wait_for(driver, lambda d: "Lunch" in d.find_element(By.CSS_SELECTOR, ".now .title").text, "no recovery")
    wait_for(driver, lambda d: not stale(d).is_displayed(), "still marked offline")
    shot(driver, "recovered")


def test_titles_with_markup_and_script_stay_inert(site, page):
    from selenium.webdriver.common.by import By

    services = site[0]
    with_title(services, "unconf-1", LONG)
    driver = page("2023-08-06 16:19")
    # Once rendered with the page, once swapped in by the script when the minute turns.
    services.clock.set(pt("2023-08-06 16:20"))
    wait_for(driver, lambda d: "ends in 40 min" in live_text(d), "no update")
    for path in ("/board", "/day/2023-08-06"):
        if path != "/board":
            driver = page("2023-08-06 16:20", path)
        assert HOSTILE.strip() in driver.find_element(By.TAG_NAME, "body").text
        assert driver.execute_script("return window.pwned") is None
        assert driver.find_elements(By.CSS_SELECTOR, "main img, main b") == []
    shot(driver, "day-hostile")


def test_a_door_sign_on_a_tablet(site, browser, page):
    for width, height in ((1280, 800), (800, 1280)):
        set_viewport(browser, width, height)
        driver = page("2023-08-06 09:00", "/board?room=garden-room")
        seen = live_text(driver)
        assert "Free until 16:00 PT" in seen and "Governance and compute" in seen
        assert "Later today" in seen and "Careers in alignment" in seen
        assert driver.execute_script(BOXES_JS) == []
        shot(driver, f"door-tablet-{width}x{height}")


def test_an_announcement_appears_on_the_board(site, page):
    services = site[0]
    driver = page("2023-08-05 12:40")
    announce(services, "<!here> Coffee &amp; cake in the garden", pt("2023-08-05 12:40"), author="Alice")
    wait_for(driver, lambda d: "@here Coffee & cake in the garden" in live_text(d), "no announcement")
    assert "Alice · 12:40 PT" in live_text(driver)
    shot(driver, "announcement")


@pytest.mark.parametrize(("paper", "inches"), [("a4", (8.27, 11.69)), ("letter", (8.5, 11.0))])
def test_the_day_grid_prints_on_one_page(page, paper, inches):
    driver = page("2023-08-06 16:20", "/day/2023-08-06")
    shot(driver, "day-screen")
    pdf = base64.b64decode(
        driver.execute_cdp_cmd(
            "Page.printToPDF",
            {
                "paperWidth": inches[0],
                "paperHeight": inches[1],
                "printBackground": True,
                "marginTop": 0.4,
                "marginBottom": 0.4,
                "marginLeft": 0.4,
                "marginRight": 0.4,
            },
        )["data"]
    )
    (ARTIFACTS / f"day-{paper}.pdf").write_bytes(pdf)
    assert re.findall(rb"/Count (\d+)", pdf) == [b"1"]  # the page tree: one page
