"""How much the tests they pinned first prove: the original's mutants those tests kill.

Measured by mutmut against the original, as the mutation check scores their last tests
there, on the tests that passed at the last commit before the package first changed (the
files as they were at that commit). Cached per exercise, commit tree and mutation profile,
like the golden suite's own score.
"""

from __future__ import annotations

import importlib.metadata
import json
from dataclasses import replace

from .. import candidate as candidate_mod
from ..checks import CheckContext, mutation
from ..errors import BadInputError
from ..mutation.profiles import MutationProfile
from . import steps
from .model import Commit, PinnedFirst

_CACHE_NAMESPACE = "history-pinned"


def measure(
    ctx: CheckContext, pinned: PinnedFirst, commit: Commit, profile: MutationProfile
) -> PinnedFirst:
    """``pinned`` with the original's mutants its tests kill, out of those mutmut checked."""
    assert commit.directory is not None
    key = steps.cache_key(
        ctx,
        _CACHE_NAMESPACE,
        commit,
        json.dumps([profile.fingerprint(), sorted(pinned.tests)], sort_keys=True),
        importlib.metadata.version("mutmut"),
    )
    score = mutation.score_from_json(ctx.cache.get(_CACHE_NAMESPACE, key))
    if score is None:
        try:
            candidate = candidate_mod.load(commit.directory, ctx.exercise)
        except BadInputError:
            return replace(pinned, note="the commit's files could not be loaded again")
        if candidate.tests is None:
            return replace(pinned, note="the commit's tests could not be found again")
        score = mutation.score_on_original(
            ctx,
            profile,
            candidate.tests,
            pinned.tests,
            candidate.tests_not_theirs,
            "history-pinned",
            stage="history",
        )
        if score.note is None:  # a partial or failed run is not worth keeping
            ctx.cache.put(_CACHE_NAMESPACE, key, mutation.score_to_json(score))
    return replace(
        pinned,
        mutants_killed=score.killed + score.timeout,
        mutants_total=score.total - score.not_checked,
        note=score.note,
    )
