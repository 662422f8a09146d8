"""The behaviour verdict first: a partial report as soon as it is decided, and --fail-fast.

The candidate here changes what the golden tests leave unpinned (``Counter.bump`` of -1 no
longer raises), so only differential testing finds it, while mutation testing of their own
tests is still to be done.
"""

from __future__ import annotations

import json
from pathlib import Path

from refactor_check import pipeline
from refactor_check.checks import mutation
from refactor_check.report import Report
from refactor_check.reports import partial_report

from .conftest import TOY_CLEAN, TOY_GOLDEN, write_files

GAP = TOY_CLEAN.replace("by < 0", "by < -1")
THEIR_TESTS = """\
from toy import Counter, price


def test_price():
    assert price(2, 1.5) == 3.0


def test_bump():
    assert Counter().bump(3) == 3
"""


def _candidate(root: Path) -> Path:
    assert GAP != TOY_CLEAN, "the toy's bump check moved: update GAP"
    return write_files(root, {"toy.py": GAP, "tests/test_mine.py": THEIR_TESTS})


class _Lines:
    """A progress display that keeps what it is told."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.advanced: list[tuple[str, int, int | None, str]] = []
        self.finished: dict[str, str | None] = {}

    def stage_started(self, name: str) -> None: ...

    def stage_advanced(self, name: str, done: int, total: int | None, detail: str) -> None:
        self.advanced.append((name, done, total, detail))

    def stage_finished(self, name: str, seconds: float, outcome: str | None) -> None:
        self.finished[name] = outcome

    def note(self, line: str) -> None:
        self.lines.append(line)


def test_the_behaviour_verdict_comes_as_a_partial_report_before_the_complete_one(
    tmp_path: Path,
) -> None:
    partials: list[Report] = []
    options = pipeline.Options(golden=TOY_GOLDEN, sandbox="none", use_cache=False)
    watched = _Lines()
    report = pipeline.grade(_candidate(tmp_path / "cand"), options, watched, partials.append)

    assert len(partials) == 1
    partial = partials[0]
    assert partial.pending == ("mutation",)
    assert partial.verdict.verdict == "changed"
    assert [f.kind for f in partial.findings] == ["differential_mismatch"]
    data = partial.to_dict()
    assert data["partial"]["pending"] == ["mutation"]
    assert data["mutation"]["status"] == "pending"
    assert data["scorecard"] is None
    # The contract's fields are there, complexity among them (measured before the long stages).
    assert data["complexity"]["candidate"]["cc_total"] > 0
    assert data["findings"] and data["verdict"] == "changed"

    # The complete report: the same behaviour verdict, mutation measured, nothing pending.
    assert report.verdict.verdict == "changed" and report.pending == ()
    complete = report.to_dict()
    assert "partial" not in complete
    assert complete["mutation"]["candidate_tests"]["total"] > 0
    assert complete["findings"] == data["findings"]

    # Progress while it ran: each mutmut run counted to its end (the golden score first, a
    # stage of its own; their two runs side by side as one), programs compared.
    mutation = [
        (d, t, what)
        for name, d, t, what in watched.advanced
        if name in ("mutation", pipeline.GOLDEN_SCORE)
    ]
    runs = {what.partition(":")[0] for _, _, what in mutation}
    assert runs == {"the golden tests on the original", "their tests"}
    golden_run = {
        name for name, _, _, what in watched.advanced if what.startswith("the golden tests")
    }
    assert golden_run == {pipeline.GOLDEN_SCORE}
    for run in sorted(runs):
        last = [(d, t, what) for d, t, what in mutation if what.startswith(run + ":")][-1]
        assert last[0] == last[1] > 0, (run, last)
    theirs = [what for _, _, what in mutation if what.startswith("their tests:")][-1]
    assert "on their code" in theirs and "on the original" in theirs
    programs = [d for name, d, _, _ in watched.advanced if name == "differential"]
    assert (
        programs == sorted(programs)
        and programs[-1] == report.to_dict()["differential"]["programs"]
    )
    assert watched.finished["mutation"] == "scored" and watched.finished["differential"] == "failed"
    assert watched.finished[pipeline.GOLDEN_SCORE] == "scored"  # use_cache=False: never cached

    # What the command line does with it: report.json written whole, and one line shown.
    shown = _Lines()
    out = tmp_path / "out"
    partial_report.announcer(out, shown, fail_fast=False)(partial)
    written = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert written["partial"]["pending"] == ["mutation"] and written["verdict"] == "changed"
    assert [p.name for p in out.iterdir()] == ["report.json"]  # no scratch file left behind
    assert shown.lines == [partial_report.line(partial, fail_fast=False)]
    assert shown.lines[0].startswith("behaviour: CHANGED: 1 finding(s)")


def test_no_partial_report_without_mutation_testing(tmp_path: Path) -> None:
    """The complete report follows at once; there is nothing to announce early."""
    partials: list[Report] = []
    options = pipeline.Options(golden=TOY_GOLDEN, sandbox="none", mutation=False)
    pipeline.grade(_candidate(tmp_path / "cand"), options, on_behaviour=partials.append)
    assert partials == []


def test_fail_fast_stops_mutation_once_differential_testing_finds_a_change(
    cli, tmp_path: Path
) -> None:
    result = cli("run", _candidate(tmp_path / "cand"), "--golden", TOY_GOLDEN, "--fail-fast")
    assert result.code == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    announced = next(i for i, line in enumerate(lines) if "behaviour: CHANGED" in line)
    assert "--fail-fast: stopping mutation" in lines[announced]
    assert announced < next(i for i, line in enumerate(lines) if line.startswith("verdict:"))
    report = result.report
    assert "partial" not in report
    assert report["verdict"] == "changed"
    # Dropped even if it ended first, so the report does not depend on the machine's speed.
    assert report["mutation"]["status"] == "skipped"
    assert "--fail-fast" in report["mutation"]["summary"]
    assert report["mutation"]["candidate_tests"] is None


def test_fail_fast_after_a_golden_failure_runs_nothing_more(cli, tmp_path: Path) -> None:
    moved = TOY_CLEAN.replace(">= BULK_QTY", "> BULK_QTY")
    broken = write_files(tmp_path / "cand", {"toy.py": moved})
    assert (broken / "toy.py").read_text() != TOY_CLEAN
    result = cli("run", broken, "--golden", TOY_GOLDEN, "--fail-fast")
    assert result.code == 1, result.stdout + result.stderr
    report = result.report
    checks = {c["check"]: c for c in report["checks"]}
    assert checks["golden"]["status"] == "failed"
    for name in ("mutation", "differential"):
        assert checks[name]["status"] == "skipped" and "--fail-fast" in checks[name]["summary"]


def test_without_fail_fast_the_run_goes_on_after_the_change(cli, tmp_path: Path) -> None:
    result = cli("run", _candidate(tmp_path / "cand"), "--golden", TOY_GOLDEN)
    assert result.code == 1
    assert "behaviour: CHANGED" in result.stdout and "mutation still running" in result.stdout
    assert result.report["mutation"]["candidate_tests"]["total"] > 0


def test_a_stopped_run_leaves_out_what_the_mutation_runs_did_at_run_time() -> None:
    """How far the mutation runs got before a stop depends on the machine; the behaviour
    verdict (partial, or after --fail-fast) must not."""
    lines = [
        ("01-golden", "a"),
        (f"02-{mutation.RUN_LABEL}-golden", "b"),
        (f"07-{mutation.RUN_LABEL}-own", "c"),
        ("05-differential-candidate", "d"),
    ]
    kept = pipeline._outside_mutation(lines)
    assert kept == [("01-golden", "a"), ("05-differential-candidate", "d")]


def test_a_crash_scoring_the_golden_suite_leaves_behaviour_decided(
    tmp_path: Path, monkeypatch
) -> None:
    """The golden score is handed to mutation and differential testing as data: when the
    tool's own code crashes computing it, mutation testing says so (and the verdict is
    "error", as for any check the tool failed in) and differential testing still runs,
    without the golden suite's blind spots, and finds the change."""

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("no score today")

    monkeypatch.setattr(mutation, "golden_on_original", crash)
    options = pipeline.Options(golden=TOY_GOLDEN, sandbox="none", use_cache=False)
    watched = _Lines()
    report = pipeline.grade(_candidate(tmp_path / "cand"), options, watched)
    scored = report.check("mutation")
    assert scored is not None and scored.status.value == "error"
    assert scored.summary == "internal error: RuntimeError: no score today"
    assert watched.finished[pipeline.GOLDEN_SCORE] == "error"
    assert report.verdict.verdict == "error"
    found = report.check("differential")
    assert found is not None and found.status.value == "failed"
    assert [f.kind for f in found.findings] == ["differential_mismatch"]
