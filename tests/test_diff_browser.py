"""report.html in a real headless Chromium: a counterexample's "where it differs" link opens the
side-by-side code of that pair of functions, whose changed lines mark what changed within them,
and the page stays inside a 1280 px window."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from .browser import WINDOW, headless, page_width
from .test_call_path import golden_gap_run

pytestmark = pytest.mark.slow


def test_where_it_differs_opens_the_pair_with_changes_marked_within_lines(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    page = golden_gap_run(tmp_path_factory).out / "report.html"
    with headless() as driver:
        driver.get(page.as_uri())
        link = driver.find_element(By.CSS_SELECTOR, "#behaviour .finding .differs-in a")
        assert link.text == (
            "candidate's billing.pricing.volume_rate (original's billing.invoice.compute_total)"
        )
        target = driver.find_element(By.ID, link.get_attribute("href").split("#", 1)[1])
        pane = driver.execute_script("return arguments[0].closest('details')", target)
        assert "invoice.compute_total" in pane.find_element(By.TAG_NAME, "summary").text
        assert not pane.get_property("open") and not target.is_displayed()

        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
        link.click()

        assert pane.get_property("open")  # following the link opened the pair's code
        assert target.is_displayed() and "def volume_rate(qty: int)" in target.text
        top, bottom = driver.execute_script(
            "const r = arguments[0].getBoundingClientRect(); return [r.top, r.bottom];", target
        )
        assert top >= 0 and bottom <= driver.execute_script("return window.innerHeight")
        assert "if qty > more_than:" in pane.text

        # Within this pair's code, changed lines mark the tokens that changed, not the line.
        marks = pane.find_elements(
            By.CSS_SELECTOR, "tr.changed td.code del, tr.changed td.code ins"
        )
        assert {m.tag_name for m in marks} == {"del", "ins"}
        within = [
            m
            for m in marks
            if m.is_displayed()
            and 0
            < len(m.text.strip())
            < len(driver.execute_script("return arguments[0].closest('td').textContent", m).strip())
        ]
        assert within, "every mark covers its whole line"
        colour = within[0].value_of_css_property("background-color")
        assert colour not in ("rgba(0, 0, 0, 0)", "transparent")
        # Lines only the candidate has stay highlighted whole, unmarked.
        assert pane.find_elements(By.CSS_SELECTOR, "tr.added td.code.r")
        assert not pane.find_elements(By.CSS_SELECTOR, "tr.added ins, tr.removed del")

        scrolled, shown = page_width(driver)
        assert scrolled <= shown <= WINDOW[0], (scrolled, shown)  # no sideways scroll at 1280 px
