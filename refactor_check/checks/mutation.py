"""Mutation testing with mutmut: how much a golden pass proves, how well the candidate verified.

Three scores, each the share of mutants the tests detect (killed or timed out) among those
mutmut checked:

1. ``golden_on_original``: the golden suite against mutants of the original. The exercise's
   adequacy: how much a green golden run proves. Its survivors mark where the golden suite is
   blind, and are handed to the differential search as data. Cached per golden repo content
   and profile, so a second run costs nothing.
2. ``candidate_tests`` (the contract field): the candidate's own tests against mutants of
   their package. None when they wrote none.
3. ``candidate_tests_on_original``: the same tests against mutants of the original, for the
   tests that pass on it (characterization tests written before the refactor). Tests that
   need the candidate's new code are counted and skipped, not failed.

Mutation testing never changes the verdict: it measures evidence, it finds no behaviour.

Under ``--shard I/N`` the candidate's two scores cover only the mutants the shard owns and
carry a ``ShardShare`` saying so; ``refactor-check merge`` joins the shares with ``tally``,
the same arithmetic an unsharded run uses. The golden suite's score is the exercise's (cached
per golden repo) and guides the differential search, so every shard takes it whole.
"""

from __future__ import annotations

import importlib.metadata
import json
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from .. import suite
from ..cache import Cache
from ..mutation import mutmut_run, premutated, unmutated
from ..mutation.mutmut_run import MutmutOutcome
from ..mutation.profiles import MutationProfile
from ..results.mutation import (
    CHECK,
    Mutant,
    MutationResult,
    MutationScore,
    NotMutated,
    ShardShare,
    build_result,
    tally,
)
from ..sharding import Shard
from ..sources import PackageSource
from . import CheckContext

_CACHE_NAMESPACE = "mutation-golden"
# The original's mutants as the golden run generated them (``premutated``), under its key.
_GENERATED_NAMESPACE = "mutation-original-mutants"
# Every run directory of this check is labelled "<RUN_LABEL>-...": the pipeline tells their
# run-time audit apart by it.
RUN_LABEL = "mutation"


def run(ctx: CheckContext) -> MutationResult:
    """The three scores. The golden suite's score on the original is computed here when the
    context does not hold it; the pipeline computes it first, as the differential check
    starts from it too."""
    profile, shard = ctx.settings.mutation, ctx.shard
    notes: list[str] = []
    golden = ctx.golden_score or golden_on_original(ctx, profile)
    own = own_on_original = None
    candidate = ctx.candidate
    tests = candidate.tests
    if tests is None:
        notes.append("the candidate wrote no tests of their own: nothing to score")
    else:
        joint = _Joint(ctx, "their tests")

        def on_their_code() -> MutationScore:
            return _their_score(
                lambda deselect: mutmut_run.run(
                    ctx.runner,
                    ctx.workspace,
                    candidate.package,
                    tests,
                    f"{RUN_LABEL}-own",
                    profile,
                    shard=shard,
                    leave_out=candidate.tests_not_theirs,
                    null_check=not deselect,
                    deselect=deselect,
                    watch=joint.watcher("on their code"),
                ),
                candidate.package,
                zero_note="their tests do not pass on their own code, so they pin nothing",
            )

        if profile.own_tests_on_original:
            # Side by side: each run leaves a core idle for seconds at a time (mutmut's
            # start-up, generation, stats and clean runs are serial), which the other fills.
            with ThreadPoolExecutor(max_workers=2, thread_name_prefix="mutation") as pool:
                on_original = pool.submit(
                    _own_tests_on_original,
                    ctx,
                    profile,
                    notes,
                    shard,
                    joint.watcher("on the original"),
                )
                own = on_their_code()
                own_on_original = on_original.result()
        else:
            own = on_their_code()
            notes.append(f"profile {profile.name!r} does not score their tests on the original")
    not_mutated = tuple(
        NotMutated(label, u.file, u.line, u.end_line, u.what)
        for label, package in (("original", ctx.original), ("candidate", candidate.package))
        for u in unmutated.scan(package)
    )
    return build_result(profile.name, golden, own, own_on_original, not_mutated, tuple(notes))


def _golden_key(ctx: CheckContext, profile: MutationProfile) -> str:
    return golden_key(ctx.cache, ctx.exercise.content_hash, profile)


