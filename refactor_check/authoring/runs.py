"""The golden suite on the original: passes every time (``golden_runs``), and gives every test
the same outcome in every run and with the test order reversed (``determinism``).

The hash seed is not varied: the runner pins PYTHONHASHSEED for every run, grading included,
and nothing here goes around the runner.
"""

from __future__ import annotations

from collections.abc import Sequence

from .. import suite, workspace
from .model import SOUND, Check, Setup, State, TestOutcomes, first_line, run_suite

REVERSED = "reversed"  # the label of the run with the test order reversed

# Appended to a copy of the golden tests' conftest.py for the reversed run. ``specname``
# keeps it from replacing a hook of the same name the exercise may have (pytest only looks
# at names starting with "pytest_"); ``trylast`` runs it after that hook.
_REVERSE_ORDER_HOOK = """

import pytest as _pytest_for_order


@_pytest_for_order.hookimpl(specname="pytest_collection_modifyitems", trylast=True)
def pytest_collection_modifyitems_reversed(items):
    items.reverse()
"""


def golden_runs(setup: Setup, repeats: int, outcomes: list[suite.SuiteOutcome]) -> Check:
    """Run the golden suite ``repeats`` times in collection order; ``outcomes`` gets each run."""
    first = run_suite(setup, setup.exercise.tests, "validate-1")
    outcomes.append(first)
    if not first.tests:
        why = suite.golden_nothing_collected(first)
        return Check(
            "golden_runs", State.FAILED, "the golden suite collected no tests", reasons=(why,)
        )
    ids = [t.id for t in first.tests]
    for run in range(2, repeats + 1):
        outcomes.append(run_suite(setup, setup.exercise.tests, f"validate-{run}", ids))
    return judge_runs(outcomes)


def judge_runs(outcomes: Sequence[suite.SuiteOutcome]) -> Check:
    """Passed when every test had a sound outcome in every run and every run was clean."""
    table = _table(outcomes)
    reasons: list[str] = []
    for test_id, results in table.items():
        bad = [(i + 1, r) for i, r in enumerate(results) if r.outcome not in SOUND]
        if not bad:
            continue
        run, result = bad[0]
        what = (
            f"{result.outcome}: {first_line(result.message)}" if result.message else result.outcome
        )
        if len(bad) == len(results):
            reasons.append(f"{test_id} fails on the original ({what})")
        else:
            reasons.append(
                f"{test_id} is flaky: it did not pass in run {run} of {len(results)} ({what})"
            )
    for i, outcome in enumerate(outcomes):
        reasons += [f"run {i + 1}: {why}" for why in outcome.aborts]
        reasons += [f"run {i + 1}: {problem}" for problem in outcome.inconsistencies]
        reasons += [f"run {i + 1}: {node} could not be collected" for node in outcome.uncollected]
    total, runs = len(table), len(outcomes)
    if reasons:
        failing = sum(any(r.outcome not in SOUND for r in results) for results in table.values())
        summary = f"{failing} of {total} golden tests did not pass in all {runs} runs"
        state = State.FAILED
    else:
        summary = f"all {total} golden tests passed (or skipped as expected) in {runs} runs"
        state = State.PASSED
    return Check("golden_runs", state, summary, reasons=tuple(reasons))


def determinism(setup: Setup, outcomes: list[suite.SuiteOutcome]) -> Check:
    ids = [t.id for t in outcomes[0].tests]
    tests = setup.workspace.root / "tests-order-reversed"
    workspace.copy_tree(setup.exercise.tests, tests)
    conftest = tests / "conftest.py"
    existing = conftest.read_text(encoding="utf-8") if conftest.is_file() else ""
    conftest.write_text(existing + _REVERSE_ORDER_HOOK, encoding="utf-8")
    reversed_run = run_suite(setup, tests, "validate-reversed", ids)
    return judge_determinism(outcomes, reversed_run)


def judge_determinism(
    outcomes: Sequence[suite.SuiteOutcome], reversed_run: suite.SuiteOutcome
) -> Check:
    """Passed when each test had one outcome in all runs, the reversed-order run included."""
    table = _table([*outcomes, reversed_run])
    reasons: list[str] = []
    for test_id, results in table.items():
        in_order = {r.outcome for r in results[:-1]}
        last = results[-1]
        if len(in_order) > 1:
            seen = ", ".join(r.outcome for r in results[:-1])
            reasons.append(f"{test_id} is flaky: {seen} in {len(results) - 1} identical runs")
        elif last.outcome not in in_order:
            why = f": {first_line(last.message)}" if last.message else ""
            reasons.append(
                f"{test_id} depends on test order: {next(iter(in_order))} in collection "
                f"order, {last.outcome} in reversed order{why}"
            )
    reasons += [f"reversed run: {why}" for why in reversed_run.aborts]
    seed = "the hash seed is not varied (the runner pins PYTHONHASHSEED=0 for every run)"
    if reasons:
        state = State.FAILED
        summary = f"{len(table) - _steady(table)} of {len(table)} golden tests changed outcome"
    else:
        state = State.PASSED
        summary = (
            f"every golden test had the same outcome in {len(outcomes)} runs and in reversed order"
        )
    return Check(
        "determinism", state, f"{summary}; {seed}", reasons=tuple(reasons), tests=_outcomes(table)
    )


def _steady(table: dict[str, list[suite.TestResult]]) -> int:
    return sum(len({r.outcome for r in results}) == 1 for results in table.values())


def _table(outcomes: Sequence[suite.SuiteOutcome]) -> dict[str, list[suite.TestResult]]:
    """Each test of the first run with its result in every run (not_run where missing)."""
    by_run = [o.by_id() for o in outcomes]
    return {
        t.id: [run.get(t.id) or suite.TestResult(t.id, suite.NOT_RUN) for run in by_run]
        for t in outcomes[0].tests
    }


def _outcomes(table: dict[str, list[suite.TestResult]]) -> tuple[TestOutcomes, ...]:
    return tuple(TestOutcomes(i, tuple(r.outcome for r in rs)) for i, rs in table.items())
