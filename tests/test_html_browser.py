"""report.html in a real headless Chromium: it loads cleanly, fetches nothing, shows its verdict."""

from __future__ import annotations

import base64
import os
import shutil
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By

from .browser import SCREENSHOTS_ENV, WINDOW, headless, requests
from .conftest import EXAMPLES
from .test_reports import run_cli


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
    assert requests(browser) == {url}  # the page itself, and nothing else

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
    with headless(javascript=False) as driver:
        driver.get(reports["breaks_golden"].as_uri())
        assert driver.find_element(By.ID, "verdict").is_displayed()
        assert (
            "tests/test_pricing.py::test_tax_rounds_half_up"
            in driver.find_element(By.ID, "behaviour").text
        )
        assert driver.find_elements(By.CSS_SELECTOR, "#stewardship svg.chart")
