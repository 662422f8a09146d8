"""``refactor-check batch``: grade every submission of a cohort, side by side and resumably.

Top-down: load the exercise and the settings (bad input stops the batch here, exit 2); find
the submission folders (the shard's share of them); plan: reuse each row an earlier batch
graded under the same key, reject what cannot be graded at all (no package),
queue the rest; run the queue, each grading one ``refactor-check run`` in a process of its
own; rank the rows (``ranking``) and publish them as cohort.csv, cohort.html, cohort.json and
batch.json. The ``--fail-under-level`` gates (the exercise's ``[ci]`` table when none are
given) are read with the exercise, so a bad one stops the batch before any grading.
"""

from __future__ import annotations

import dataclasses
import importlib.metadata
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import candidate as candidate_mod
from .. import exercise as exercise_mod
from .. import outlock
from .. import settings as settings_mod
from ..cache import Cache, default_root
from ..checks.mutation import golden_score_cached
from ..differential.settings import DifferentialSettings
from ..errors import BadInputError
from ..exercise import Exercise
from ..history.read import ReadLimits
from ..level_gate import Gate
from ..mutation.profiles import MutationProfile
from ..report import Report, read_json
from ..sharding import Shard
from . import execute, output, ranking, rows, state, submissions
from .rows import Row
from .submissions import Submission

# After the job's own limits: seconds for start-up, loading and the static checks.
_SLACK_SECONDS = 120.0


@dataclass(frozen=True)
class BatchOptions:
    submissions: Path
    out: Path
    golden: Path | None = None
    exercise: str | None = None
    jobs: int | None = None  # gradings at a time; None: one per core
    shard: Shard | None = None
    mutation: bool = True
    mutation_profile: str | None = None
    differential: bool = True
    history: bool = True  # each submission's git history, when it has one
    seed: int | None = None  # differential testing's; None: the exercise's
    differential_examples: int | None = None  # as for `run`; None: the exercise's
    differential_seconds: float | None = None
    sandbox: str = "auto"
    timeout: float | None = None  # per run of a test suite, as for `run`
    grading_timeout: float | None = None  # one whole grading; None: from the limits
    gates: tuple[Gate, ...] | None = None  # --fail-under-level; None: the exercise's [ci]


@dataclass(frozen=True)
class BatchResult:
    rows: tuple[Row, ...]  # in table order
    graded: int  # graded by this batch
    reused: int  # unchanged since an earlier batch
    written: tuple[Path, ...]
    gates: tuple[Gate, ...] = ()  # the --fail-under-level gates the rows were held to


@dataclass(frozen=True)
class _Plan:
    settled: dict[str, Row]  # reused or rejected: nothing to run
    reused: int
    queue: list[tuple[Submission, str]]  # with the key each is graded under


def grade_all(options: BatchOptions, progress: Callable[[str], None]) -> BatchResult:
    golden_dir = _golden_dir(options)
    exercise = exercise_mod.load(golden_dir)
    given = settings_mod.CommandLine(
        mutation_profile=options.mutation_profile,
        seed=options.seed,
        differential_examples=options.differential_examples,
        differential_seconds=options.differential_seconds,
        gates=options.gates,
    )
    # Read before anything runs: a bad table is told at once. Each grading resolves them again
    # in its own process, from the same exercise and the same options.
    resolved = settings_mod.resolve(exercise, given)
    profile, search, gates = resolved.mutation, resolved.differential, resolved.gates
    found = submissions.discover(options.submissions)
    output.claim(options.out, options.submissions)
    # One batch at a time in OUT: two would grade into, and publish, the same files.
    with outlock.exclusive(options.out):
        return _grade(options, progress, golden_dir, exercise, profile, search, found, gates)


