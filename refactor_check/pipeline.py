"""One grading run, top-down: load the exercise, load the candidate, run the checks, decide.

Everything the candidate is to blame for ends as findings in the Report; ``BadInputError``
escapes only for problems nobody can grade around (exit 2).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from . import candidate as candidate_mod
from . import exercise as exercise_mod
from . import isolation, sources, verdict, workspace
from .cache import Cache, default_root
from .checks import CheckContext, complexity, golden, integrity, mutation, syntax
from .errors import BadInputError
from .mutation import profiles
from .report import Report
from .results import CheckResult, Status
from .runner import Runner

# "preserved" needs these to have run and passed.
REQUIRED_CHECKS = ("syntax", "integrity", "golden")


@dataclass(frozen=True)
class Options:
    golden: Path | None = None
    exercise: str | None = None
    timeout: float | None = None  # overrides the exercise's wall-clock limit per test run
    keep_workspace: bool = False
    use_cache: bool = True
    sandbox: str = "auto"  # isolation.SANDBOX_MODES
    mutation: bool = True
    mutation_profile: str | None = None  # overrides the exercise's choice
    jobs: int | None = None  # parallel mutant workers; None: the profile's (one per core)


class _Timer:
    def __init__(self) -> None:
        self.durations: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.monotonic()
        try:
            yield
        finally:
            self.durations[name] = time.monotonic() - started


def grade(candidate_dir: Path, options: Options) -> Report:
    timer = _Timer()
    with timer.stage("load"):
        golden_dir = exercise_mod.resolve(options.golden, options.exercise, candidate_dir)
        exercise = exercise_mod.load(golden_dir)
        if options.timeout is not None:
            exercise = replace(
                exercise, limits=replace(exercise.limits, wall_seconds=options.timeout)
            )
        original = _load_original(exercise)
        candidate = candidate_mod.load(candidate_dir, exercise)
        profile = profiles.for_exercise(
            exercise.sections.get("mutation", {}), options.mutation_profile, options.jobs
        )

    cache = Cache(default_root() if options.use_cache else None)
    with workspace.prepare(keep=options.keep_workspace) as ws:
        with timer.stage("sandbox"):
            # Untrusted processes see none of these: the golden repo (its tests reach them
            # only as the run's copies), the submission, the cache, other runs' copies.
            sandbox = isolation.probe(
                options.sandbox,
                hidden=[golden_dir, candidate_dir, ws.root, Path.cwd(), *cache.roots()],
            )
        ctx = CheckContext(
            exercise=exercise,
            original=original,
            candidate=candidate,
            workspace=ws,
            runner=Runner(limits=exercise.limits, sandbox=sandbox),
            cache=cache,
        )
        parsed = _run_check("syntax", syntax.run, ctx, timer)
        results = [parsed, _run_check("integrity", integrity.run, ctx, timer)]
        unparsed = None if parsed.status is Status.PASSED else "the package does not parse"
        results.append(_skipped("golden", unparsed) or _run_check("golden", golden.run, ctx, timer))
        no_mutation = unparsed or (None if options.mutation else "--no-mutation was given")
        mutation_result = _skipped("mutation", no_mutation) or _run_check(
            "mutation", lambda c: mutation.run(c, profile), ctx, timer
        )
        results.append(mutation_result)
        results.append(_run_check("complexity", complexity.run, ctx, timer))

    with timer.stage("verdict"):
        decided = verdict.decide(results, REQUIRED_CHECKS)
    return Report(
        exercise=exercise,
        candidate=candidate,
        verdict=decided,
        checks=tuple(results),
        isolation=sandbox.isolation,
        timing=timer.durations,
    )


def _load_original(exercise: exercise_mod.Exercise) -> sources.PackageSource:
    original = sources.load_package(exercise.original, exercise.package)
    if original is None:  # exercise.load checked this; kept for the type checker
        raise BadInputError(f"golden repo {exercise.root}: original package missing")
    if original.problems:
        p = original.problems[0]
        raise BadInputError(
            f"golden repo {exercise.root}: original/{p.path}:{p.line} does not parse: {p.message}"
        )
    return original


def _skipped(name: str, reason: str | None) -> CheckResult | None:
    """A "did not run" result when there is a reason not to run the check, else None."""
    if reason is None:
        return None
    return CheckResult(check=name, status=Status.SKIPPED, summary=f"not run: {reason}")


def _run_check(
    name: str, check: Callable[[CheckContext], CheckResult], ctx: CheckContext, timer: _Timer
) -> CheckResult:
    """Run one check; a crash of the tool's own code becomes an "error" result, not a traceback."""
    with timer.stage(name):
        try:
            return check(ctx)
        except BadInputError:
            raise
        except Exception as exc:
            return CheckResult(
                check=name,
                status=Status.ERROR,
                summary=f"internal error: {type(exc).__name__}: {exc}",
            )
