"""Headless Chromium for the tests that open the HTML reports in a real browser.

Needs Debian's chromium and chromium-driver (installed by .ci/run); a test fails, rather than
skips, without them, so a machine missing them cannot pass CI unnoticed. Every browser gets a
profile of its own, removed when it closes, and a 1280 px window: the width the reports must
read at without scrolling sideways.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
WINDOW = (1280, 900)
# Set to a directory to keep the screenshots for a person to look at.
SCREENSHOTS_ENV = "REFACTOR_CHECK_SCREENSHOTS"


@contextmanager
def headless(javascript: bool = True) -> Iterator[webdriver.Chrome]:
    """A headless Chromium that logs the console and every network request."""
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    assert not missing, f"install Debian's chromium and chromium-driver (missing: {missing})"
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    for argument in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        f"--window-size={WINDOW[0]},{WINDOW[1]}",
    ):
        options.add_argument(argument)
    if not javascript:
        options.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2}
        )
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    try:
        driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
        try:
            yield driver
        finally:
            driver.quit()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def requests(driver: webdriver.Chrome) -> set[str]:
    """Every URL the browser requested since its log was last read, except its own pages' and
    what they asked for (the new-tab page a fresh browser opens may still be loading when the
    report is, and it asks for ``data:`` images of its own as well as ``chrome://`` files;
    nothing of it comes from the report). A request is the browser's own when its URL is, or
    when the document that made it is."""
    urls = set()
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            params = message["params"]
            url = params["request"]["url"]
            document = params.get("documentURL", "")
            if not url.startswith(_BROWSERS_OWN) and not document.startswith(_BROWSERS_OWN):
                urls.add(url)
    return urls


_BROWSERS_OWN = ("chrome://", "chrome-untrusted://", "devtools://")


def page_width(driver: webdriver.Chrome) -> tuple[int, int]:
    """(scrollWidth, clientWidth) of the page: equal when nothing scrolls sideways."""
    width = driver.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    return int(width[0]), int(width[1])