def golden_key(cache: Cache, exercise_hash: str, profile: MutationProfile) -> str:
    """What the golden score and the original's mutants depend on."""
    return cache.key(
        exercise_hash,
        _CACHE_NAMESPACE,
        json.dumps(profile.fingerprint(), sort_keys=True),
        importlib.metadata.version("mutmut"),
    )


def golden_score_cached(cache: Cache, exercise_hash: str, profile: MutationProfile) -> bool:
    """Whether the exercise's golden score is in the cache (what its first grading computes)."""
    entry = cache.get(_CACHE_NAMESPACE, golden_key(cache, exercise_hash, profile))
    return score_from_json(entry) is not None


def golden_on_original(
    ctx: CheckContext, profile: MutationProfile, stage: str = CHECK
) -> MutationScore:
    """Score 1, computed once per golden repo content, profile and mutmut version; the
    original's mutants it generates are kept beside it for the runs on the original.
    ``stage``: the progress stage its mutmut run reports to."""
    key = _golden_key(ctx, profile)
    cached = score_from_json(ctx.cache.get(_CACHE_NAMESPACE, key))
    if cached is not None:
        return replace(cached, cached=True)
    score = _score(
        mutmut_run.run(
            ctx.runner,
            ctx.workspace,
            ctx.original,
            ctx.exercise.tests,
            f"{RUN_LABEL}-golden",
            profile,
            watch=_watch(ctx, "the golden tests on the original", stage),
            keep_generated=lambda files: ctx.cache.put(_GENERATED_NAMESPACE, key, files),
        ),
        ctx.original,
        zero_note="mutmut could not run the golden suite",
    )
    if score.note is None:  # a partial or failed run is not worth keeping
        ctx.cache.put(_CACHE_NAMESPACE, key, score_to_json(score))
    return score


def _own_tests_on_original(
    ctx: CheckContext,
    profile: MutationProfile,
    notes: list[str],
    shard: Shard | None = None,
    watch: mutmut_run.Watcher | None = None,
) -> MutationScore | None:
    candidate = ctx.candidate
    assert candidate.tests is not None
    outcome = suite.run_suite(
        ctx.runner,
        ctx.workspace,
        ctx.original,
        candidate.tests,
        "own-tests-on-original",
        leave_out=candidate.tests_not_theirs,
    )
    usable = outcome.passing
    # Test files that do not even import against the original count as skipped, whole.
    skipped = outcome.not_passing
    if not usable:
        notes.append(
            "none of the candidate's tests pass on the original (they need the refactored "
            "code): no evidence they pinned behaviour before changing it"
        )
        return None
    score = score_on_original(
        ctx,
        profile,
        candidate.tests,
        usable,
        candidate.tests_not_theirs,
        "own-on-original",
        shard,
        watch=watch,
    )
    if skipped:
        notes.append(
            f"{len(skipped)} of the candidate's tests or test files do not pass on the "
            "original and were left out of its score"
        )
    return replace(score, tests_used=usable, tests_skipped=skipped)


def score_on_original(
    ctx: CheckContext,
    profile: MutationProfile,
    tests: Path,
    selection: Sequence[str],
    leave_out: frozenset[str],
    label: str,
    shard: Shard | None = None,
    stage: str = CHECK,
    watch: mutmut_run.Watcher | None = None,
) -> MutationScore:
    """Tests of the candidate's (``selection``, from ``tests``) against the original's
    mutants: their last tests here, the tests they pinned first in ``history``. The mutants
    are the golden run's when the cache has them (``premutated``): not generated again.
    ``watch``: who is told how far the run is (default: ``stage``'s progress)."""
    generated = premutated.valid(ctx.cache.get(_GENERATED_NAMESPACE, _golden_key(ctx, profile)))
    return _their_score(
        lambda deselect: mutmut_run.run(
            ctx.runner,
            ctx.workspace,
            ctx.original,
            tests,
            f"{RUN_LABEL}-{label}",
            profile,
            selection=selection,
            shard=shard,
            leave_out=leave_out,
            null_check=not deselect,
            deselect=deselect,
            watch=watch or _watch(ctx, "their tests on the original", stage),
            generated=generated,
        ),
        ctx.original,
        zero_note="mutmut could not run their tests on the original",
    )


