"""``refactor-check exercise validate``: is this golden repo fit to hand out to candidates?

Each check is timed and ends passed, failed, skipped (an earlier failure makes it pointless)
or not available (the tool cannot do it yet). The exercise is fit when every blocking check
passed:

- ``original``: the original package parses.
- ``golden_runs``: the golden suite passes on the original several times in a row.
- ``determinism``: every golden test has the same outcome in every run, and in one more run
  with the test order reversed. The hash seed is not varied: the runner pins PYTHONHASHSEED
  for every run (grading included), and nothing here goes around the runner.
- ``mutation``: the golden suite detects at least the profile's ``golden_adequacy_target`` of
  the original's mutants; every mutant it misses is listed with its diff.
- ``starter``: the visible tests ``[starter]`` names exist and pass on the original.
- ``differential_probes``: the golden repo ships a probe verdict for every mutant the golden
  suite misses (``shipped_probes``; written by ``refactor-check exercise probes``). A warning
  only: without them grading searches itself, within time ceilings that a slow machine may hit.
- ``differential_recording``: the golden tests run once more under differential testing's
  recorder (as grading runs it, and cached for it); it fails when the recording fails or
  records no call, and names each public function or class no golden test calls (a warning).
- ``task_text`` is reported and never blocks.

Everything runs through ``suite.run_suite`` and the mutation stage, so the original is run
exactly as grading runs it: sandboxed, under the exercise's limits.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from .. import exercise as exercise_mod
from .. import importable, isolation, sources, suite, workspace
from .. import settings as settings_mod
from ..cache import Cache, default_root
from ..checks import integrity
from ..errors import BadInputError
from ..exercise import Exercise
from ..progress import Progress, Silent
from ..runner import Runner
from . import adequacy, recording_check, runs, shipped_probes, starter
from .model import SOUND, Check, Setup, State, run_suite


@dataclass(frozen=True)
class Validation:
    exercise: str
    package: str
    root: str
    profile: str
    isolation: str
    runs: tuple[str, ...]  # labels of the golden runs: "1", "2", ..., "reversed"
    checks: tuple[Check, ...]

    @property
    def fit(self) -> bool:
        return all(c.state is State.PASSED for c in self.checks if c.blocking)

    @property
    def reasons(self) -> tuple[str, ...]:
        """Why the exercise is not fit: each blocking check that did not pass, with its why."""
        return tuple(
            f"{c.name}: {c.reasons[0] if c.reasons else c.summary}"
            for c in self.checks
            if c.blocking and c.state is not State.PASSED
        )


@dataclass(frozen=True)
class Options:
    repeats: int = 3  # runs of the golden suite in collection order
    mutation: bool = True
    mutation_profile: str | None = None  # overrides the exercise's choice
    jobs: int | None = None
    sandbox: str = "auto"
    use_cache: bool = True  # reuse a cached mutation score of this exact golden repo


def validate(golden_dir: Path, options: Options, progress: Progress | None = None) -> Validation:
    """Run every check on the golden repo; BadInputError only when it cannot be read at all."""
    progress = progress or Silent()
    with prepared(golden_dir, options) as setup:
        chosen = starter.settings(setup.exercise)
        checks, labels = _run_checks(setup, chosen, options, progress)
    return Validation(
        exercise=setup.exercise.name,
        package=setup.exercise.package,
        root=str(golden_dir),
        profile=setup.profile.name,
        isolation=setup.runner.isolation.description,
        runs=labels,
        checks=tuple(checks),
    )


@contextlib.contextmanager
def prepared(golden_dir: Path, options: Options) -> Iterator[Setup]:
    """The exercise loaded, a workspace, and a runner whose sandbox hides the golden repo."""
    exercise = exercise_mod.load(golden_dir)
    given = settings_mod.CommandLine(mutation_profile=options.mutation_profile, jobs=options.jobs)
    resolved = settings_mod.resolve(exercise, given)
    original = sources.load_package(exercise.original, exercise.package, exercise.modules[1:])
    if original is None:  # exercise.load checked this; kept for the type checker
        raise BadInputError(f"golden repo {golden_dir}: original package missing")
    cache = Cache(default_root() if options.use_cache else None)
    with workspace.prepare() as ws:
        sandbox = isolation.probe(
            options.sandbox, hidden=[golden_dir, ws.root, Path.cwd(), *cache.roots()]
        )
        runner = Runner(
            exercise.limits, sandbox, importable=importable.for_tests(exercise.dependencies)
        )
        yield Setup(exercise, original, runner, ws, cache, resolved)


def _run_checks(
    setup: Setup, chosen: starter.StarterSettings, options: Options, progress: Progress
) -> tuple[list[Check], tuple[str, ...]]:
    timed = _Timed(progress)
    checks = [timed("original", lambda: check_original(setup.original))]
    if checks[0].state is not State.PASSED:
        names = ("dependencies", "golden_runs", "determinism", "mutation", "starter")
        for name in (*names, recording_check.NAME):
            checks.append(_skip(name, "the original package does not parse"))
        unparsed = _skip(shipped_probes.NAME, "the original package does not parse")
        checks.append(replace(unparsed, blocking=False))
        return [*checks, check_task_text(setup.exercise)], ()

    checks.append(timed("dependencies", lambda: check_dependencies(setup)))
    outcomes: list[suite.SuiteOutcome] = []
    golden = timed("golden_runs", lambda: runs.golden_runs(setup, options.repeats, outcomes))
    checks.append(golden)
    labels = tuple(str(i + 1) for i in range(len(outcomes)))
    if not outcomes or not outcomes[0].tests:
        checks.append(_skip("determinism", "the golden suite collected no tests"))
    else:
        checks.append(timed("determinism", lambda: runs.determinism(setup, outcomes)))
        labels = (*labels, runs.REVERSED)
    if not options.mutation:
        checks.append(_skip("mutation", "--no-mutation was given"))
    elif golden.state is not State.PASSED:
        checks.append(_skip("mutation", "the golden suite does not pass on the original"))
    else:
        checks.append(timed("mutation", lambda: adequacy.check_mutation(setup)))
    if checks[-1].state is State.SKIPPED:
        unknown = _skip(shipped_probes.NAME, "the golden suite's mutation score is not known")
        checks.append(replace(unknown, blocking=False))
    else:
        checks.append(timed(shipped_probes.NAME, lambda: shipped_probes.check_probes(setup)))
    checks.append(timed("starter", lambda: check_starter(setup, chosen)))
    if golden.state is not State.PASSED:
        checks.append(_skip(recording_check.NAME, "the golden suite does not pass on the original"))
    else:
        checks.append(timed(recording_check.NAME, lambda: recording_check.check_recording(setup)))
    return [*checks, check_task_text(setup.exercise)], labels


class _Timed:
    """Runs one check between progress events and records its wall time on the result."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress

    def __call__(self, name: str, check: Callable[[], Check]) -> Check:
        self.progress.stage_started(name)
        started = time.monotonic()
        result = check()
        seconds = time.monotonic() - started
        self.progress.stage_finished(name, seconds, result.state.value)
        return replace(result, seconds=round(seconds, 3))


