"""report.html's History section, from real repositories graded through the command line.

``examples/history/build.py`` (loaded by conftest's ``history_builder``) builds the
repositories (dulwich, fixed dates, no network); two are graded as users grade them,
``refactor-check run DIR --no-mutation``: one whose middle commit breaks two golden tests and
whose next commit repairs them, and a plain folder with no history. The page is read as text,
and in headless Chromium at 1280 px (tests/browser.py). A commit message is the candidate's
to write: rendered again from the same report.json with a hostile and an endless one, the
page must show them as text and still fit.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from dulwich.repo import Repo
from selenium import webdriver
from selenium.webdriver.common.by import By

from refactor_check.report import read_json
from refactor_check.reports import html

from .browser import WINDOW, headless, page_width, requests
from .conftest import history_builder
from .test_reports import run_cli

pytestmark = pytest.mark.slow

HOSTILE = '<script>alert(1)</script><b onmouseover="alert(\'x\')">bold</b> & "quotes"'
ENDLESS = "Refactor" + "_and_refactor_again" * 30  # one word, far wider than its column


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The out directories of breaks_then_repairs and no_history, graded by the CLI."""
    root = tmp_path_factory.mktemp("history-html")
    built = history_builder().build(root / "examples")
    outs = {}
    for name in ("breaks_then_repairs", "no_history"):
        run = run_cli(root / name, "run", built[name], "--no-mutation")
        assert run.code == 0, run.stdout + run.stderr
        outs[name] = run.out
    # Said here, not as a missing row later: why the history of the repository was not read.
    history = json.loads((outs["breaks_then_repairs"] / "report.json").read_text("utf-8"))
    assert history["history"]["available"], history["history"]["why"]
    outs["repository"] = built["breaks_then_repairs"]
    return outs


def shorts(repository: Path) -> list[str]:
    """The repository's commits' short ids, oldest first (the starter is the first)."""
    walker = Repo(str(repository)).get_walker()
    return [entry.commit.id.decode()[:8] for entry in walker][::-1]


def page(out: Path) -> str:
    return (out / "report.html").read_text(encoding="utf-8")


def section(text: str) -> str:
    found = re.search(r'<section id="history">.*?</section>', text, re.S)
    assert found, "no History section"
    return found.group(0)


def row(text: str, short: str) -> str:
    found = re.search(rf'<tr id="history-{short}"[^>]*>.*?</tr>', text, re.S)
    assert found, f"no row for {short}"
    return found.group(0)


def test_the_history_names_the_break_and_the_commit_that_repaired_it(
    graded: dict[str, Path],
) -> None:
    _starter, pinned, broke, repaired = shorts(graded["repository"])
    text = page(graded["breaks_then_repairs"])
    assert '<a href="#history">History</a>' in text  # in the table of contents
    # After verification, before stewardship: the page's order.
    assert text.index('id="verification"') < text.index('id="history"')
    assert text.index('id="history"') < text.index('id="stewardship"')
    history = section(text)

    # The facts, each linking to the row that shows it.
    assert re.search(r'Pinned first:</strong>\s*<span class="pill good">yes</span>', history)
    assert f"16 test(s) of theirs passed on the original at {pinned}" in history
    assert "1 of 2 commits green (50%)" in history
    assert re.search(
        rf'broke at <a href="#history-{broke}"><code>{broke}</code></a> '
        r"\(2 golden test\(s\) fail .*?\), "
        rf'repaired by <a href="#history-{repaired}"><code>{repaired}</code></a>',
        history,
    )
    assert "never repaired" not in history
    assert re.search(rf'429 package lines in <a href="#history-{broke}">', history)

    # One row per commit after the starter, oldest first.
    assert re.findall(r'<tr id="history-([0-9a-f]{8})"', history) == [pinned, broke, repaired]
    first, middle, last = (row(history, s) for s in (pinned, broke, repaired))
    assert 'class="original"' in first and '<span class="pill neutral">original</span>' in first
    assert 'class="red"' in middle and "31/33 ✗" in middle and "15/16 ✗" in middle
    assert "Split the limiter into modules" in middle and "7 package files" in middle
    assert "throttle/bucket.py" in middle and "not compared" in middle
    assert 'title="failing: tests/test_bans.py::test_a_ban_ends_and_forgets_the_strikes' in middle
    assert "<tr " in last and "red" not in last.split(">", 1)[0]
    assert "33/33 ✓" in last and "16/16 ✓" in last and 'title="306 calls compared">same' in last
    # The bars share one scale: the largest change fills the room, the others a share of it.
    widths = [
        float(re.search(r'<rect class="lines"[^>]* width="([\d.]+)"', r).group(1))
        for r in (middle, last)
    ]
    assert "<rect" not in first and widths[0] > 20 * widths[1] > 0


def test_no_history_says_why_in_one_line(graded: dict[str, Path]) -> None:
    history = section(page(graded["no_history"]))
    assert re.search(
        r'<p class="muted" id="history-none">No history: the submission is not a git '
        r"repository</p>",
        history,
    )
    assert "<table" not in history