def _their_score(
    mutate: Callable[[tuple[str, ...]], MutmutOutcome], package: PackageSource, zero_note: str
) -> MutationScore:
    """A score of the candidate's tests that no test detecting the harness contributes to.

    ``mutate(deselect)`` runs mutmut without the tests named (the first run, with none left
    out, also runs the null mutant). Tests that failed under the null mutant "kill" mutants
    by noticing mutmut, not by checking behaviour: the mutants are tested again without
    them, and the score says which tests were left out and why.
    """
    first = mutate(())
    if not first.detectors:
        return _score(first, package, zero_note)
    rerun = mutate(first.detectors)
    score = _score(rerun, package, zero_note)
    if rerun.problem is not None:  # no test is left to run: the detectors were all there was
        score = replace(score, note=None)
    named = ", ".join(first.detectors[:5]) + (" ..." if len(first.detectors) > 5 else "")
    note = (
        f"{len(first.detectors)} of their tests fail when mutmut's machinery is active and no "
        f"mutant is ({named}): they detect the harness, not behaviour, so their kills are "
        "void and the score counts the other tests only"
    )
    return replace(
        score,
        note=f"{score.note}; {note}" if score.note else note,
        harness_detectors=first.detectors,
    )


def _score(outcome: MutmutOutcome, package: PackageSource, zero_note: str) -> MutationScore:
    failure = None if outcome.problem is None else f"{zero_note}: {outcome.problem}"
    source_files = tuple((f.path, f.text) for f in package.files)
    subset = outcome.subset
    if subset is None:
        return tally(outcome.mutants, source_files, failure, outcome.timed_out)
    score = tally(outcome.mutants, source_files, failure, outcome.timed_out, subset.generated)
    share = ShardShare(
        shard=str(subset.shard),
        selected=len(outcome.mutants),
        generated=subset.generated,
        keys_digest=subset.keys_digest,
        failure=failure,
        timed_out=outcome.timed_out,
    )
    return replace(score, shard=share)


def score_to_json(score: MutationScore) -> dict[str, Any]:
    data = asdict(score)
    data["source_files"] = [list(pair) for pair in score.source_files]
    return data


def score_from_json(data: object) -> MutationScore | None:
    """A cached score, or None when the entry does not have the expected shape."""
    if not isinstance(data, dict):
        return None
    try:
        mutants = tuple(Mutant(**m) for m in data["mutants"])
        # Only whole scores are cached, so "shard" is not read (entries from before the
        # field existed stay valid).
        fields = {
            k: data[k]
            for k in MutationScore.__dataclass_fields__
            if k not in ("shard", "harness_detectors")
        }
        fields["mutants"] = mutants
        fields["source_files"] = tuple((str(p), str(t)) for p, t in data["source_files"])
        fields["tests_used"] = tuple(data["tests_used"])
        fields["tests_skipped"] = tuple(data["tests_skipped"])
        score = MutationScore(**fields)
    except (KeyError, TypeError, ValueError):
        return None
    ints = (score.killed, score.survived, score.timeout, score.total)
    if not all(isinstance(n, int) for n in ints) or not isinstance(score.score, float):
        return None
    return score


class _Joint:
    """Runs side by side shown as one: their tallies summed, one detail naming each.

    Each run alone would replace the other's figures every second, and a plain log prints a
    line whenever what it shows changes."""

    def __init__(self, ctx: CheckContext, what: str, stage: str = CHECK) -> None:
        self.ctx, self.what, self.stage = ctx, what, stage
        self.tallies: dict[str, mutmut_run.Tally] = {}
        self.lock = threading.Lock()

    def watcher(self, part: str) -> mutmut_run.Watcher:
        def show(tally: mutmut_run.Tally) -> None:
            with self.lock:
                self.tallies[part] = tally
                shown = list(self.tallies.items())
            parts = "; ".join(f"{p} {t.killed} killed, {t.survived} survived" for p, t in shown)
            done = sum(t.done for _, t in shown)
            total = sum(t.total for _, t in shown)
            self.ctx.progress.stage_advanced(self.stage, done, total, f"{self.what}: {parts}")

        return show


def _watch(ctx: CheckContext, what: str, stage: str = CHECK) -> mutmut_run.Watcher:
    """Show how far one mutmut run is as the progress of ``stage``."""

    def show(tally: mutmut_run.Tally) -> None:
        detail = f"{what}: {tally.killed} killed, {tally.survived} survived"
        ctx.progress.stage_advanced(stage, tally.done, tally.total, detail)

    return show
