"""What the terminal shows while a run goes on, and the words it uses for each stage."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace

import pytest
from rich.progress import Progress

from refactor_check.checks import mutation
from refactor_check.mutation import mutmut_run
from refactor_check.report import Report
from refactor_check.reports import junit, terminal
from refactor_check.results import CheckResult, Status
from refactor_check.results.mutation import MutationResult, MutationScore
from refactor_check.scorecard import Dimension, Gate, LevelCheck, Scorecard, ThresholdCheck

from . import made_reports


def test_time_left_goes_by_the_pace_so_far() -> None:
    assert terminal.time_left(10, 40, 20.0) == "about 60 s left"
    assert terminal.time_left(1, 100, 60.0) == "about 99 min left"
    # No pace yet, nothing left, or no known total: nothing is promised.
    assert terminal.time_left(0, 40, 5.0) == ""
    assert terminal.time_left(40, 40, 5.0) == ""
    assert terminal.time_left(10, None, 5.0) == ""


def test_plain_progress_prints_quarters_of_each_run_and_never_a_start_at_zero() -> None:
    stream = io.StringIO()
    plain = terminal.PlainProgress(stream)
    plain.stage_started("mutation")
    for done in range(0, 41):
        plain.stage_advanced("mutation", done, 40, f"their tests on their code: {done} killed")
    plain.stage_advanced("mutation", 0, 8, "their tests on the original: 0 killed")
    plain.stage_advanced("mutation", 8, 8, "their tests on the original: 8 killed")
    plain.stage_finished("mutation", 3.0, "scored")
    lines = stream.getvalue().splitlines()
    assert lines[0] == "refactor-check: mutation ..."
    counted = [line.split()[2] for line in lines[1:-1]]
    # A line at each quarter crossed (no line for the 0 of either run), then the second run.
    assert counted == ["10/40", "20/40", "30/40", "40/40", "8/8"]
    assert "their tests on the original: 8 killed" in lines[-2]
    assert lines[-1] == "refactor-check: mutation scored in 3.0s"
    assert all("\x1b" not in line for line in lines)  # no control codes in a log


@pytest.mark.parametrize(
    ("outcome", "mark", "colour"),
    [
        ("passed", "✓", "green"),
        ("scored", "✓", "green"),
        ("failed", "✗", "red"),
        ("error", "✗", "red"),
        ("stopped", "■", "yellow"),
        ("skipped", "-", "yellow"),
        ("something new", "?", "yellow"),
    ],
)
def test_a_finished_stage_shows_a_green_tick_only_when_it_went_through(
    outcome: str, mark: str, colour: str
) -> None:
    column = terminal._StatusColumn()
    with Progress(column, console=terminal.Console(file=io.StringIO())) as bars:
        task = bars.add_task("stage", total=None, outcome="running")
        bars.update(task, total=1, completed=1, outcome=outcome)  # as a stage's end does
        shown = column.render(bars.tasks[task])
    assert str(shown) == mark and str(shown.style) == colour


def _report(score: float | None, status: str = "passed") -> Report:
    """A report whose scorecard asks 80% of the candidate's tests (Verification level 3), and
    whose mutation check scored them at ``score`` (None: not scored, or it did not run)."""
    own = None
    if score is not None:
        own = MutationScore(
            killed=1,
            survived=1,
            timeout=0,
            no_tests=0,
            suspicious=0,
            not_checked=0,
            total=2,
            score=score,
            mutants=(),
            source_files=(),
        )
    check: CheckResult = CheckResult(check="mutation", status=Status(status), summary="measured")
    if status == "passed":
        check = MutationResult(
            check="mutation",
            status=Status.PASSED,
            summary="measured",
            profile="quick",
            candidate_tests=own,
        )
    bar = ThresholdCheck(figure="candidate_tests", op="min", bound=0.8, actual=score, met=None)
    verification = Dimension(
        name="verification",
        level=None,
        meaning="",
        why="",
        floor="",
        weight=1.0,
        figures=(),
        levels=(LevelCheck(level=3, meaning="", thresholds=(bar,)),),
    )
    card = Scorecard(
        gate=Gate(status="passed", verdict="preserved", evidence=()),
        dimensions=(verification,),
        weighted_total=None,
        total_note="not scored",
        source="defaults",
    )
    return made_reports.report(check, scorecard=card)


@pytest.mark.parametrize(
    ("made", "word", "junit_child"),
    [
        (_report(0.9), "passed", None),
        (_report(0.5), "failed", "failure"),
        (_report(None), "skipped", "skipped"),
        (_report(None, status="error"), "error", "error"),
    ],
)
def test_the_terminal_names_the_mutation_stage_as_junit_does(
    made: Report, word: str, junit_child: str | None
) -> None:
    row = next(line for line in terminal.render(made, []) if line.strip().startswith("mutation"))
    assert row.split()[1] == word
    case = ET.fromstring(junit.render(made)).find(".//testcase")
    assert case is not None
    children = {child.tag for child in case} - {"system-out"}
    assert children == ({junit_child} if junit_child else set())


def test_a_mutmut_runs_tally_is_read_from_its_meta_files(tmp_path: Path) -> None:
    meta = tmp_path / "mutants" / "pkg" / "mod.py.meta"
    meta.parent.mkdir(parents=True)
    codes = {"pkg.mod.x_f__mutmut_1": 1, "pkg.mod.x_f__mutmut_2": 0, "pkg.mod.x_f__mutmut_3": None}
    meta.write_text(json.dumps({"exit_code_by_key": codes}), encoding="utf-8")
    (tmp_path / "mutants" / "pkg" / "torn.py.meta").write_text('{"exit_co', encoding="utf-8")
    assert mutmut_run.tally(tmp_path) == mutmut_run.Tally(done=2, total=3, killed=1, survived=1)
    owned = frozenset({"pkg.mod.x_f__mutmut_2"})
    assert mutmut_run.tally(tmp_path, owned) == mutmut_run.Tally(1, 1, 0, 1)


def test_the_two_runs_side_by_side_show_as_one_without_flooding_a_log() -> None:
    """Their tests on their code and on the original run at once: one line of progress, the
    counts summed, each run named, and a plain log still prints only at quarters."""
    stream = io.StringIO()
    plain = terminal.PlainProgress(stream)
    ctx = SimpleNamespace(progress=plain)
    joint = mutation._Joint(ctx, "their tests")  # type: ignore[arg-type]
    own, on_original = joint.watcher("on their code"), joint.watcher("on the original")
    plain.stage_started("mutation")
    for done in range(1, 21):  # the two runs report in turn, as their .meta files move
        own(mutmut_run.Tally(done, 20, done, 0))
        on_original(mutmut_run.Tally(done, 20, done - 1, 1))
    lines = stream.getvalue().splitlines()[1:]
    assert len(lines) <= 5  # quarters of the joint total, not a line per turn
    assert lines[-1] == (
        "refactor-check: mutation: 40/40 their tests: on their code 20 killed, 0 survived; "
        "on the original 19 killed, 1 survived"
    )
