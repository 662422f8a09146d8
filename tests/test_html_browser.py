"""report.html in a real headless Chromium: it loads cleanly, fetches nothing, shows its verdict.

Needs Debian's chromium and chromium-driver (installed by .ci/run); the test fails, rather
than skips, without them, so a machine missing them cannot pass CI unnoticed.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from .conftest import EXAMPLES
from .test_reports import run_cli

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
WINDOW = (1280, 900)
# Set to a directory to keep the screenshots for a person to look at.
SCREENSHOTS_ENV = "REFACTOR_CHECK_SCREENSHOTS"


def _browser(javascript: bool = True) -> webdriver.Chrome:
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
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.profile_dir = profile  # type: ignore[attr-defined]
    return driver


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    found = {}
    for example in ("clean_refactor", "breaks_golden"):
        root = tmp_path_factory.mktemp(example)
        run = run_cli(
            root, "run", EXAMPLES / "invoice" / example, "--no-mutation", "--no-differential"
        )
        assert run.code in (0, 1), run.stdout + run.stderr
        found[example] = run.out / "report.html"
    return found


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    driver = _browser()
    yield driver
    driver.quit()
    shutil.rmtree(driver.profile_dir, ignore_errors=True)  # type: ignore[attr-defined]


def _requests(driver: webdriver.Chrome) -> set[str]:
    urls = set()
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.add(message["params"]["request"]["url"])
    return urls


@pytest.mark.parametrize(
    ("example", "title", "colour"),
    [
        ("clean_refactor", "Behaviour preserved", "rgb(26, 127, 55)"),
        ("breaks_golden", "Behaviour changed", "rgb(207, 34, 46)"),
    ],
)
def test_report_loads_cleanly_and_shows_its_verdict(
    browser: webdriver.Chrome, reports: dict[str, Path], tmp_path: Path, example, title, colour
) -> None:
    url = reports[example].as_uri()
    browser.get_log("performance")  # drop what earlier pages left
    browser.get(url)
    errors = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
    assert errors == []
    assert _requests(browser) == {url}  # the page itself, and nothing else

    banner = browser.find_element(By.ID, "verdict")
    assert banner.is_displayed()
    assert banner.find_element(By.TAG_NAME, "h1").text == title
    assert banner.rect["y"] == 0 and banner.rect["height"] < WINDOW[1] / 3
    assert banner.value_of_css_property("background-color") in (
        colour,
        colour.replace("rgb", "rgba").replace(")", ", 1)"),
    )
    for key in ("behaviour", "verification", "stewardship"):
        card = browser.find_element(By.ID, f"headline-{key}")
        assert card.is_displayed() and card.rect["y"] + card.rect["height"] < WINDOW[1]
    # Every section the table of contents names is on the page.
    for link in browser.find_elements(By.CSS_SELECTOR, "nav.toc a"):
        assert browser.find_element(By.ID, link.get_attribute("href").split("#", 1)[1])

    shot = tmp_path / f"{example}.png"
    assert browser.save_screenshot(str(shot))
    assert shot.stat().st_size > 20_000  # a rendered page, not a blank one
    keep = os.environ.get(SCREENSHOTS_ENV)
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / shot.name)


def test_print_opens_every_section(browser: webdriver.Chrome, reports: dict[str, Path]) -> None:
    browser.get(reports["breaks_golden"].as_uri())
    closed = browser.execute_script(
        "return document.querySelectorAll('details:not([open])').length"
    )
    assert closed > 0
    pdf = base64.b64decode(browser.print_page())
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") > 3
    opened = browser.execute_script(
        "return document.querySelectorAll('details:not([open])').length"
    )
    assert opened == 0  # the page's beforeprint handler opened them for the paper copy


def test_readable_without_javascript(reports: dict[str, Path]) -> None:
    driver = _browser(javascript=False)
    try:
        driver.get(reports["breaks_golden"].as_uri())
        assert driver.find_element(By.ID, "verdict").is_displayed()
        assert (
            "tests/test_pricing.py::test_tax_rounds_half_up"
            in driver.find_element(By.ID, "behaviour").text
        )
        assert driver.find_elements(By.CSS_SELECTOR, "#stewardship svg.chart")
    finally:
        driver.quit()
        shutil.rmtree(driver.profile_dir, ignore_errors=True)  # type: ignore[attr-defined]
