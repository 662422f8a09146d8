"""The golden check on real pytest runs: every test accounted for, whatever the code does."""

from __future__ import annotations

from pathlib import Path

from refactor_check import pipeline

from .conftest import TOY_CLEAN


def grade(candidate: Path, golden: Path, **limits: object) -> pipeline.Report:
    if limits:
        text = (golden / "exercise.toml").read_text() + "[limits]\n"
        text += "".join(f"{k} = {v}\n" for k, v in limits.items())
        (golden / "exercise.toml").write_text(text)
    # Differential testing would add findings of its own; these tests are about golden runs.
    return pipeline.grade(candidate, pipeline.Options(golden=golden, differential=False))


def outcomes(report: pipeline.Report) -> dict[str, str]:
    assert report.golden is not None
    return {t.id.split("::")[-1]: t.outcome for t in report.golden.tests}


def test_clean_refactor_passes_every_golden_test(toy_golden: Path, make_candidate) -> None:
    report = grade(make_candidate(), toy_golden)
    assert report.verdict.verdict == "preserved"
    assert set(outcomes(report).values()) == {"passed"}
    assert len(outcomes(report)) == 5


def test_failure_carries_the_assertion(toy_golden: Path, make_candidate) -> None:
    broken = TOY_CLEAN.replace("qty >= BULK_QTY", "qty > BULK_QTY")
    report = grade(make_candidate({"toy.py": broken}), toy_golden)
    assert report.verdict.verdict == "changed"
    (finding,) = report.findings
    assert finding.kind == "golden_test_failed"
    assert finding.test_id == "tests/test_toy.py::test_price[10-1.0-9.0]"
    assert "assert 10.0 == 9.0" in finding.message
    assert "price(qty, unit) == expected" in (finding.evidence or "")


def test_a_hanging_test_times_out_and_the_rest_still_run(toy_golden: Path, make_candidate) -> None:
    hangs = TOY_CLEAN.replace(
        "        self.count += by\n", "        while True:\n            pass\n"
    )
    report = grade(make_candidate({"toy.py": hangs}), toy_golden, stall_seconds=2)
    assert outcomes(report) == {
        "test_price[1-2.0-2.0]": "passed",
        "test_price[10-1.0-9.0]": "passed",
        "test_price[3-1.5-4.5]": "passed",
        "test_price_rejects_zero": "passed",
        "test_counter": "timeout",
    }
    assert [f.kind for f in report.findings] == ["golden_test_timeout"]
    assert report.golden is not None and report.golden.processes == 1


def test_os_exit_mid_suite_is_a_crash_not_a_pass(toy_golden: Path, make_candidate) -> None:
    crashes = TOY_CLEAN.replace(
        "    total = qty", "    if qty == 10:\n        import os; os._exit(0)\n    total = qty"
    )
    report = grade(make_candidate({"toy.py": crashes}), toy_golden)
    result = outcomes(report)
    assert result["test_price[10-1.0-9.0]"] == "crashed"
    # The tests after the crash were run again in a second process.
    assert result["test_counter"] == "passed"
    assert report.golden is not None and report.golden.processes == 2
    assert report.verdict.verdict == "changed"
    assert "run_aborted" in {f.kind for f in report.findings}


def test_sys_exit_at_import_runs_no_test(toy_golden: Path, make_candidate) -> None:
    report = grade(make_candidate({"toy.py": "import sys\nsys.exit(0)\n" + TOY_CLEAN}), toy_golden)
    assert report.verdict.verdict == "changed"
    assert "passed" not in outcomes(report).values()


def test_raising_at_import_is_an_import_failure(toy_golden: Path, make_candidate) -> None:
    report = grade(
        make_candidate({"toy.py": "raise RuntimeError('boom at import')\n" + TOY_CLEAN}),
        toy_golden,
    )
    assert report.verdict.verdict == "changed"
    (finding,) = report.findings
    assert finding.kind == "import_failed"
    assert "RuntimeError: boom at import" in finding.message
    assert set(outcomes(report).values()) == {"collect_error"}


def test_forged_results_disagree_with_the_other_channels(toy_golden: Path, make_candidate) -> None:
    # Claims every test passed over the channel, then leaves before pytest writes anything.
    forger = """
import json, os, sys
fd = int(sys.argv[sys.argv.index("--channel-fd") + 1])
ids = ["tests/test_toy.py::test_price[1-2.0-2.0]", "tests/test_toy.py::test_price[10-1.0-9.0]",
       "tests/test_toy.py::test_price[3-1.5-4.5]", "tests/test_toy.py::test_price_rejects_zero",
       "tests/test_toy.py::test_counter"]
def send(**m):
    os.write(fd, (json.dumps(m) + "\\n").encode())
send(event="collected", ids=ids)
for i in ids:
    send(event="start", id=i)
    for when in ("setup", "call", "teardown"):
        send(event="report", id=i, when=when, outcome="passed", wasxfail=False,
             crash=None, longrepr=None)
send(event="finish", exitstatus=0)
send(event="exit", code=0)
os._exit(0)
"""
    report = grade(make_candidate({"toy.py": forger}), toy_golden)
    assert report.verdict.verdict == "changed"
    kinds = {f.kind for f in report.findings}
    assert "results_inconsistent" in kinds
    messages = " ".join(f.message for f in report.findings)
    assert "JUnit XML" in messages


def test_golden_tests_failing_on_the_original_are_bad_input(
    toy_golden: Path, make_candidate
) -> None:
    import pytest

    from refactor_check.errors import BadInputError

    (toy_golden / "tests" / "test_broken.py").write_text("def test_no():\n    assert 1 == 2\n")
    with pytest.raises(
        BadInputError,
        match=r"broken: golden tests fail on the original: "
        r"tests/test_broken.py::test_no \(failed\)",
    ):
        grade(make_candidate(), toy_golden)