def _grade(
    options: BatchOptions,
    progress: Callable[[str], None],
    golden_dir: Path,
    exercise: Exercise,
    profile: MutationProfile,
    search: DifferentialSettings,
    found: list[Submission],
    gates: tuple[Gate, ...],
) -> BatchResult:
    mine = [s for s in found if options.shard is None or options.shard.owns(s.name)]
    settings = _settings(exercise, profile, search, options)
    manifest = _manifest(exercise, settings, options.shard)
    if state.read_manifest(options.out) is None:  # marks OUT as a batch's before any grading
        state.write_manifest(options.out, {**manifest, "candidates": []})

    plan = _plan(mine, exercise, settings, options.out)
    progress(
        f"{len(mine)} submission(s){_of_shard(options.shard, len(found))}: "
        f"{len(plan.queue)} to grade, {plan.reused} unchanged since the last batch"
    )
    graded: dict[str, Row] = dict(plan.settled)
    keys = {s.name: key for s, key in plan.queue}
    deadline = options.grading_timeout or _deadline(exercise, profile, search, options)
    jobs = [_job(s, golden_dir, options, deadline) for s, _ in plan.queue]

    def finished(ended: execute.Ended) -> None:
        name = ended.job.name
        row = _row(ended, options.out)
        output.place(options.out, name, ended.job.log)
        state.save(options.out, name, keys[name], row)
        graded[name] = row
        done = len(graded) - len(plan.settled)
        why = "" if row.status == rows.GRADED else f": {row.reason}"
        progress(f"[{done}/{len(jobs)}] {name}: {row.verdict} ({ended.seconds:.1f} s){why}")

    parallel = _parallel(options)
    if parallel > 1 and len(jobs) > 1 and _cold(exercise, profile, options):
        # The exercise's first grading computes what every later one reads from the cache
        # (the golden suite's mutation score, the original's mutants, the probes): alone, with
        # every core, so that gradings side by side do not each pay for it.
        first = _job(plan.queue[0][0], golden_dir, options, deadline, alone=True)
        execute.run_jobs([first], 1, finished)
        jobs = jobs[1:]
    execute.run_jobs(jobs, parallel, finished)
    ranked = ranking.rank(graded.values())
    title = f"refactor-check cohort: {exercise.name}" + (
        f" (shard {options.shard})" if options.shard else ""
    )
    written = output.publish(options.out, ranked, title, manifest, gates)
    return BatchResult(ranked.rows, len(jobs), plan.reused, written, gates)


def _golden_dir(options: BatchOptions) -> Path:
    if options.golden is None and options.exercise is None:
        raise BadInputError(
            "batch needs the exercise: pass --golden DIR or --exercise NAME "
            f"(built-in exercises: {', '.join(exercise_mod.builtin_names()) or 'none found'})"
        )
    return exercise_mod.resolve(options.golden, options.exercise, options.submissions)


def _settings(
    exercise: Exercise,
    profile: MutationProfile,
    search: DifferentialSettings,
    options: BatchOptions,
) -> dict[str, Any]:
    """Everything besides the submission that can change a grading's result."""
    mutation = dataclasses.asdict(dataclasses.replace(profile, jobs=0))
    return {
        "golden": exercise.content_hash,
        "differential": dataclasses.asdict(search) if options.differential else None,
        "mutation": mutation if options.mutation else None,
        "mutmut": importlib.metadata.version("mutmut"),
        "history": options.history,
        "timeout": options.timeout,
        "sandbox": options.sandbox,
    }


def _manifest(exercise: Exercise, settings: dict[str, Any], shard: Shard | None) -> dict[str, Any]:
    return {
        "exercise": {"name": exercise.name, "content_hash": exercise.content_hash},
        # The same digest in every shard of one batch: merge compares them.
        "settings": state.key("", settings),
        "shard": None if shard is None else {"index": shard.index, "count": shard.count},
    }


def _plan(mine: list[Submission], exercise: Exercise, settings: dict[str, Any], out: Path) -> _Plan:
    settled: dict[str, Row] = {}
    reused = 0
    queue: list[tuple[Submission, str]] = []
    for submission in mine:
        name = submission.name
        if name in output.RESERVED:
            settled[name] = rows.without_report(
                name, rows.REJECTED, f"the folder name {name!r} is one of the batch's files", 0
            )
            continue
        try:
            key = state.key(submissions.content_hash(submission), settings)
        except OSError as exc:
            reason = f"cannot read the submission: {exc.strerror or exc}"
            settled[name] = rows.without_report(name, rows.REJECTED, reason, 0)
            continue
        earlier = state.reusable(out, name, key)
        if earlier is not None:
            settled[name] = earlier
            reused += 1
            continue
        rejected = _rejected(submission, exercise)
        if rejected is not None:
            output.clear(out, name)
            state.save(out, name, key, rejected)
            settled[name] = rejected
            continue
        queue.append((submission, key))
    return _Plan(settled, reused, queue)


def _rejected(submission: Submission, exercise: Exercise) -> Row | None:
    """A row for a submission no grading can start on (the same checks ``run`` makes first).

    After this, a grading that stops on bad input is not the candidate's doing: it is
    counted as bad input to the batch.
    """
    try:
        candidate_mod.load(submission.path, exercise)
    except BadInputError as exc:
        return rows.without_report(submission.name, rows.REJECTED, str(exc), 0)
    return None


