"""The history stage, top-down: find the repository, read it, grade each commit, derive facts.

A submission without a readable history grades as it would without this stage: the result
says why there is none, and nothing downstream counts that against the candidate.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..checks import CheckContext
from ..differential.probes import ProbeVerdict
from ..differential.settings import DifferentialSettings
from ..mutation.profiles import MutationProfile
from . import facts, pinned, read, steps
from .model import Commit, GitHistory, History, Step, StepOutcome
from .read import ReadLimits


@dataclass(frozen=True)
class Request:
    """What the command line asked of the stage."""

    candidate_dir: Path
    history: Path | None = None  # --history: the repository, when not the submission itself
    since: str | None = None  # --since: the starter commit, when not found by content
    limits: ReadLimits = field(default_factory=ReadLimits)
    jobs: int = 1  # commits graded at a time
    # Set: the tests pinned first are scored against the original's mutants with it.
    profile: MutationProfile | None = None


def run(
    ctx: CheckContext,
    request: Request,
    settings: DifferentialSettings,
    shipped: Mapping[str, ProbeVerdict],
) -> History:
    located = read.locate(request.candidate_dir, request.history)
    if isinstance(located, str):
        return History(why=located)
    git = read.read(
        located, ctx.exercise, ctx.workspace.root / "history", request.since, request.limits
    )
    if isinstance(git, str):
        cut = git if read.is_ceiling(git) else None
        return History(why=f"the history could not be read: {git}", cut_short=cut)
    if git.starter is None:
        return History(why=_no_starter(git), read=git)
    graded = [c for c in git.commits if c.directory is not None]
    # A ceiling, not a budget: a history of hanging commits must not hold the run for each
    # one's full time limit. It says when it cut; below it every commit is checked.
    deadline = time.monotonic() + request.limits.grading_seconds

    def grade(commit: Commit) -> StepOutcome | None:
        if time.monotonic() > deadline:
            return None
        return steps.grade(ctx, commit, settings, shipped)

    with ThreadPoolExecutor(max_workers=request.jobs, thread_name_prefix="history") as pool:
        outcomes = dict(zip([c.sha for c in graded], pool.map(grade, graded), strict=True))
    timeline = tuple(Step(c, outcomes.get(c.sha)) for c in git.commits)
    notes = list(git.notes)
    left = len(git.commits) - len(graded)
    if left:
        notes.append(
            f"{left} later commit(s) listed but not graded (at most "
            f"{request.limits.max_commits} are)"
        )
    unchecked = sum(outcomes[c.sha] is None for c in graded)
    cut_short = None
    if unchecked:
        cut_short = (
            f"the history's time ceiling ({request.limits.grading_seconds:g} s) was reached: "
            f"{unchecked} commit(s) listed but not checked"
        )
        notes.append(cut_short)
    derived = facts.derive(timeline)
    if request.profile is not None and derived.pinned_first is not None:
        commit = next(c for c in git.commits if c.sha == derived.pinned_first.commit)
        measured = pinned.measure(ctx, derived.pinned_first, commit, request.profile)
        derived = replace(derived, pinned_first=measured)
    return History(
        why=None, read=git, steps=timeline, facts=derived, notes=tuple(notes), cut_short=cut_short
    )


def _no_starter(git: GitHistory) -> str:
    if git.starter_how == "since":
        return "; ".join(git.notes) or "--since named no commit of the history"
    cut = f" (read {git.walked} commits back from HEAD, the limit)" if git.walk_cut else ""
    return (
        f"no commit of the history holds the exercise's original package{cut}: the starter "
        "commit is unknown (name it with --since REF)"
    )
