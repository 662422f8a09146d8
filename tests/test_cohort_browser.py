"""cohort.html in a real headless Chromium at 1280 px: it fits, sorts, links, fetches nothing.

A toy cohort graded through the command line: a clean refactor, one that changes behaviour
(with a differential counterexample), one that does not parse, a folder with no package, and
names a page must escape and wrap. Needs Debian's chromium and chromium-driver, as
test_html_browser.py does (whose browser set-up is used here).
"""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement

from .browser import SCREENSHOTS_ENV, WINDOW, headless, requests
from .conftest import TOY_CLEAN, TOY_GOLDEN, write_files
from .test_batch import batch_cli

LONG_NAME = "a_candidate_whose_folder_name_goes_on_and_on_without_any_break_at_all_" * 2
HOSTILE_NAME = 'ada <b>lovelace<b> &amp; "#1"?'  # no slash: it is a folder name


@pytest.fixture(scope="module")
def cohort_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cohort-page")
    golden = Path(shutil.copytree(TOY_GOLDEN, root / "golden"))
    cohort = root / "cohort"
    write_files(cohort / "clean", {"toy.py": TOY_CLEAN})
    write_files(cohort / HOSTILE_NAME, {"toy.py": TOY_CLEAN})
    write_files(cohort / LONG_NAME, {"toy.py": TOY_CLEAN.replace(">= BULK_QTY", "> BULK_QTY")})
    write_files(cohort / "broken", {"toy.py": TOY_CLEAN.replace(">= BULK_QTY", "> BULK_QTY")})
    write_files(cohort / "syntax_error", {"toy.py": "def price(qty, unit)\n"})
    write_files(cohort / "no_package", {"README.md": "I ran out of time.\n"})
    result = batch_cli(
        root, cohort, "--golden", golden, "--no-mutation", "--differential-examples", "0"
    )
    assert result.code == 0, result.stdout + result.stderr
    return result.out / "cohort.html"


def table(page: Path) -> list[dict[str, str]]:
    with open(page.parent / "cohort.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def committee_order(page: Path) -> list[str]:
    return [row["candidate"] for row in table(page)]


def golden_failures(page: Path) -> dict[str, int | None]:
    return {
        row["candidate"]: (
            int(row["golden_total"]) - int(row["golden_passed"]) if row["golden_total"] else None
        )
        for row in table(page)
    }


def names(driver: webdriver.Chrome) -> list[str]:
    cells = driver.find_elements(By.CSS_SELECTOR, "#cohort tbody td.candidate")
    return [cell.text.replace("\n", "") for cell in cells]


def header(driver: webdriver.Chrome, title: str) -> WebElement:
    return next(
        th
        for th in driver.find_elements(By.CSS_SELECTOR, "#cohort thead th")
        if th.text.replace("\n", " ").split(" ▲")[0].split(" ▼")[0] == title
    )


def test_the_page_fits_1280_px_loads_cleanly_and_fetches_nothing(
    browser: webdriver.Chrome, cohort_page: Path
) -> None:
    url = cohort_page.as_uri()
    browser.get_log("performance")
    browser.get(url)
    assert browser.execute_script("return window.innerWidth") <= WINDOW[0]
    errors = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
    assert errors == []  # the script ran under the page's own policy
    assert requests(browser) == {url}
    page_width, view_width = browser.execute_script(
        "var e=document.documentElement;return [e.scrollWidth,e.clientWidth];"
    )
    assert page_width <= view_width  # no horizontal scroll of the page
    box_width, box_view = browser.execute_script(
        "var b=document.querySelector('.table-box');return [b.scrollWidth,b.clientWidth];"
    )
    assert box_width <= box_view  # this cohort fits without even its own scroll bar
    assert names(browser) == committee_order(cohort_page)
    headers = [th.text for th in browser.find_elements(By.CSS_SELECTOR, "#cohort thead th")]
    assert not [h for h in headers if "_" in h]  # headers in words, not column keys
    note = browser.find_element(By.ID, "ranking-note").text
    assert note.startswith("Order: ranked by verdict, then preserved by")
    # Candidates' text is shown as text.
    assert HOSTILE_NAME in names(browser)
    assert not browser.find_elements(By.CSS_SELECTOR, "#cohort tbody b")
    keep = os.environ.get(SCREENSHOTS_ENV)
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        assert browser.save_screenshot(str(Path(keep) / "cohort.png"))


def test_clicking_a_header_sorts_the_rows_and_hash_restores_the_order(
    browser: webdriver.Chrome, cohort_page: Path
) -> None:
    browser.get(cohort_page.as_uri())
    order = committee_order(cohort_page)
    header(browser, "Candidate").find_element(By.TAG_NAME, "button").click()
    assert names(browser) == sorted(order, key=lambda n: n.lower())
    header(browser, "Candidate").find_element(By.TAG_NAME, "button").click()
    assert names(browser) == sorted(order, key=lambda n: n.lower(), reverse=True)
    assert header(browser, "Candidate").get_attribute("aria-sort") == "descending"

    # Numbers sort as numbers, the fewest failures first; blanks (not measured) stay last,
    # whichever the direction, and ties keep the committee's order.
    failures = golden_failures(cohort_page)
    measured = [n for n in order if failures[n] is not None]
    blanks = [n for n in order if failures[n] is None]
    assert measured and blanks
    header(browser, "Golden tests passed").find_element(By.TAG_NAME, "button").click()
    assert names(browser) == sorted(measured, key=lambda n: failures[n]) + blanks
    header(browser, "Golden tests passed").find_element(By.TAG_NAME, "button").click()
    assert names(browser) == sorted(measured, key=lambda n: -failures[n]) + blanks

    header(browser, "#").find_element(By.TAG_NAME, "button").click()
    assert names(browser) == order


def test_the_counterexample_is_shown_and_links_to_the_finding(
    browser: webdriver.Chrome, cohort_page: Path
) -> None:
    browser.get(cohort_page.as_uri())
    row = next(
        tr
        for tr in browser.find_elements(By.CSS_SELECTOR, "#cohort tbody tr")
        if tr.find_element(By.CSS_SELECTOR, "td.candidate").text == "broken"
    )
    link = row.find_element(By.CSS_SELECTOR, "a.counterexample")
    call = link.text.strip()
    assert call.startswith("toy.price(") and link.is_displayed()
    expected = (cohort_page.parent / "broken" / "report.html").as_uri()
    assert link.get_attribute("href") == expected + "#finding-differential_mismatch-0"
    link.click()
    assert browser.current_url == expected + "#finding-differential_mismatch-0"
    finding = browser.find_element(By.ID, "finding-differential_mismatch-0")
    assert "differential_mismatch" in finding.text and call in finding.text.replace("\n", " ")


def test_without_javascript_the_table_reads_in_committee_order(cohort_page: Path) -> None:
    with headless(javascript=False) as driver:
        driver.get(cohort_page.as_uri())
        assert driver.find_element(By.ID, "cohort").is_displayed()
        assert names(driver) == committee_order(cohort_page)
        assert not driver.find_elements(By.CSS_SELECTOR, "#cohort thead button")
        assert driver.find_element(By.ID, "ranking-note").is_displayed()
