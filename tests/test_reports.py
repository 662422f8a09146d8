"""Every output of a run, produced by real runs through the CLI and checked file by file."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest
from markupsafe import escape

from refactor_check.report import Report
from refactor_check.reports import highlight, html, junit, markdown, stryker
from refactor_check.results import CheckResult, Finding, Status
from refactor_check.results.differential import Counterexample, DifferentialResult, TargetReport
from refactor_check.results.mutation import Mutant, tally
from refactor_check.verdict import Verdict

from . import made_reports
from .conftest import EXAMPLES, TOY_CLEAN, TOY_GOLDEN, CliResult, write_files

SCHEMA = json.loads(
    (Path(__file__).parent / "schemas" / "mutation-testing-report-schema.json").read_text("utf-8")
)
INVOICE = EXAMPLES / "invoice"
OWN_TESTS = """
from toy import Counter, price


def test_bulk_price():
    assert price(10, 1.0) == 9.0


def test_counter_counts():
    assert Counter().bump(2) == 2
"""


def text(run: CliResult, name: str) -> str:
    return (run.out / name).read_text("utf-8")


def run_cli(root: Path, *args: str | Path, env: dict[str, str] | None = None) -> CliResult:
    """The real command line in a subprocess, with its own --out and cache under ``root``."""
    out = root / "out"
    root.mkdir(parents=True, exist_ok=True)
    completed = subprocess.run(
        [sys.executable, "-m", "refactor_check", *map(str, args), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=root,
        env={
            **os.environ,
            "NO_COLOR": "1",
            "REFACTOR_CHECK_CACHE": str(root / "cache"),
            "GITHUB_STEP_SUMMARY": "",
            **(env or {}),
        },
    )
    return CliResult(completed.returncode, completed.stdout, completed.stderr, out)


@pytest.fixture(scope="module")
def toy_run(tmp_path_factory: pytest.TempPathFactory) -> CliResult:
    """The toy exercise, a clean candidate with two tests of its own, mutation testing on."""
    root = tmp_path_factory.mktemp("toy")
    candidate = write_files(
        root / "candidate", {"toy.py": TOY_CLEAN, "tests/test_mine.py": OWN_TESTS}
    )
    summary = root / "step_summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    run = run_cli(
        root,
        "run",
        candidate,
        "--golden",
        TOY_GOLDEN,
        "--no-differential",  # differential testing has its own real run below
        env={"GITHUB_STEP_SUMMARY": str(summary)},
    )
    assert run.code == 0, run.stdout + run.stderr
    return run


@pytest.fixture(scope="module")
def invoice_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, CliResult]:
    runs = {}
    for example in ("clean_refactor", "breaks_golden", "syntax_error"):
        root = tmp_path_factory.mktemp(example)
        runs[example] = run_cli(
            root, "run", INVOICE / example, "--no-mutation", "--no-differential"
        )
    return runs


def _junit(run: CliResult) -> ET.Element:
    return ET.fromstring(text(run, "junit.xml"))


def _suite(root: ET.Element, check: str) -> ET.Element:
    suite = root.find(f"testsuite[@name='refactor-check.{check}']")
    assert suite is not None, check
    return suite


# The toy run: every file, mutation outputs included -------------------------------------


def test_every_output_is_written_and_listed(toy_run: CliResult) -> None:
    names = {
        "report.json",
        "report.html",
        "summary.md",
        "junit.xml",
        "mutation.json",
        "mutation-on-original.json",
        "mutation-golden.json",
        "mutation.html",
    }
    assert {p.name for p in toy_run.out.iterdir()} == names
    for name in names:
        assert f"report: {toy_run.out / name}" in toy_run.stdout
    # Plain progress lines, stage by stage, and not a single control code anywhere.
    assert "refactor-check: golden passed in" in toy_run.stdout
    assert "refactor-check: mutation scored in" in toy_run.stdout
    assert "\x1b" not in toy_run.stdout + toy_run.stderr
    assert toy_run.stderr == ""


def test_stryker_reports_follow_the_schema_and_our_scores(toy_run: CliResult) -> None:
    mutation = toy_run.report["mutation"]
    for key, filename in stryker.FILES.items():
        data = json.loads(text(toy_run, filename))
        jsonschema.validate(data, SCHEMA)
        score = mutation[key]
        files = data["files"]
        assert set(files) == {"toy.py"}
        assert files["toy.py"]["source"] == score["source_files"]["toy.py"]
        mutants = files["toy.py"]["mutants"]
        assert len(mutants) == score["total"]
        detected = sum(m["status"] in ("Killed", "Timeout") for m in mutants)
        valid = sum(m["status"] in ("Killed", "Timeout", "Survived", "NoCoverage") for m in mutants)
        # Stryker's score, computed the way its viewer does, is ours.
        assert round(detected / valid, 4) == score["score"]
    candidate_source = (toy_run.out.parent / "candidate" / "toy.py").read_text("utf-8")
    assert (
        json.loads(text(toy_run, "mutation.json"))["files"]["toy.py"]["source"] == candidate_source
    )


def test_stryker_locations_point_at_the_changed_code(toy_run: CliResult) -> None:
    score = toy_run.report["mutation"]["candidate_tests"]
    by_key = {m["key"]: m for m in score["mutants"]}
    data = json.loads(text(toy_run, "mutation.json"))
    lines = data["files"]["toy.py"]["source"].splitlines()
    checked = 0
    for mutant in data["files"]["toy.py"]["mutants"]:
        start, end = mutant["location"]["start"], mutant["location"]["end"]
        assert (end["line"], end["column"]) > (start["line"], start["column"])
        if start["line"] != end["line"]:
            continue
        line = lines[start["line"] - 1]
        mutated = line[: start["column"] - 1] + mutant["replacement"] + line[end["column"] - 1 :]
        added = [
            text[1:].strip()
            for text in by_key[mutant["id"]]["diff"].splitlines()
            if text.startswith("+") and not text.startswith("+++")
        ]
        assert mutated.strip() in added, mutant
        checked += 1
    assert checked > 10


def test_junit_has_a_case_per_check_and_golden_test(toy_run: CliResult) -> None:
    root = _junit(toy_run)
    suites = [s.get("name") for s in root.findall("testsuite")]
    assert suites == [f"refactor-check.{c['check']}" for c in toy_run.report["checks"]]
    golden = _suite(root, "golden")
    assert golden.get("tests") == "5" and golden.get("failures") == "0"
    assert {c.get("name") for c in golden.findall("testcase")} >= {
        "test_counter",
        "test_price[1-2.0-2.0]",
    }
    (case,) = _suite(root, "mutation").findall("testcase")
    assert case.get("name") == "candidate's tests' mutation score >= 70%"
    score = toy_run.report["mutation"]["candidate_tests"]["score"]
    assert (case.find("failure") is not None) == (score < 0.7)
    assert root.get("tests") == str(len(root.findall(".//testcase")))


def test_markdown_summary_and_step_summary(toy_run: CliResult) -> None:
    summary = text(toy_run, "summary.md")
    assert summary.startswith("## ✅ Behaviour preserved: `toy` · `candidate`")
    assert "| **Behaviour** (gate) | preserved | 5 of 5 golden tests as before |" in summary
    level = toy_run.report["scorecard"]["dimensions"][0]["level"]
    assert f"| **Verification** | level {level} of 4 |" in summary
    assert "### Complexity (radon)" in summary and "### Findings" not in summary
    step = (toy_run.out.parent / "step_summary.md").read_text("utf-8")
    assert step == "earlier step\n" + summary + "\n"


def test_html_shows_scores_and_surviving_mutants(toy_run: CliResult) -> None:
    page = text(toy_run, "report.html")
    own = toy_run.report["mutation"]["candidate_tests"]
    assert f'<div class="big">{own["score"]:.0%}</div>' in page
    assert "Mutants of their code their tests let survive" in page
    assert own["survived"] > 0  # two tests cannot pin every branch
    assert '<div class="diff">' in page and 'class="add"' in page
    # Self-contained: no URL to fetch, a policy that forbids fetching anyway.
    assert "default-src &#39;none&#39;" in page  # the attribute's quotes, escaped
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in page and '<link rel="stylesheet"' not in page


# The bundled examples --------------------------------------------------------------------


def test_clean_refactor_reports(invoice_runs: dict[str, CliResult]) -> None:
    run = invoice_runs["clean_refactor"]
    assert run.code == 0, run.stdout + run.stderr
    page = text(run, "report.html")
    assert '<header id="verdict" class="banner preserved"' in page
    assert "<h1>Behaviour preserved</h1>" in page
    # The stewardship table maps compute_total to its new home with its helpers.
    assert "invoice.compute_total" in page and "pricing.compute_total" in page
    assert "pricing._checked_region" in page
    # A side-by-side pane per original function and per new one, and one for module-level code.
    complexity = run.report["complexity"]
    panes = len(complexity["functions"]) + len(complexity["new_functions"]) + 1
    assert page.count('<table class="sbs"') == panes
    assert highlight.lines("TAX_RATES = {")[0] in page  # a constant table, outside functions
    assert "Mutation testing did not run" in page
    golden = _suite(_junit(run), "golden")
    assert golden.get("tests") == "40" and golden.get("failures") == "0"
    assert _suite(_junit(run), "mutation").find("testcase/skipped") is not None
    assert "| **Verification** | not measured |" in text(run, "summary.md")
    assert not (run.out / "mutation.json").exists()


def test_breaking_refactor_reports_its_evidence(invoice_runs: dict[str, CliResult]) -> None:
    run = invoice_runs["breaks_golden"]
    assert run.code == 1
    failing = {f["test_id"] for f in run.report["findings"]}
    page = text(run, "report.html")
    assert '<header id="verdict" class="banner changed"' in page
    assert "tests/test_pricing.py::test_tax_rounds_half_up" in page
    assert "AssertionError: assert Decimal(&#39;0.14&#39;) == Decimal(&#39;0.15&#39;)" in page
    golden = _suite(_junit(run), "golden")
    failed = {
        f"{c.get('file')}::{c.get('name')}"
        for c in golden.findall("testcase")
        if c.find("failure") is not None
    }
    assert failed == failing and golden.get("failures") == str(len(failing))
    summary = text(run, "summary.md")
    assert summary.startswith("## ❌ Behaviour changed")
    assert f"### Findings ({len(failing)})" in summary
    assert "`tests/test_pricing.py::test_tax_rounds_half_up`" in summary
    assert "not scored: the behaviour gate did not pass" in summary


def test_syntax_error_report_without_golden_results(invoice_runs: dict[str, CliResult]) -> None:
    run = invoice_runs["syntax_error"]
    assert run.code == 1 and run.report["golden"] is None
    page = text(run, "report.html")
    assert "billing/book.py:78" in page and "The golden tests did not run" in page
    root = _junit(run)
    (syntax,) = _suite(root, "syntax").findall("testcase")
    failure = syntax.find("failure")
    assert failure is not None and failure.get("type") == "syntax_error"
    assert "billing/book.py:78" in (failure.text or "")
    assert _suite(root, "golden").find("testcase/skipped") is not None


def test_differential_counterexample_of_the_golden_gap(tmp_path: Path) -> None:
    # golden_gap passes every golden test; only differential testing sees qty == 50 change.
    run = run_cli(tmp_path, "run", INVOICE / "golden_gap", "--no-mutation")
    assert run.code == 1
    (finding,) = run.report["findings"]
    assert finding["kind"] == "differential_mismatch"
    page = text(run, "report.html")
    assert highlight.lines(finding["call"])[0] in page  # the call, as code
    (counterexample,) = run.report["differential"]["counterexamples"]
    where, before, after = counterexample["differences"][0]
    assert (
        f'<tr class="differs"><th class="mono">{escape(where)}</th>'
        f"<td><pre>{escape(before)}</pre></td><td><pre>{escape(after)}</pre></td></tr>"
    ) in page
    assert "<h4>Original</h4>" in page and "<h4>Candidate</h4>" in page
    root = _junit(run)
    cases = {c.get("name"): c for c in _suite(root, "differential").findall("testcase")}
    assert {t["path"] for t in run.report["differential"]["targets"]} == set(cases)
    failing = {name for name, case in cases.items() if case.find("failure") is not None}
    assert failing == {counterexample["target"]}
    assert "`differential_mismatch`" in text(run, "summary.md")


# Command-line outputs --------------------------------------------------------------------


def test_format_json_prints_report_json_alone(tmp_path: Path) -> None:
    candidate = write_files(tmp_path / "candidate", {"toy.py": TOY_CLEAN})
    run = run_cli(
        tmp_path,
        "run",
        candidate,
        "--golden",
        TOY_GOLDEN,
        "--no-mutation",
        "--no-differential",
        "--format",
        "json",
    )
    assert run.code == 0
    assert json.loads(run.stdout) == run.report
    assert "refactor-check: golden passed" in run.stderr  # progress moved out of the way


def test_quiet_prints_the_verdict_only(tmp_path: Path) -> None:
    candidate = write_files(tmp_path / "candidate", {"toy.py": TOY_CLEAN})
    run = run_cli(
        tmp_path,
        "run",
        candidate,
        "--golden",
        TOY_GOLDEN,
        "--no-mutation",
        "--no-differential",
        "--quiet",
    )
    assert (run.code, run.stdout, run.stderr) == (0, "verdict: preserved\n", "")


def test_a_terminal_gets_live_progress(tmp_path: Path) -> None:
    import pty

    candidate = write_files(tmp_path / "candidate", {"toy.py": TOY_CLEAN})
    leader, follower = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120"}
    env.pop("NO_COLOR", None)
    env["REFACTOR_CHECK_CACHE"] = str(tmp_path / "cache")
    command = [sys.executable, "-m", "refactor_check", "run", str(candidate), "--golden"]
    command += [str(TOY_GOLDEN), "--no-mutation", "--no-differential"]
    command += ["--out", str(tmp_path / "out")]
    process = subprocess.Popen(command, stdout=follower, stderr=follower, env=env, cwd=tmp_path)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closes with the process
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.wait(timeout=120) == 0
    screen = b"".join(chunks).decode("utf-8", "replace")
    assert "\x1b[" in screen  # rich redraws its bars
    assert "golden" in screen and "━" in screen
    assert "refactor-check: golden passed in" not in screen  # not the plain lines


# Writers on sections other stages add ----------------------------------------------------


def _differential_failed(report: Report) -> Report:
    """Two entry points searched, one differs, with the differential stage's own record of
    the call (where the two sides differ)."""
    call = "billing.compute_total([{'sku': 'A', 'qty': 50}], {'id': 1})"
    finding = Finding(
        kind="differential_mismatch",
        message="billing.compute_total differs on qty == 50 <b>bold</b>",
        check="differential",
        call=call,
    )
    counterexample = Counterexample(
        target="billing.compute_total",
        call=call,
        headline="the return value differs",
        differences=(("return", '{"total": "47.50"}', '{"total": "49.00"}'),),
        original={"lines": ['return {"total": "47.50"}']},
        candidate={"lines": ['return {"total": "49.00"}']},
        origin="generated input",
        steps_before_shrinking=1,
    )
    result = DifferentialResult(
        check="differential",
        status=Status.FAILED,
        summary="1 of 2 entry points behave differently",
        findings=(finding,),
        counterexamples=(counterexample,),
        targets=tuple(
            TargetReport(path=path, kind="function", programs=1, calls=1, focus=False)
            for path in ("billing.compute_total", "billing.format_money")
        ),
    )
    changed = made_reports.with_check(report, result)
    return replace(changed, verdict=Verdict("changed", report.verdict.reason, (finding,)))


def test_differential_findings_render_side_by_side(invoice_runs: dict[str, CliResult]) -> None:
    made = _differential_failed(Report.from_json(invoice_runs["clean_refactor"].report))
    page = html.render(made)
    assert "1 of 2 entry points behave differently" in page
    assert '<span class="nf">compute_total</span>' in page  # the call, highlighted
    assert '<tr class="differs"><th class="mono">return</th>' in page
    assert "47.50" in page and "49.00" in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page and "<b>bold</b>" not in page
    root = ET.fromstring(junit.render(made))
    cases = {c.get("name"): c for c in _suite(root, "differential").findall("testcase")}
    assert set(cases) == {"billing.compute_total", "billing.format_money"}
    assert cases["billing.compute_total"].find("failure") is not None
    assert cases["billing.format_money"].find("failure") is None
    summary = markdown.render(made)
    assert "`differential_mismatch`" in summary and "&lt;b>bold&lt;/b>" in summary


def test_hostile_text_stays_text(invoice_runs: dict[str, CliResult]) -> None:
    hostile = "</pre><script>alert(1)</script> | cell \x1b[31m red \x00"
    report = Report.from_json(invoice_runs["breaks_golden"].report)
    first, *rest = report.findings
    made = made_reports.with_findings(
        report, replace(first, message=hostile, evidence=hostile), *rest
    )
    page = html.render(made)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    ET.fromstring(junit.render(made))  # still well-formed XML
    summary = markdown.render(made)
    assert "<script>" not in summary.split("```text")[0]
    assert "\\| cell" in summary


def test_every_finding_has_an_element_id_of_its_own(invoice_runs: dict[str, CliResult]) -> None:
    """Ids count per kind, so the first of each kind keeps the id cohort.html links to."""
    report = Report.from_json(invoice_runs["breaks_golden"].report)
    first = report.findings[0]
    made = made_reports.with_findings(
        report, first, first, replace(first, kind="differential_mismatch")
    )
    ids = re.findall(r'<div class="finding[^"]*" id="([^"]+)"', html.render(made))
    kind = first.kind
    assert ids == [f"finding-{kind}-0", f"finding-{kind}-1", "finding-differential_mismatch-0"]


def test_markdown_stays_within_a_comment(invoice_runs: dict[str, CliResult]) -> None:
    report = Report.from_json(invoice_runs["breaks_golden"].report)
    made = made_reports.with_findings(report, *report.findings * 400)
    summary = markdown.render(made)
    assert len(summary) <= markdown.MAX_CHARS + 100
    assert f"… and {len(made.findings) - markdown.MAX_FINDINGS} more" in summary


def test_stryker_status_mapping() -> None:
    source = "def f(x):\n    return x < 1\n"
    diff = "--- m.py\n+++ m.py\n@@ -1,2 +1,2 @@\n def f(x):\n-    return x < 1\n+    return x <= 1"
    statuses = ["killed", "survived", "timeout", "no_tests", "suspicious", "not_checked"]
    made = [
        Mutant(
            key=f"m.x_f__mutmut_{i}",
            file="m.py",
            function="m.f",
            line=2,  # the first line the mutant changes
            status=status,
            diff=diff,
        )
        for i, status in enumerate(statuses)
    ]
    score = tally(made, (("m.py", source),), failure=None, timed_out=False)
    data = stryker.report(score, "0.1.0")
    jsonschema.validate(data, SCHEMA)
    mutants = data["files"]["m.py"]["mutants"]
    assert [m["status"] for m in mutants] == [
        "Killed",
        "Survived",
        "Timeout",
        "NoCoverage",
        "Survived",
        "Pending",
    ]
    assert mutants[4]["statusReason"].startswith("mutmut marked it suspicious")
    first = mutants[0]
    assert first["mutatorName"] == "EqualityOperator"
    # "<" becomes "<=": the span covers the operator and what it replaces.
    start, end = first["location"]["start"], first["location"]["end"]
    assert start["line"] == end["line"] == 2
    line = source.splitlines()[1]
    assert line[: start["column"] - 1] + first["replacement"] + line[end["column"] - 1 :] == (
        "    return x <= 1"
    )


def test_writers_render_a_report_with_every_optional_section_absent(tmp_path: Path) -> None:
    typed = made_reports.report(
        CheckResult(check="complexity", status=Status.ERROR, summary="internal error: boom"),
        CheckResult(
            check="mutation",
            status=Status.SKIPPED,
            summary="not run: the package does not parse",
        ),
    )
    assert typed.verdict.reason == "refactor-check could not complete: complexity"
    assert typed.golden is None and typed.complexity is None and typed.scorecard is None
    page = html.render(typed)
    assert "<h1>Not graded: refactor-check could not finish</h1>" in page
    assert "Complexity was not measured." in page
    assert "Mutation testing did not run: not run: the package does not parse." in page
    root = ET.fromstring(junit.render(typed))
    (case,) = _suite(root, "complexity").findall("testcase")
    error = case.find("error")
    assert error is not None and error.get("message") == "internal error: boom"
    summary = markdown.render(typed)
    assert summary.startswith("## ⚠️ Not graded")
    assert "| **Verification** | not measured |" in summary
    assert stryker.write_all(typed, tmp_path) == []
