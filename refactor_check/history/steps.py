"""Grade one commit's state: the golden suite, their own tests, the recorded calls replayed.

Each part runs as the main run's does, in the sandbox on a copy (the commit's files were
written by the reader into the workspace; nothing is run in the repository). The outcome is
cached per exercise and commit tree, so a re-run, or a cohort that shares a starter history,
pays once. What a process that hosted the commit's code said is only ever counted as it is
in the main run: a test passes when the parent saw it pass.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, replace
from typing import Any

from .. import candidate as candidate_mod
from .. import suite
from ..checks import CheckContext, golden
from ..checks import differential as differential_check
from ..differential.probes import ProbeVerdict
from ..differential.settings import DifferentialSettings
from ..errors import BadInputError
from .model import DIFFERENT, NOT_COMPARED, SAME, Commit, StepOutcome

_CACHE_NAMESPACE = "history-step"
_LISTED = 5  # failing tests named per commit


def replay_only(settings: DifferentialSettings) -> DifferentialSettings:
    """The differential settings of a commit's check: the recorded golden calls and the
    shipped probes replayed, nothing searched (the search is the final tree's, in the run)."""
    return replace(
        settings,
        sweep_calls=0,
        constant_calls=0,
        comparison_calls=0,
        examples=0,
        long_steps=0,
        shrink_attempts=min(settings.shrink_attempts, 50),
    )


def grade(
    ctx: CheckContext,
    commit: Commit,
    settings: DifferentialSettings,
    shipped: Mapping[str, ProbeVerdict],
) -> StepOutcome:
    """``commit``'s outcome (``commit.directory`` must be set), from the cache when known."""
    key = cache_key(
        ctx, _CACHE_NAMESPACE, commit, json.dumps([settings.seed, settings.call_timeout])
    )
    cached = _from_json(ctx.cache.get(_CACHE_NAMESPACE, key))
    if cached is not None:
        return cached
    outcome = _grade(ctx, commit, settings, shipped)
    ctx.cache.put(_CACHE_NAMESPACE, key, asdict(outcome))
    return outcome


def cache_key(ctx: CheckContext, namespace: str, commit: Commit, *measured_with: str) -> str:
    """Where what was found at ``commit`` is cached: per exercise and commit tree, so that
    a re-run, or a cohort that shares a starter history, pays once; then what it was found
    with."""
    assert commit.tree is not None
    return ctx.cache.key(ctx.exercise.content_hash, namespace, commit.tree, *measured_with)


def _grade(
    ctx: CheckContext,
    commit: Commit,
    settings: DifferentialSettings,
    shipped: Mapping[str, ProbeVerdict],
) -> StepOutcome:
    assert commit.directory is not None
    try:
        candidate = candidate_mod.load(commit.directory, ctx.exercise)
    except BadInputError:
        return StepOutcome(problem="the exercise's package is not there")
    if candidate.rejected is not None:
        return StepOutcome(problem=candidate.rejected)
    if candidate.package.problems:
        first = candidate.package.problems[0]
        return StepOutcome(problem=f"{first.path}:{first.line} does not parse")
    here = replace(ctx, candidate=candidate)
    checked = golden.run(here)
    failing = tuple(t.id for t in checked.tests if t.outcome != t.expected)
    outcome = StepOutcome(
        golden_passed=checked.passed,
        golden_total=len(checked.tests),
        golden_failing=failing[:_LISTED],
    )
    if candidate.tests is not None:
        own = suite.run_suite(
            ctx.runner,
            ctx.workspace,
            candidate.package,
            candidate.tests,
            "history-own",
            leave_out=candidate.tests_not_theirs,
        )
        passing, broken = own.passing, own.not_passing
        outcome = replace(
            outcome,
            own_passed=len(passing),
            own_total=len(passing) + len(broken),
            own_failing=broken[:_LISTED],
            own_passing=passing,
        )
    return replace(outcome, **_behaviour(here, commit, failing, settings, shipped))


def _behaviour(
    ctx: CheckContext,
    commit: Commit,
    failing: tuple[str, ...],
    settings: DifferentialSettings,
    shipped: Mapping[str, ProbeVerdict],
) -> dict[str, Any]:
    if commit.holds_original:
        return {"behaviour": SAME, "behaviour_evidence": "the package is the original"}
    if failing:  # already red: replaying calls would only say it again, at a cost
        return {"behaviour": NOT_COMPARED, "behaviour_evidence": "golden tests already fail"}
    # The recorded calls alone, with no golden score to focus on: this commit's behaviour.
    replaying = replace(ctx.settings, differential=replay_only(settings))
    found = differential_check.run(
        replace(ctx, settings=replaying, shipped_probes=shipped, golden_score=None)
    )
    if found.findings:
        return {"behaviour": DIFFERENT, "behaviour_evidence": found.findings[0].message}
    if found.programs == 0:
        return {"behaviour": NOT_COMPARED, "behaviour_evidence": found.summary}
    return {"behaviour": SAME, "behaviour_evidence": f"{found.calls_compared} calls compared"}


def _from_json(data: object) -> StepOutcome | None:
    """A cached outcome, or None when the entry is not one (the cache is ours, but a
    version's entry may not match this version's fields)."""
    if not isinstance(data, dict):
        return None
    lists = ("golden_failing", "own_failing", "own_passing")
    try:
        fields: dict[str, Any] = {k: tuple(v) if k in lists else v for k, v in data.items()}
        return StepOutcome(**fields)
    except TypeError:
        return None
