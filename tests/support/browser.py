"""Headless Chromium from the distribution, driven by Selenium through the distribution's
chromedriver: nothing is downloaded at run time (Selenium Manager is never asked)."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)


def why_no_browser() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        return (
            f"{' and '.join(missing)} not installed (Debian: apt-get install -y chromium chromium-driver; "
            ".ci/run installs them where apt works)"
        )
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[dev]')"
    return None


class _NoSeleniumManager(RuntimeError):
    """Selenium tried to find or fetch a driver by itself; the tests pass their own."""


def start_chromium(user_data_dir: Path | None = None):
    """A headless Chromium session on a fresh profile. Selenium Manager (which would look
    for or download a driver and a browser) is switched off and, to be sure, made to fail."""
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager's own switch: no network
    # Every WebDriver call is a DEBUG record with its whole payload: too much to read.
    for name in ("selenium", "urllib3.connectionpool"):
        logging.getLogger(name).setLevel(logging.INFO)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common import selenium_manager

    def refuse(*args, **kwargs):
        raise _NoSeleniumManager("Selenium Manager was called; the driver path must be explicit")

    selenium_manager.SeleniumManager.binary_paths = refuse  # type: ignore[method-assign]
    profile = user_data_dir or Path(tempfile.mkdtemp(prefix="awair-chromium-"))
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver._awair_profile = profile  # removed by stop_chromium
    return driver


def stop_chromium(driver) -> None:
    """Quit the browser and remove its profile."""
    profile = getattr(driver, "_awair_profile", None)
    driver.quit()
    if profile:
        shutil.rmtree(profile, ignore_errors=True)


def set_viewport(driver, width: int, height: int) -> None:
    """The page's viewport exactly this size (a TV, a tablet), whatever the window is."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )
