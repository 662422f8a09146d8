"""mutation.html: the mutation reports in Stryker's standard viewer, inlined and offline.

The writer is tested on Reports built in code; the page of a real run with mutation testing is then
opened in headless Chromium, as test_html_browser.py opens report.html (and with its
browser: Debian's chromium and chromium-driver).
"""

from __future__ import annotations

import base64
import configparser
import glob
import hashlib
import json
import os
import re
import shutil
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from refactor_check import reports
from refactor_check.report import Report
from refactor_check.reports import html, mutation_html, stryker, view
from refactor_check.results import CheckResult, Status
from refactor_check.results.mutation import Mutant, MutationResult, MutationScore

from . import made_reports
from .browser import SCREENSHOTS_ENV, page_width
from .conftest import REPO, TOY_CLEAN, TOY_GOLDEN, CliResult, write_files
from .test_reports import OWN_TESTS, run_cli

PACKAGE_DIR = REPO / "refactor_check"
# Candidate code that tries every way out of a <script> element, and the two line separators
# JavaScript once refused inside string literals.
PLANTED = "# </script><script>window.pwned = 1</script> <!-- <script> & \u2028 \u2029 -->"
SOURCE = f"def f(x):\n    return x + 1\n{PLANTED}\n"
SURVIVOR_DIFF = (
    "--- pkg.py\n+++ pkg.py\n@@ -1,2 +1,2 @@\n def f(x):\n-    return x + 1\n+    return x - 1\n"
)
KILLED_DIFF = (
    "--- pkg.py\n+++ pkg.py\n@@ -1,2 +1,2 @@\n def f(x):\n-    return x + 1\n+    return x + 2\n"
)
# Reads the text of the viewer and of every shadow root below it (each component has one).
DEEP_TEXT = """
const walk = (node, out) => {
  if (node.nodeType === Node.TEXT_NODE) { out.push(node.textContent); return; }
  if (node.shadowRoot) walk(node.shadowRoot, out);
  for (const child of node.childNodes) walk(child, out);
};
const app = document.querySelector('mutation-test-report-app');
if (!app || !app.shadowRoot) return '';
const out = [];
walk(app.shadowRoot, out);
return out.join('').replace(/\\s+/g, ' ');
"""


def _score(score: float, note: str | None = None) -> MutationScore:
    return MutationScore(
        score=score,
        killed=1,
        timeout=0,
        survived=1,
        no_tests=0,
        suspicious=0,
        not_checked=0,
        total=2,
        note=note,
        source_files=(("pkg.py", SOURCE),),
        mutants=(
            Mutant(
                key="pkg.x_f__mutmut_1",
                file="pkg.py",
                line=2,
                function="pkg.f",
                status="survived",
                diff=SURVIVOR_DIFF,
            ),
            Mutant(
                key="pkg.x_f__mutmut_2",
                file="pkg.py",
                line=2,
                function="pkg.f",
                status="killed",
                diff=KILLED_DIFF,
            ),
        ),
    )


def _data(mutation: CheckResult | None) -> Report:
    """A report of the mutation check alone (none at all: ``None``)."""
    checks = () if mutation is None else (mutation,)
    return made_reports.report(*checks, tool_version="0.1.0")


def _measured_scores() -> dict[str, MutationScore]:
    """Two of the three scores, by their key in report.json: the third was not measured."""
    return {
        "golden_on_original": _score(0.75),
        "candidate_tests": _score(0.5, note="one of their tests is slow"),
    }


def _measured() -> Report:
    return _data(
        MutationResult(
            check="mutation",
            status=Status.PASSED,
            summary="golden suite detects 75% of the original's mutants",
            profile="quick",
            **_measured_scores(),
        )
    )


class _Page(HTMLParser):
    """The page's script elements (attributes and text) and its Content-Security-Policy."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.csp = ""
        self._open: dict[str, str | None] | None = None
        self._text: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script":
            self._open, self._text = attributes, []
        elif tag == "meta" and attributes.get("http-equiv") == "Content-Security-Policy":
            self.csp = attributes.get("content") or ""

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._open is not None:
            self.scripts.append((self._open, "".join(self._text)))
            self._open = None


# The writer, on Reports built in code -------------------------------------------------------------


def test_page_inlines_the_viewer_and_embeds_each_measured_score(tmp_path: Path) -> None:
    data = _measured()
    assert mutation_html.write(data, tmp_path) == [tmp_path / "mutation.html"]
    text = (tmp_path / "mutation.html").read_text(encoding="utf-8")
    page = _Page(text)
    (data_attrs, embedded), (bundle_attrs, bundle), (_, app_script) = page.scripts
    assert data_attrs == {"type": "application/json", "id": mutation_html.DATA_ID}
    # The viewer is in the page itself, byte for byte, and nothing names a file to load.
    assert bundle == mutation_html.BUNDLE.read_text(encoding="utf-8")
    assert bundle_attrs == {} and "src=" not in text.replace(bundle, "") and "<link" not in text
    assert app_script == mutation_html.APP_SCRIPT
    # The candidate's score first, then the others measured; each the report mutation*.json holds.
    entries = json.loads(embedded)
    assert [e["key"] for e in entries] == ["candidate_tests", "golden_on_original"]
    assert [e["title"] for e in entries] == [
        "Their tests on their code",
        "Golden suite on the original",
    ]
    scores = _measured_scores()
    for entry in entries:
        assert entry["report"] == stryker.report(scores[entry["key"]], "0.1.0")
        assert entry["report"]["files"]["pkg.py"]["source"] == SOURCE
    assert entries[0]["note"] == "one of their tests is slow"
    # The selector shows the scores as the viewer prints them.
    labels = re.findall(r"<button [^>]*>([^<]*)<strong>([^<]*)</strong>", text)
    assert labels == [
        ("Their tests on their code ", "50.00%"),
        ("Golden suite on the original ", "75.00%"),
    ]
    assert 'aria-pressed="true"' in text.split("</button>")[0]
    # Only the two inline scripts may run, and nothing may be fetched.
    assert "default-src 'none'" in page.csp
    for script in (bundle, app_script):
        digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in page.csp


def test_a_planted_script_end_tag_stays_inside_the_json(tmp_path: Path) -> None:
    mutation_html.write(_measured(), tmp_path)
    text = (tmp_path / "mutation.html").read_text(encoding="utf-8")
    # Exactly the three script elements the writer opens are closed: none by the candidate.
    assert len(re.findall("</script", text, re.IGNORECASE)) == 3
    (_, embedded), _, _ = _Page(text).scripts
    for raw in ("<", ">", "&", "\u2028", "\u2029"):
        assert raw not in embedded
    assert "\\u003c/script\\u003e\\u003cscript\\u003ewindow.pwned" in embedded
    assert json.loads(embedded)[0]["report"]["files"]["pkg.py"]["source"].endswith(PLANTED + "\n")
    value = {"a": "</script>&\u2028"}
    assert mutation_html.embed_json(value) == '{"a":"\\u003c/script\\u003e\\u0026\\u2028"}'
    assert json.loads(mutation_html.embed_json(value)) == value


_SKIPPED = CheckResult(
    check="mutation", status=Status.SKIPPED, summary="not run: --no-mutation was given"
)


@pytest.mark.parametrize(
    "mutation",
    [
        None,
        _SKIPPED,
        MutationResult(check="mutation", status=Status.PASSED, summary="", profile="quick"),
    ],
)
def test_no_page_without_a_score(tmp_path: Path, mutation: CheckResult | None) -> None:
    data = _data(mutation)
    assert mutation_html.render(data) is None
    assert mutation_html.write(data, tmp_path) == []
    # As for mutation*.json: nothing, so no viewer of nothing lands in the report directory.
    written = reports.write_all(data, tmp_path / "all")
    assert not [p for p in written if p.name.startswith("mutation")]
    assert not list((tmp_path / "all").glob("mutation*"))
    assert list(tmp_path.iterdir()) == [tmp_path / "all"]


def test_registered_among_the_writers_after_the_json_reports(tmp_path: Path) -> None:
    assert list(reports.WRITERS)[-2:] == ["stryker", "mutation_html"]
    measured = _measured()
    written = reports.write_all(measured, tmp_path, formats=["mutation_html"])
    assert written == [tmp_path / "mutation.html"]
    names = [p.name for p in reports.write_all(measured, tmp_path / "all")]
    assert names[0] == "report.json" and names[-1] == "mutation.html"
    assert {"mutation.json", "mutation-golden.json"} <= set(names)


def test_report_html_links_the_viewer_exactly_when_it_is_written() -> None:
    link = '<a href="mutation.html">mutation.html</a>'
    assert link in html.render(_measured())
    assert link not in html.render(_data(_SKIPPED))


def test_the_writer_refuses_a_bundle_that_would_end_its_script(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = tmp_path / "bundle.js"
    bundle.write_text('var s = "</SCRIPT>";', encoding="utf-8")
    monkeypatch.setattr(mutation_html, "BUNDLE", bundle)
    with pytest.raises(RuntimeError, match="cannot be inlined"):
        mutation_html.render(_measured())


def test_the_vendored_viewer_is_the_recorded_release_and_ships_with_the_package() -> None:
    vendor = mutation_html.VENDOR
    readme = (vendor / "README.md").read_text(encoding="utf-8")
    assert f"| version | {mutation_html.VERSION} |" in readme
    assert f"mutation-testing-elements-{mutation_html.VERSION}.tgz" in readme
    for name in ("mutation-test-elements.js", "LICENSE"):
        digest = hashlib.sha256((vendor / name).read_bytes()).hexdigest()
        assert f"`{name}`" in readme and digest in readme, name
    assert (vendor / "LICENSE").read_text(encoding="utf-8").split()[:4] == [
        "Apache",
        "License",
        "Version",
        "2.0,",
    ]
    # A non-editable install takes what setup.cfg's package_data names: every vendored file.
    config = configparser.ConfigParser()
    config.read(REPO / "setup.cfg", encoding="utf-8")
    patterns = [p.strip() for p in config["options.package_data"]["refactor_check"].split(",")]
    shipped = {
        Path(name).as_posix()
        for pattern in patterns
        for name in glob.glob(pattern, root_dir=PACKAGE_DIR)
    }
    vendored = {p.relative_to(PACKAGE_DIR).as_posix() for p in vendor.iterdir()}
    assert len(vendored) == 3 and vendored <= shipped


# A real run's page in headless Chromium --------------------------------------------------


@pytest.fixture(scope="module")
def toy_run(tmp_path_factory: pytest.TempPathFactory) -> CliResult:
    """The toy exercise with two tests of the candidate's own and mutation testing on (the
    smallest exercise there is: three scores in about 20 seconds)."""
    root = tmp_path_factory.mktemp("toy-mutation")
    candidate = write_files(
        root / "candidate", {"toy.py": TOY_CLEAN, "tests/test_mine.py": OWN_TESTS}
    )
    run = run_cli(root, "run", candidate, "--golden", TOY_GOLDEN, "--no-differential")
    assert run.code == 0, run.stdout + run.stderr
    assert (run.out / "mutation.html").is_file(), run.stdout
    return run


def _open(driver: webdriver.Chrome, page: Path, expected: str) -> str:
    """Load the page, wait until the viewer shows ``expected``, and return the page's URL."""
    url = page.as_uri()
    driver.get_log("performance")  # drop what earlier pages left
    driver.get(url)
    _wait_for(driver, expected)
    return url


def _wait_for(driver: webdriver.Chrome, expected: str) -> str:
    try:
        WebDriverWait(driver, 20).until(lambda d: expected in d.execute_script(DEEP_TEXT))
    except TimeoutException:
        # Most likely the viewer never started: the console says why (a CSP refusal, say).
        pytest.fail(f"the viewer never showed {expected!r}; console: {_severe(driver)}")
    return str(driver.execute_script(DEEP_TEXT))


def _requests(driver: webdriver.Chrome, url: str) -> set[str]:
    """What the page at ``url`` requested, its own data: URLs (the viewer's CSS icons) apart.

    A fresh headless Chromium loads its new-tab page (chrome:// resources) meanwhile: those
    belong to another document. A request to the network, whoever made it, fails at once.
    """
    own = set()
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] != "Network.requestWillBeSent":
            continue
        params = message["params"]
        requested = params["request"]["url"]
        assert not requested.startswith(("http:", "https:", "ws:", "wss:")), requested
        if params.get("documentURL", "").split("#", 1)[0] == url and not requested.startswith(
            "data:"
        ):
            own.add(requested)
    return own


def _severe(driver: webdriver.Chrome) -> list[dict[str, Any]]:
    return [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]


def _viewer_score(score: float) -> str:
    return f"{score * 100:.2f}"  # as the viewer prints it: two decimals, no sign


def test_viewer_shows_the_runs_scores_offline(
    browser: webdriver.Chrome, toy_run: CliResult, tmp_path: Path
) -> None:
    mutation = toy_run.report["mutation"]
    own, golden = mutation["candidate_tests"], mutation["golden_on_original"]
    assert own["score"] != golden["score"]  # so each check below tells the reports apart
    url = _open(browser, toy_run.out / "mutation.html", _viewer_score(own["score"]))
    assert _severe(browser) == []
    assert _requests(browser, url) == {url}  # the page itself, and nothing else

    shown = _wait_for(browser, "toy.py")
    assert f"toy.py {_viewer_score(own['score'])}" in shown  # the file's row, with its score
    assert "Their tests on their code" in browser.title
    buttons = browser.find_elements(By.CSS_SELECTOR, "nav.scores button")
    assert [b.get_attribute("aria-pressed") for b in buttons] == ["true", "false", "false"]
    scrolled, shown = page_width(browser)
    assert scrolled <= shown, (scrolled, shown)  # no horizontal scrolling at 1280 px

    # The golden suite's report in the same viewer, from the same page.
    buttons[2].click()
    shown = _wait_for(browser, f"toy.py {_viewer_score(golden['score'])}")
    assert _viewer_score(own["score"]) not in shown
    assert "Golden suite on the original" in browser.title
    assert [b.get_attribute("aria-pressed") for b in buttons] == ["false", "false", "true"]

    # A file's view: its code with the mutants on it.
    buttons[0].click()
    browser.execute_script("location.hash = '#mutant/toy.py'")
    shown = _wait_for(browser, "def price(qty, unit):")
    assert f"Survived ({own['survived']})" in shown
    assert _severe(browser) == []
    assert _requests(browser, url) == set()  # switching and navigating fetched nothing

    shot = tmp_path / "mutation.png"
    assert browser.save_screenshot(str(shot))
    keep = os.environ.get(SCREENSHOTS_ENV)
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / shot.name)


def test_planted_markup_in_candidate_code_stays_code(
    browser: webdriver.Chrome, toy_run: CliResult, tmp_path: Path
) -> None:
    report = Report.from_json(toy_run.report)
    result = view.mutation(report)
    assert result is not None and result.candidate_tests is not None
    own = result.candidate_tests
    planted = tuple(  # after the code: locations hold
        (path, f"{text}{PLANTED}\n" if path == "toy.py" else text)
        for path, text in own.source_files
    )
    assert planted != own.source_files
    result = replace(result, candidate_tests=replace(own, source_files=planted))
    mutation_html.write(made_reports.with_check(report, result), tmp_path)
    url = _open(browser, tmp_path / "mutation.html", _viewer_score(own.score))
    browser.execute_script("location.hash = '#mutant/toy.py'")
    shown = _wait_for(browser, "window.pwned")
    assert "</script><script>window.pwned = 1</script>" in shown
    assert browser.execute_script("return typeof window.pwned") == "undefined"
    assert _severe(browser) == []
    assert _requests(browser, url) == {url}
