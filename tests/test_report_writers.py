"""The report writers' one registry (reports.WRITERS), used by run and merge alike, and the
times junit.xml gives its cases."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from refactor_check import cli, reports
from refactor_check.errors import BadInputError
from refactor_check.report import Report, read_json
from refactor_check.reports import junit
from refactor_check.results import CheckResult, Status
from refactor_check.results.golden import GoldenResult, GoldenTest

from . import made_reports
from .conftest import TOY_CLEAN, write_files


def extra_writer(report: Report, out_dir: Path) -> list[Path]:
    path = out_dir / "verdict.txt"
    path.write_text(report.verdict.verdict + "\n", encoding="utf-8")
    return [path]


@pytest.fixture
def graded(tmp_path: Path, toy_golden: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A toy run through the command line, in this process, with one more writer registered."""
    monkeypatch.setitem(reports.WRITERS, "verdict", extra_writer)
    candidate = write_files(tmp_path / "candidate", {"toy.py": TOY_CLEAN})
    out = tmp_path / "run"
    argv = ["run", str(candidate), "--golden", str(toy_golden), "--out", str(out), "-q"]
    with pytest.raises(SystemExit) as ended:
        cli.main([*argv, "--no-mutation", "--no-differential", "--sandbox", "none"])
    assert ended.value.code == 0
    return out


def _read_back(out: Path) -> Report:
    return read_json(json.loads((out / "report.json").read_text(encoding="utf-8")), "report")


def test_a_registered_writer_is_used_by_every_report_written(graded: Path, tmp_path: Path) -> None:
    """Run wrote it; a report read back (as merge and show read theirs) writes it alike."""
    assert (graded / "verdict.txt").read_text() == "preserved\n"
    written = reports.write_all(_read_back(graded), tmp_path / "again")
    assert {p.name for p in written} == {p.name for p in graded.iterdir()}
    assert (tmp_path / "again" / "verdict.txt").read_text() == "preserved\n"
    for path in written:
        assert path.read_bytes() == (graded / path.name).read_bytes(), path.name


def test_formats_choose_writers(graded: Path, tmp_path: Path) -> None:
    report = _read_back(graded)
    written = reports.write_all(report, tmp_path / "some", formats=["json", "junit"])
    assert [p.name for p in written] == ["report.json", "junit.xml"]
    with pytest.raises(BadInputError, match="unknown report format 'pdf'"):
        reports.write_all(report, tmp_path / "none", formats=["pdf"])


def test_cases_for_whole_checks_carry_their_stage_time() -> None:
    made = made_reports.report(
        CheckResult(check="syntax", status=Status.PASSED, summary="all 1 files parse"),
        GoldenResult(
            check="golden",
            status=Status.PASSED,
            summary="2 of 2",
            tests=tuple(
                GoldenTest(id=f"tests/test_t.py::test_{n}", expected="passed", outcome="passed")
                for n in "ab"
            ),
        ),
        CheckResult(check="mutation", status=Status.SKIPPED, summary="not run"),
        timing={"syntax": 0.25, "golden": 1.5},
    )
    root = ET.fromstring(junit.render(made))
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    (syntax,) = suites["refactor-check.syntax"].findall("testcase")
    assert syntax.get("time") == "0.250"
    (mutation,) = suites["refactor-check.mutation"].findall("testcase")
    assert mutation.get("time") == "0.000"  # not timed: it did not run
    golden = suites["refactor-check.golden"]
    assert golden.get("time") == "1.500"
    # A golden test has no time of its own in report.json: none is made up for it.
    assert [c.get("time") for c in golden.findall("testcase")] == [None, None]
