"""Does recording for differential testing work on this exercise?

Differential testing starts from the calls the golden tests make: the golden suite runs once
against the original with a recorder wrapped around the package's public surface
(``differential.recording``). Here that recording is made exactly as grading makes it (the
same surface, the exercise's ``[differential]`` selection, its time budget, the same cache
key, so a validated exercise's recording is already cached for grading) and judged:

- it fails when the recording run fails (a time limit, a crash, tests that do not collect)
  or records no call at all: differential testing would then have only generated inputs,
  and no recorded behaviour to start from;
- a golden test that fails under the recorder only (it checks that the package keeps the
  very object the test handed it, where the recorder hands a stand-in) is a warning naming
  it: the calls it made up to the failure are recorded all the same;
- a public function or class no golden test calls is a warning: differential testing still
  generates inputs for it, but has no realistic argument to start from.
"""

from __future__ import annotations

from ..differential import recording, stage, surface
from ..differential.recording import Recording
from ..differential.surface import CLASS, FUNCTION, Surface
from ..workspace import copy_package
from .model import Check, Setup, State

NAME = "differential_recording"


def check_recording(setup: Setup) -> Check:
    exercise = setup.exercise
    chosen = setup.settings.differential
    # griffe reads a copy: only the package's regular files, as the differential stage does.
    root = setup.workspace.root / "validate-surface"
    copy_package(setup.original, root)
    # The stage's own selection: the same surface, the same cache key.
    trees = surface.load_trees(root, exercise.modules)
    public = stage.select(surface.read_all(list(trees.values())), chosen)
    if not public.callables():
        return Check(
            NAME,
            State.FAILED,
            "nothing to record: the package has no public function or class "
            "(or [differential] entry_points and exclude leave none)",
            reasons=("the package has no public function or class to record calls of",),
        )
    recorded = recording.record(
        setup.runner,
        setup.workspace,
        exercise,
        setup.original,
        public,
        chosen.seconds,
        setup.cache,
    )
    return judge_recording(public, recorded)


def judge_recording(public: Surface, recorded: Recording) -> Check:
    """Passed when the recording ran to the end and recorded calls; unrecorded targets warn."""
    counts = calls_per_target(public, recorded)
    silent = [path for path, count in counts if count == 0]
    reasons: list[str] = []
    if recorded.note is not None:
        reasons.append(f"the recording failed: {recorded.note}")
    if recorded.calls == 0 or not any(count for _, count in counts):
        reasons.append(
            "the golden tests made no recorded call of the public surface: differential "
            "testing would have no recorded behaviour to replay or vary"
        )
    warnings = tuple(
        f"no golden test calls {path}: differential testing has only generated inputs for it"
        for path in silent
    )
    failed = recording.failure_note(recorded.failed)
    if failed is not None:
        warnings += (failed,)
    called = len(counts) - len(silent)
    summary = (
        f"{sum(c for _, c in counts)} calls recorded for {called} of {len(counts)} public "
        f"functions and classes, {len(recorded.programs)} replayable test programs"
        + (" (cached)" if recorded.cached else "")
    )
    return Check(
        NAME,
        State.FAILED if reasons else State.PASSED,
        summary,
        reasons=tuple(reasons),
        warnings=warnings,
        calls_per_target=counts,
    )


def calls_per_target(public: Surface, recorded: Recording) -> tuple[tuple[str, int], ...]:
    """Each public function's calls, and each class's (its constructor's and methods')."""
    by_target = recorded.calls_by_target
    counts: list[tuple[str, int]] = []
    for target in public.targets:
        if target.kind == FUNCTION:
            counts.append((target.path, by_target.get(target.path, 0)))
        elif target.kind == CLASS:
            prefix = target.path + "."
            mine = sum(
                n for path, n in by_target.items() if path == target.path or path.startswith(prefix)
            )
            counts.append((target.path, mine))
    return tuple(counts)