def _hostile(graded: dict[str, Path], directory: Path) -> tuple[Path, str]:
    """report.html rendered again from the graded report.json with the candidate's own
    message at its middle commit hostile markup, and its last commit one endless word."""
    where = graded["breaks_then_repairs"] / "report.json"
    report = read_json(json.loads(where.read_text(encoding="utf-8")), str(where))
    history = report.history
    assert history is not None and history.facts is not None
    first, middle, last = history.steps
    deep = ("throttle/" + "deeply_nested_" * 20 + "module.py",)
    steps = (
        first,
        replace(middle, commit=replace(middle.commit, message=HOSTILE)),
        replace(
            last,
            commit=replace(
                last.commit, message=ENDLESS, touched=replace(last.commit.touched, package=deep)
            ),
        ),
    )
    broke, *breaks = history.facts.breaks
    facts = replace(history.facts, breaks=(replace(broke, what=HOSTILE), *breaks))
    path = html.write(
        replace(report, history=replace(history, steps=steps, facts=facts)), directory
    )
    return path, last.commit.short


def test_commit_messages_are_text_never_markup(graded: dict[str, Path], tmp_path: Path) -> None:
    path, endless_short = _hostile(graded, tmp_path)
    history = section(path.read_text(encoding="utf-8"))
    assert "<script>alert" not in history and "<b onmouseover" not in history
    escaped = (
        "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b onmouseover=&#34;alert(&#39;x&#39;)&#34;&gt;"
    )
    assert history.count(escaped) == 3  # the message, its title, and the break's "what"
    # A long message is cut short on the page, whole in its title.
    endless = row(history, endless_short)
    assert f'title="{ENDLESS}"' in endless
    shown = re.search(r'<td class="message"[^>]*>(.*?)</td>', endless).group(1)
    assert shown.endswith("…") and len(shown) == html.MESSAGE_ROOM


def test_the_history_reads_in_a_browser_at_1280_px(
    browser: webdriver.Chrome, graded: dict[str, Path], tmp_path: Path
) -> None:
    _starter, _pinned, broke, repaired = shorts(graded["repository"])
    hostile, _ = _hostile(graded, tmp_path)
    for report in (graded["breaks_then_repairs"] / "report.html", hostile):
        url = report.as_uri()
        browser.get_log("performance")  # drop what earlier pages left
        browser.get(url)
        assert [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "ERROR")] == []
        assert requests(browser) == {url}  # nothing fetched, the hostile message ran nothing
        assert browser.execute_script("return document.querySelectorAll('script').length") == 1

        table = browser.find_element(By.CSS_SELECTOR, "#history table.history")
        browser.execute_script("arguments[0].scrollIntoView()", table)
        assert table.is_displayed()
        rows = table.find_elements(By.CSS_SELECTOR, "tbody tr")
        assert len(rows) == 3 and all(r.is_displayed() for r in rows)
        red = browser.find_element(By.ID, f"history-{broke}")
        assert red.find_element(By.TAG_NAME, "td").value_of_css_property("background-color") in (
            "rgb(255, 235, 233)",
            "rgba(255, 235, 233, 1)",
        )

        # The break's fact links to its row, which lands in view.
        link = browser.find_element(By.CSS_SELECTOR, f'#history-breaks a[href="#history-{broke}"]')
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
        link.click()
        top, bottom = browser.execute_script(
            "const r = arguments[0].getBoundingClientRect(); return [r.top, r.bottom];", red
        )
        assert top >= 0 and bottom <= browser.execute_script("return window.innerHeight")
        assert browser.find_element(
            By.CSS_SELECTOR, f'#history-breaks a[href="#history-{repaired}"]'
        )

        # Everything stays inside the window: the table, and the page as a whole.
        right = browser.execute_script(
            "return Math.max(...[...arguments[0].querySelectorAll('td, th')]"
            ".map(c => c.getBoundingClientRect().right))",
            table,
        )
        assert right <= table.rect["x"] + table.rect["width"] + 1
        scrolled, shown = page_width(browser)
        assert scrolled <= shown <= WINDOW[0], (scrolled, shown)


def test_the_history_reads_without_javascript(graded: dict[str, Path]) -> None:
    _starter, _pinned, broke, repaired = shorts(graded["repository"])
    with headless(javascript=False) as driver:
        driver.get((graded["breaks_then_repairs"] / "report.html").as_uri())
        history = driver.find_element(By.ID, "history")
        assert f"broke at {broke}" in history.text and f"repaired by {repaired}" in history.text
        assert driver.find_element(By.CSS_SELECTOR, "#history table.history").is_displayed()
        driver.get((graded["no_history"] / "report.html").as_uri())
        line = driver.find_element(By.ID, "history-none")
        assert line.is_displayed()
        assert line.text == "No history: the submission is not a git repository"