def _deadline(
    exercise: Exercise,
    profile: MutationProfile,
    search: DifferentialSettings,
    options: BatchOptions,
) -> float:
    """A backstop for one whole grading, from the limits the grading itself enforces.

    The golden check runs the suite on the original (once per exercise) and on the candidate,
    and again after a hang; the mutation stage makes up to three mutmut runs; differential
    testing has its own time budget.
    """
    suite = options.timeout or exercise.limits.wall_seconds
    mutation = 3 * profile.wall_seconds if options.mutation else 0.0
    differential = search.seconds if options.differential else 0.0
    # The history is read and checked side by side with the rest, under its own ceilings.
    limits = ReadLimits()
    history = limits.seconds + limits.grading_seconds if options.history else 0.0
    return max(4 * suite + mutation + differential, history) + _SLACK_SECONDS


def _job(
    submission: Submission,
    golden_dir: Path,
    options: BatchOptions,
    deadline: float,
    alone: bool = False,
) -> execute.Job:
    out = output.staging(options.out, submission.name)
    # Gradings share the cores: each one's mutant workers get their share of them.
    workers = max(1, (os.cpu_count() or 1) // (1 if alone else _parallel(options)))
    argv = [
        sys.executable,
        "-m",
        "refactor_check",
        "run",
        str(submission.path.resolve()),
        "--golden",
        str(golden_dir.resolve()),
        "--out",
        str(out.resolve()),
        "--sandbox",
        options.sandbox,
        "--jobs",
        str(workers),
    ]
    if not options.mutation:
        argv.append("--no-mutation")
    if options.mutation_profile:
        argv += ["--mutation-profile", options.mutation_profile]
    if not options.differential:
        argv.append("--no-differential")
    if not options.history:
        argv.append("--no-history")
    if options.seed is not None:
        argv += ["--seed", str(options.seed)]
    if options.differential_examples is not None:
        argv += ["--differential-examples", str(options.differential_examples)]
    if options.differential_seconds is not None:
        argv += ["--differential-seconds", str(options.differential_seconds)]
    if options.timeout is not None:
        argv += ["--timeout", str(options.timeout)]
    log = out.parent / f"{submission.name}.log"
    return execute.Job(submission.name, tuple(argv), log, deadline)


def _row(ended: execute.Ended, out: Path) -> Row:
    """The row of a finished grading, from its exit code, its report and its log."""
    name, seconds = ended.job.name, ended.seconds
    report = _read_report(output.staging(out, name) / "report.json")
    if ended.overran:
        reason = f"the grading did not finish within {ended.job.deadline:g} s and was stopped"
        return rows.without_report(name, rows.FAILED, reason, seconds)
    if ended.exit_code in (0, 1) and report is not None:
        return rows.from_report(name, report, seconds, rows.GRADED)
    if ended.exit_code == 3 and report is not None:
        return rows.from_report(name, report, seconds, rows.FAILED)
    if ended.exit_code == 2:
        return rows.without_report(name, rows.BAD_INPUT, _last_error(ended.job.log), seconds)
    how = "was killed" if ended.exit_code is None else f"exited with {ended.exit_code}"
    reason = f"refactor-check {how} without a report: {_last_error(ended.job.log)}"
    return rows.without_report(name, rows.FAILED, reason, seconds)


def _read_report(path: Path) -> Report | None:
    """The grading's report; None when it wrote none, or one that does not read back (a
    grading killed while writing it): the row then says why there is no report."""
    try:
        return read_json(json.loads(path.read_text(encoding="utf-8")), str(path))
    except (OSError, ValueError, BadInputError):
        return None


def _last_error(log: Path) -> str:
    """The line ``run`` ends with when it fails ("refactor-check: error: ..."), else its last."""
    try:
        with open(log, "rb") as handle:
            handle.seek(max(0, handle.seek(0, os.SEEK_END) - 16384))
            lines = handle.read().decode("utf-8", errors="replace").splitlines()
    except OSError:
        return "no log"
    lines = [line.strip() for line in lines if line.strip()]
    said = [line for line in lines if line.startswith("refactor-check:")]
    last = (said or lines or ["no output"])[-1]
    for prefix in ("refactor-check: error: ", "refactor-check: internal error: "):
        last = last.removeprefix(prefix)
    return last[:300]


def _cold(exercise: Exercise, profile: MutationProfile, options: BatchOptions) -> bool:
    """Whether the gradings would each compute the exercise's mutation score (the rest of
    what an exercise's first grading computes needs it, and --no-mutation needs none)."""
    if not options.mutation:
        return False
    return not golden_score_cached(Cache(default_root()), exercise.content_hash, profile)


def _parallel(options: BatchOptions) -> int:
    return options.jobs or os.cpu_count() or 1


def _of_shard(shard: Shard | None, total: int) -> str:
    return "" if shard is None else f" of {total} in shard {shard}"