def _skip(name: str, why: str) -> Check:
    return Check(name, State.SKIPPED, f"not run: {why}", reasons=(f"not run: {why}",))


# -- the checks -----------------------------------------------------------------------------


def check_original(original: sources.PackageSource) -> Check:
    problems = [f"{p.path}:{p.line}: {p.message}" for p in original.problems]
    count = len(original.files)
    return _judged(
        "original",
        problems,
        failed="the original package does not parse",
        passed=f"{count} Python file{'s' * (count != 1)} parse{'s' * (count == 1)}",
    )


def check_dependencies(setup: Setup) -> Check:
    """What the code under test may import is installed here, and the original needs no
    more: an import of the original's that the exercise does not declare would excuse every
    candidate's same import, and work only where that package happens to be installed."""
    given = setup.runner.importable
    declared = setup.exercise.dependencies
    if given.missing:
        return Check(
            "dependencies",
            State.FAILED,
            f"{len(given.missing)} declared distribution(s) not installed here",
            reasons=tuple(
                f"{name} is declared in [candidate] but not installed beside refactor-check: "
                "pip install it, or the golden tests cannot import it"
                for name in given.missing
            ),
        )
    allowed = integrity.allowed_imports(setup.original.module_names, declared)
    undeclared = sorted(
        {
            f"{hit.file}:{hit.line}: original/{hit.file} {hit.detail}, which [candidate] "
            "dependencies does not declare"
            for hit in integrity.scan_package(setup.original, allowed)
            if hit.rule == "undeclared_import"
        }
    )
    count = len(declared.package) + len(declared.tests)
    return Check(
        "dependencies",
        State.PASSED,
        f"the standard library, pytest, hypothesis and {count} declared distribution(s) "
        f"({len(given.distributions)} with what they require)",
        warnings=tuple(undeclared),
    )


def check_starter(setup: Setup, chosen: starter.StarterSettings) -> Check:
    try:
        visible = starter.visible_tests(setup.exercise, chosen)
    except BadInputError as exc:
        return Check(
            "starter",
            State.FAILED,
            "the [starter] table names files that cannot be exported",
            reasons=(str(exc),),
        )
    if not visible:
        return Check(
            "starter",
            State.PASSED,
            "no visible tests named: the starter's practice check only proves the package imports",
        )
    tests = setup.workspace.root / "tests-visible"
    for test in visible:
        target = tests / Path(test.target).relative_to("tests")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(test.source.read_bytes())
    outcome = run_suite(setup, tests, "validate-visible")
    bad = [t for t in outcome.tests if t.outcome not in SOUND]
    reasons = [f"visible test {t.id} does not pass on the original ({t.outcome})" for t in bad]
    reasons += [f"visible tests: {why}" for why in outcome.aborts]
    if not outcome.tests:
        reasons.append("the visible test files hold no tests")
    files = f"{len(visible)} visible test file{'s' * (len(visible) != 1)}"
    count = len(outcome.tests)
    return _judged(
        "starter",
        reasons,
        failed=f"{files}: not all pass on the original",
        passed=f"{files} with {count} test{'s' * (count != 1)}, all passing on the original",
    )


def check_task_text(exercise: Exercise) -> Check:
    """The starter README is the task text; without one a candidate has no brief."""
    text = exercise.description.strip()
    reasons = []
    if not text:
        reasons.append("[exercise] description is empty: the starter README has no task text")
    elif "TODO" in text or "TODO" in exercise.title:
        reasons.append("[exercise] title or description still says TODO")
    return _judged(
        "task_text",
        reasons,
        failed="the task text is not written yet",
        passed=f"title and a {len(text.split())}-word description",
        blocking=False,
    )


def _judged(
    name: str, reasons: Sequence[str], *, failed: str, passed: str, blocking: bool = True
) -> Check:
    """A check that fails, with its reasons, exactly when it has any; each outcome's summary
    given."""
    if reasons:
        return Check(name, State.FAILED, failed, blocking=blocking, reasons=tuple(reasons))
    return Check(name, State.PASSED, passed, blocking=blocking)
