"""report.json read back as the Report that wrote it (``Report.from_json``, ``read_json``).

That every real report reads back whole is asserted wherever a test reads one (the ``cli``
fixture's ``report``, the report identity guard); here, what reading refuses, in one line.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from refactor_check import recheck
from refactor_check.cache import Cache
from refactor_check.errors import BadInputError
from refactor_check.report import Report, read_json
from refactor_check.results import CheckResult, Finding, Status
from refactor_check.results.golden import GoldenResult, GoldenTest
from refactor_check.results.run import Isolation

from . import made_reports


def _report() -> Report:
    golden = GoldenResult(
        check="golden",
        status=Status.FAILED,
        summary="1 of 2 golden tests behave as on the original",
        findings=(
            Finding(
                kind="golden_failed",
                message="test_total failed",
                check="golden",
                test_id="tests/test_x.py::test_total",
                evidence="assert 3 == 4",
            ),
        ),
        tests=(
            GoldenTest(id="tests/test_x.py::test_total", expected="passed", outcome="failed"),
            GoldenTest(id="tests/test_x.py::test_empty", expected="passed", outcome="passed"),
        ),
        processes=1,
    )
    syntax = CheckResult(check="syntax", status=Status.PASSED, summary="all 1 files parse")
    return made_reports.report(syntax, golden, tool_version="9.9")


def _data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(json.dumps(_report().to_dict()))
    return data


def test_a_report_reads_back_as_the_report_that_wrote_it() -> None:
    report = read_json(_data(), "report.json")
    assert report.to_dict() == _data()
    assert report.verdict.verdict == "changed" and report.tool_version == "9.9"
    golden = report.golden
    assert golden is not None and golden.passed == 1
    # Each check gets back its own findings (the verdict lists them all).
    assert [f.kind for f in golden.findings] == ["golden_failed"]
    syntax = report.check("syntax")
    assert syntax is not None and syntax.findings == ()


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: [], "is not a refactor-check report (no schema_version)"),
        (
            lambda d: {**d, "schema_version": 2},
            "has schema_version 2 (written by refactor-check 9.9); refactor-check ",
        ),
        (lambda d: {k: v for k, v in d.items() if k != "checks"}, "KeyError 'checks'"),
        (lambda d: {**d, "verdict": "fine"}, "ValueError unknown verdict 'fine'"),
        (
            lambda d: {**d, "golden": {**d["golden"], "passed": 2}},
            "does not hold what refactor-check writes at golden.passed",
        ),
        (
            lambda d: {**d, "checks": [{**d["checks"][0], "status": "fine"}, *d["checks"][1:]]},
            "ValueError 'fine' is not a valid Status",
        ),
        # A value of another type than the field's is not taken as it comes.
        (
            lambda d: {**d, "sources": {**d["sources"], "candidate": {"pkg.py": 7}}},
            "expected str @ $.texts[0][1]",
        ),
        (
            lambda d: {**d, "golden": {**d["golden"], "processes": True}},
            "TypeError int expected, got bool",
        ),
    ],
)
def test_what_is_not_a_report_as_written_is_refused_in_one_line(edit: Any, message: str) -> None:
    with pytest.raises(BadInputError) as refused:
        read_json(edit(_data()), "shard/report.json")
    text = str(refused.value)
    assert text.startswith("shard/report.json ") and message in text and "\n" not in text


def test_a_damaged_kept_report_is_graded_afresh(tmp_path: Path) -> None:
    """A kept report that no longer reads back (damaged, or another version's) is no verdict."""
    cache = Cache(tmp_path / "cache")
    kept = replace(_report(), isolation=Isolation(mode="bwrap", process_limit="cgroup"))
    assert recheck.keep(cache, "k" * 64, kept).recheck == recheck.Recheck(
        from_cache=False, key="k" * 64, kept=True
    )
    recalled = recheck.recall(cache, "k" * 64)
    assert recalled is not None and recalled.golden == kept.golden
    damaged = {**kept.to_dict(), "checks": "none"}
    cache.put(recheck.NAMESPACE, "k" * 64, damaged)
    assert recheck.recall(cache, "k" * 64) is None
