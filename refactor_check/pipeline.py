"""One grading run, top-down: load the exercise, load the candidate, run the checks, decide.

Everything the candidate is to blame for ends as findings in the Report; ``BadInputError``
escapes only for problems nobody can grade around (exit 2).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

from . import (
    ast_threads,
    importable,
    isolation,
    level_gate,
    recheck,
    scorecard,
    sources,
    verdict,
    workspace,
)
from . import candidate as candidate_mod
from . import exercise as exercise_mod
from . import settings as settings_mod
from .cache import Cache, default_root
from .checks import (
    CheckContext,
    complexity,
    differential,
    golden,
    integrity,
    mutation,
    runtime,
    syntax,
)
from .differential import probes
from .errors import BadInputError
from .history import read as history_read
from .history import stage as history_stage
from .history.model import History
from .history.read import ReadLimits
from .mutation import profiles
from .progress import Progress, Silent
from .report import Report
from .results import CheckResult, Status
from .results.mutation import MutationScore
from .runner import Cancelled, Runner
from .sharding import Shard

ast_threads.install()  # the stages below parse source in threads side by side

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
    shard: Shard | None = None  # mutate for the candidate's scores only this shard's share
    differential: bool = True
    seed: int | None = None  # differential testing's seed; None: the exercise's (default 0)
    differential_examples: int | None = None  # random programs per target; None: the exercise's
    differential_seconds: float | None = None  # the stage's time budget; None: the exercise's
    # Stop once behaviour has changed: mutation testing is cut (it cannot undo "changed").
    fail_fast: bool = False
    # --fail-under-level gates on scorecard levels; None: the exercise's [ci] table's.
    gates: tuple[level_gate.Gate, ...] | None = None
    # The candidate's git history (``history``): read unless --no-history; --history names
    # the repository when it is not the submission itself, --since the starter commit.
    history: bool = True
    history_repository: Path | None = None
    since: str | None = None
    history_commits: int = ReadLimits.max_commits


@dataclass
class _Stage:
    outcome: str | None = None  # set by a check stage to its result's status


class _Timer:
    def __init__(self, progress: Progress) -> None:
        self.durations: dict[str, float] = {}
        self.progress = progress

    @contextmanager
    def stage(self, name: str) -> Iterator[_Stage]:
        started = time.monotonic()
        self.progress.stage_started(name)
        stage = _Stage()
        try:
            yield stage
        except BaseException:
            stage.outcome = "stopped"  # bad input or a crash: the caller says what happened
            raise
        finally:
            self.durations[name] = time.monotonic() - started
            self.progress.stage_finished(name, self.durations[name], stage.outcome)


# Called once, from a stage's thread, with the partial report written as soon as behaviour
# is decided while mutation testing still runs.
BehaviourListener = Callable[[Report], None]


def check(
    candidate_dir: Path,
    options: Options,
    progress: Progress | None = None,
    on_behaviour: BehaviourListener | None = None,
) -> Report:
    """What ``run`` does: grade the submission, or, when the same submission was graded
    against the same exercise with the same settings and tool, read that report back whole
    (a re-check is free; see ``recheck``). Its ``recheck`` says which, and whether it was
    kept for the next time."""
    timer = _Timer(progress or Silent())
    cache = Cache(default_root() if options.use_cache else None)
    with timer.stage("load") as stage:
        loaded = _load(candidate_dir, options)
        grading_key = _grading_key(cache, candidate_dir, options, loaded)
        earlier = recheck.recall(cache, grading_key)
        if earlier is not None:
            stage.outcome = "cached"
    if earlier is not None:
        timer.progress.note(
            "re-check: the same submission, exercise, settings and tool were "
            "graded before; every stage is read from the cache"
        )
        return earlier
    return recheck.keep(cache, grading_key, _grade(loaded, options, timer, cache, on_behaviour))


def grade(
    candidate_dir: Path,
    options: Options,
    progress: Progress | None = None,
    on_behaviour: BehaviourListener | None = None,
) -> Report:
    """Grade the submission afresh (the stages' own caches still apply)."""
    timer = _Timer(progress or Silent())
    with timer.stage("load"):
        loaded = _load(candidate_dir, options)
    cache = Cache(default_root() if options.use_cache else None)
    return _grade(loaded, options, timer, cache, on_behaviour)


def _grade(
    loaded: _Loaded,
    options: Options,
    timer: _Timer,
    cache: Cache,
    on_behaviour: BehaviourListener | None,
) -> Report:
    golden_dir, exercise, original = loaded.golden_dir, loaded.exercise, loaded.original
    candidate_dir, candidate = loaded.candidate_dir, loaded.candidate
    profile, scoring = loaded.settings.mutation, loaded.settings.scoring
    gates, gate_source = loaded.settings.gates, loaded.settings.gate_source
    with workspace.prepare(keep=options.keep_workspace) as ws, _Exposure(cache) as exposure:
        # Every run that copies the candidate's package reports what it did at run time.
        ws.audited = (candidate.package, runtime.policy(exercise, original, candidate.package))
        with timer.stage("sandbox"):
            sandbox = isolation.probe(
                options.sandbox, hidden=_hidden(golden_dir, candidate_dir, ws, cache, options)
            )
        exposure.hidden = sandbox.isolation.mode == recheck.HIDDEN_FROM_CANDIDATE
        ctx = _context(loaded, ws, sandbox, cache, timer.progress, options.shard)
        parsed = _run_check("syntax", syntax.run, ctx, timer)
        results = [parsed, _run_check("integrity", integrity.run, ctx, timer)]
        unparsed = None
        if candidate.rejected is not None:
            unparsed = "the package is too large to grade"
        elif candidate.package.problems:
            unparsed = "the package does not parse"
        # A module removed is a finding of its own; the rest still runs and shows what breaks.
        results.append(_skipped("golden", unparsed) or _run_check("golden", golden.run, ctx, timer))
        # With --fail-fast, a change the first checks found already decides: stop there.
        changed = options.fail_fast and any(r.findings for r in results)
        stop = unparsed or (_FAIL_FAST_REASON if changed else None)
        no_mutation = stop or (None if options.mutation else "--no-mutation was given")
        no_differential = stop or (None if options.differential else "--no-differential was given")
        stopped_early = threading.Event()  # --fail-fast cut the mutation stage

        def golden_score_stage() -> _GoldenScore:
            """The golden suite's mutation score on the original (cached per exercise): the
            mutation check's first score, and where the differential search learns that the
            golden tests are blind (functions with surviving mutants, and the survivors
            themselves, whose telling inputs become probes). Handed to both as data."""
            if no_mutation is not None:
                return _GoldenScore()
            with timer.stage(GOLDEN_SCORE) as stage:
                try:
                    score = mutation.golden_on_original(ctx, profile, stage=GOLDEN_SCORE)
                except (BadInputError, Cancelled):
                    raise
                except Exception as exc:
                    stage.outcome = Status.ERROR.value
                    return _GoldenScore(failure=_crashed("mutation", exc))
                stage.outcome = "cached" if score.cached else "scored"
                return _GoldenScore(score=score)

        def mutation_stage(golden_score: _GoldenScore) -> CheckResult:
            try:
                score = golden_score.score
                return (
                    _skipped("mutation", no_mutation)
                    or golden_score.failure
                    or _run_check("mutation", mutation.run, replace(ctx, golden_score=score), timer)
                )
            except Cancelled:
                if not stopped_early.is_set():
                    raise  # Ctrl-C, or the other stage failed: the run stops
                return _not_run("mutation", _FAIL_FAST_REASON)

        def differential_stage(golden_score: _GoldenScore) -> CheckResult:
            skipped = _skipped("differential", no_differential)
            if skipped is not None:
                return skipped
            scored = replace(ctx, golden_score=golden_score.score)
            return _run_check("differential", differential.run, scored, timer)

        # A partial report lists the history as pending when there is one to read.
        has_history = options.history and not isinstance(loaded.located, str)
        # Static and quick: measured before the long stages, so a partial report has it too.
        measured = _run_check("complexity", complexity.run, ctx, timer)

        def behaviour_stage(golden_score: _GoldenScore) -> CheckResult:
            """Differential testing, then the behaviour verdict at once if mutation still runs."""
            found = differential_stage(golden_score)
            if no_mutation is None:
                # What the candidate's code did at run time is audited now, but for the
                # mutation runs: how far they got depends on the machine. The complete
                # report audits those too, so it can only be stricter.
                audit = tuple(_outside_mutation(ctx.runner.audit_lines()))
                audited = runtime.run(replace(ctx, audit=audit))
                so_far = [*results, found, measured, audited]
                decided = verdict.decide(so_far, REQUIRED_CHECKS)
                partial = _report(exercise, candidate, original, sandbox, options, timer)
                partial = replace(
                    partial,
                    verdict=decided,
                    checks=tuple(so_far),
                    gates=gates,
                    gate_source=gate_source,
                )
                if on_behaviour is not None:
                    pending = ("mutation", "history") if has_history else ("mutation",)
                    on_behaviour(replace(partial, pending=pending))
                if options.fail_fast and decided.verdict == verdict.CHANGED:
                    stopped_early.set()
                    ctx.runner.cancel()
            return found

        def history_stage() -> History:
            if not options.history:
                return History(why="--no-history was given")
            try:
                with timer.stage("history") as stage:
                    # Their pinned tests' mutation score is one whole run: not sharded.
                    scoring_profile = profile if no_mutation is None and not options.shard else None
                    found = _history(ctx, candidate_dir, options, profile=scoring_profile)
                    stage.outcome = "read" if found.available else "none"
                    return found
            except Cancelled:
                if not stopped_early.is_set():
                    raise
                return History(why=_FAIL_FAST_REASON)

        scored, found, history = _side_by_side(
            ctx.runner, golden_score_stage, mutation_stage, behaviour_stage, history_stage
        )
        if stopped_early.is_set():
            # Dropped even when it ended before the stop: whether it did depends on the
            # machine's speed, and a report must not.
            scored = _not_run("mutation", _FAIL_FAST_REASON)
        results += [scored, found]
        results.append(measured)
        # Last: it reads what every earlier check's runs of the candidate's code reported
        # (a stop cut the mutation runs at a moment that depends on the machine: not theirs).
        lines = ctx.runner.audit_lines()
        lines = _outside_mutation(lines) if stopped_early.is_set() else lines
        results.append(_run_check("runtime", runtime.run, replace(ctx, audit=tuple(lines)), timer))

    with timer.stage("verdict"):
        decided = verdict.decide(results, REQUIRED_CHECKS)
        card = scorecard.compute(scoring, decided, results, len(candidate.test_files), history)
    report = _report(exercise, candidate, original, sandbox, options, timer)
    return replace(
        report,
        verdict=decided,
        checks=tuple(results),
        scorecard=card,
        gates=gates,
        gate_source=gate_source,
        history=history,
    )


_FAIL_FAST_REASON = "--fail-fast was given and behaviour had changed"


@dataclass(frozen=True)
class Traced:
    """What ``trace`` found: the history alone, for ``refactor-check history``."""

    exercise: exercise_mod.Exercise
    candidate: candidate_mod.Candidate
    history: History


def trace(candidate_dir: Path, options: Options, progress: Progress | None = None) -> Traced:
    """The candidate's history, commit by commit, without grading the final tree (no
    mutation testing, no differential search): fast enough to run on its own."""
    timer = _Timer(progress or Silent())
    with timer.stage("load"):
        loaded = _load(candidate_dir, options)
    cache = Cache(default_root() if options.use_cache else None)
    with workspace.prepare(keep=options.keep_workspace) as ws, _Exposure(cache) as exposure:
        with timer.stage("sandbox"):
            sandbox = isolation.probe(
                options.sandbox,
                hidden=_hidden(loaded.golden_dir, candidate_dir, ws, cache, options),
            )
        exposure.hidden = sandbox.isolation.mode == recheck.HIDDEN_FROM_CANDIDATE
        ctx = _context(loaded, ws, sandbox, cache, timer.progress)
        with timer.stage("history") as stage:
            found = _history(ctx, candidate_dir, options, jobs=_cores())
            stage.outcome = "read" if found.available else "none"
    return Traced(loaded.exercise, loaded.candidate, found)


@dataclass(frozen=True)
class _Loaded:
    """The inputs of a grading, read and checked before anything runs."""

    candidate_dir: Path
    golden_dir: Path
    exercise: exercise_mod.Exercise
    original: sources.PackageSource
    candidate: candidate_mod.Candidate
    settings: settings_mod.Settings
    shipped_probes: dict[str, probes.ProbeVerdict]
    # The submission's git repository, or why there is none (read whether or not asked for:
    # the re-check key names the folder the submission sits in within it).
    located: history_read.Located | str


def _load(candidate_dir: Path, options: Options) -> _Loaded:
    golden_dir, exercise, original, candidate = _load_inputs(candidate_dir, options)
    return _Loaded(
        candidate_dir=candidate_dir,
        golden_dir=golden_dir,
        exercise=exercise,
        original=original,
        candidate=candidate,
        settings=settings_mod.resolve(exercise, _command_line(options)),
        shipped_probes=probes.shipped(exercise.root),
        located=history_read.locate(candidate_dir, options.history_repository),
    )


def _command_line(options: Options) -> settings_mod.CommandLine:
    # Options holds what the command line may set under CommandLine's own names: a setting
    # added there is passed on without a line here to forget.
    given = {f.name: getattr(options, f.name) for f in fields(settings_mod.CommandLine)}
    return settings_mod.CommandLine(**given)


def _grading_key(
    cache: Cache, candidate_dir: Path, options: Options, loaded: _Loaded
) -> str | None:
    """The re-check key: the submission, its history, the exercise and every setting the
    run resolved (the command line's and the exercise's)."""
    located = loaded.located
    repository = None if not options.history or isinstance(located, str) else located.repository
    resolved = loaded.settings
    settings = {
        "options": asdict(replace(options, keep_workspace=False)),
        "profile": resolved.mutation.fingerprint(),
        "workers": resolved.mutation.workers,
        "differential": asdict(resolved.differential),
        "gates": [repr(g) for g in resolved.gates],
        "gate_source": resolved.gate_source,
        "subdir": None if isinstance(located, str) else located.subdir,
    }
    return recheck.key(cache, candidate_dir, repository, loaded.exercise.content_hash, settings)


class _Exposure:
    """Forgets every kept report when a grading ends, however it ends, unless its untrusted
    processes ran where the cache is hidden from them (``recheck``: they could plant one)."""

    def __init__(self, cache: Cache) -> None:
        self.cache = cache
        self.hidden = False

    def __enter__(self) -> _Exposure:
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.hidden:
            recheck.forget(self.cache)


def _load_inputs(
    candidate_dir: Path, options: Options
) -> tuple[Path, exercise_mod.Exercise, sources.PackageSource, candidate_mod.Candidate]:
    """The golden repo's directory, the exercise, its original and the candidate."""
    candidate_mod.check_dir(candidate_dir)
    golden_dir = exercise_mod.resolve(options.golden, options.exercise, candidate_dir)
    exercise = exercise_mod.load(golden_dir)
    if options.timeout is not None:
        exercise = replace(exercise, limits=replace(exercise.limits, wall_seconds=options.timeout))
    original = _load_original(exercise)
    candidate = candidate_mod.load(candidate_dir, exercise)
    if options.history and options.history_repository is not None:
        # Named on purpose: a wrong path is bad input, not "no history".
        located = history_read.locate(candidate_dir, options.history_repository)
        if isinstance(located, str):
            raise BadInputError(located)
    return golden_dir, exercise, original, candidate


def _hidden(
    golden_dir: Path, candidate_dir: Path, ws: workspace.Workspace, cache: Cache, options: Options
) -> list[Path]:
    """What untrusted processes must not see: the golden repo (its tests reach them only as
    the run's copies), the submission and its repository, the cache, other runs' copies."""
    repository = [options.history_repository] if options.history_repository else []
    return [golden_dir, candidate_dir, *repository, ws.root, Path.cwd(), *cache.roots()]


def _cores() -> int:
    return max(1, min(4, len(os.sched_getaffinity(0))))


def _context(
    loaded: _Loaded,
    ws: workspace.Workspace,
    sandbox: isolation.Sandbox,
    cache: Cache,
    progress: Progress,
    shard: Shard | None = None,
) -> CheckContext:
    exercise = loaded.exercise
    return CheckContext(
        exercise=exercise,
        original=loaded.original,
        candidate=loaded.candidate,
        workspace=ws,
        runner=Runner(
            limits=exercise.limits,
            sandbox=sandbox,
            importable=importable.for_tests(exercise.dependencies),
        ),
        cache=cache,
        settings=loaded.settings,
        progress=progress,
        shard=shard,
        shipped_probes=loaded.shipped_probes,
    )


def _history(
    ctx: CheckContext,
    candidate_dir: Path,
    options: Options,
    jobs: int = 1,
    profile: profiles.MutationProfile | None = None,
) -> History:
    """The candidate's history; a crash of the tool's own code there is said, never raised:
    the history informs the report, it never decides the verdict."""
    request = history_stage.Request(
        candidate_dir,
        options.history_repository,
        options.since,
        ReadLimits(max_commits=options.history_commits),
        jobs=jobs,
        profile=profile,
    )
    try:
        return history_stage.run(ctx, request, ctx.settings.differential, ctx.shipped_probes)
    except Exception as exc:
        return History(why=f"internal error: {type(exc).__name__}: {exc}")


def _outside_mutation(lines: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Audit lines but those of mutation runs (run names are "NN-<label>")."""
    return [
        (run, line)
        for run, line in lines
        if not run.partition("-")[2].startswith(mutation.RUN_LABEL)
    ]


def _report(
    exercise: exercise_mod.Exercise,
    candidate: candidate_mod.Candidate,
    original: sources.PackageSource,
    sandbox: isolation.Sandbox,
    options: Options,
    timer: _Timer,
) -> Report:
    """The Report's parts that do not depend on the checks (they are filled in by the caller)."""
    return Report(
        exercise=exercise.facts(original),
        candidate=candidate.facts(),
        verdict=verdict.Verdict(verdict.ERROR, "not decided", ()),
        checks=(),
        isolation=sandbox.isolation,
        timing=dict(timer.durations),
        shard=options.shard,
    )


GOLDEN_SCORE = "golden score"  # the stage that scores the golden suite on the original


@dataclass(frozen=True)
class _GoldenScore:
    """The golden suite's score on the original, as mutation and differential testing get
    it: None when mutation testing does not run, or (``failure``) when scoring crashed."""

    score: MutationScore | None = None
    failure: CheckResult | None = None


def _side_by_side(
    runner: Runner,
    golden_score_stage: Callable[[], _GoldenScore],
    mutation_stage: Callable[[_GoldenScore], CheckResult],
    behaviour_stage: Callable[[_GoldenScore], CheckResult],
    history_stage: Callable[[], History],
) -> tuple[CheckResult, CheckResult, History]:
    """Run the stages in threads of their own; their results in the order given.

    The history starts at once: it needs nothing of the others. Mutation testing and
    differential testing start once the golden suite's score is known, each handed it, and
    then share the machine: each leaves a core idle much of the time (mutmut's generation,
    stats and clean runs are serial; the differential parent waits on one call at a time).
    The history's commits are short test runs that fill the same gaps. Every untrusted
    process is still one the runner started under its limits. When anything stops the run
    (Ctrl-C, bad input found by one stage), the runner is cancelled: the other stages'
    processes are killed and their threads end at once.
    """
    with ThreadPoolExecutor(max_workers=3, thread_name_prefix="stage") as pool:
        history = pool.submit(history_stage)
        try:
            golden_score = golden_score_stage()
            mutation = pool.submit(mutation_stage, golden_score)
            behaviour = pool.submit(behaviour_stage, golden_score)
            return mutation.result(), behaviour.result(), history.result()
        except BaseException:
            runner.cancel()
            raise


def _load_original(exercise: exercise_mod.Exercise) -> sources.PackageSource:
    original = sources.load_package(exercise.original, exercise.package, exercise.modules[1:])
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
    return None if reason is None else _not_run(name, reason)


def _not_run(name: str, reason: str) -> CheckResult:
    return CheckResult(check=name, status=Status.SKIPPED, summary=f"not run: {reason}")


# Mutation testing "passes" whenever it measured: whether the score clears the scorecard's
# bar is the report's to say (junit.xml fails it there), so the stage's word is neutral.
_OUTCOME_WORDS = {("mutation", Status.PASSED): "scored"}


def _run_check(
    name: str, check: Callable[[CheckContext], CheckResult], ctx: CheckContext, timer: _Timer
) -> CheckResult:
    """Run one check; a crash of the tool's own code becomes an "error" result, not a traceback."""
    with timer.stage(name) as stage:
        try:
            result = check(ctx)
            stage.outcome = _OUTCOME_WORDS.get((name, result.status), result.status.value)
            return result
        except BadInputError:
            raise
        except Exception as exc:
            return _crashed(name, exc)


def _crashed(name: str, exc: Exception) -> CheckResult:
    """The result of a check the tool's own code crashed in: "error", and why."""
    return CheckResult(
        check=name, status=Status.ERROR, summary=f"internal error: {type(exc).__name__}: {exc}"
    )
