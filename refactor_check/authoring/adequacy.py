"""Mutation adequacy of the golden suite on the original, against the profile's target."""

from __future__ import annotations

from ..mutation.profiles import MutationProfile
from ..results.mutation import NO_TESTS, SURVIVED, SUSPICIOUS, MutationScore
from .model import Check, Setup, State, Survivor


def check_mutation(setup: Setup) -> Check:
    return judge_mutation(setup.golden_score, setup.profile)


def judge_mutation(score: MutationScore, profile: MutationProfile) -> Check:
    target = profile.golden_adequacy_target
    checked = score.total - score.not_checked
    detected = score.killed + score.timeout
    missed = tuple(
        Survivor(m.function, m.file, m.line, m.status, m.diff)
        for m in score.mutants
        if m.status in (SURVIVED, NO_TESTS, SUSPICIOUS)
    )
    summary = (
        f"{detected} of {checked} mutants detected ({score.score:.1%}; target {target:.0%}, "
        f"profile {profile.name}){' (cached)' if score.cached else ''}"
    )
    reasons: list[str] = []
    if score.note is not None:
        reasons.append(score.note)
    if score.score < target:
        functions = sorted({m.function for m in missed})
        reasons.append(
            f"{score.score:.1%} is below the target {target:.0%}: {len(missed)} mutants escape "
            f"the golden tests, in {', '.join(functions[:6])}"
            + (f" and {len(functions) - 6} more functions" if len(functions) > 6 else "")
        )
    return Check(
        "mutation",
        State.FAILED if reasons else State.PASSED,
        summary,
        reasons=tuple(reasons),
        survivors=missed,
        score=score.score,
        target=target,
    )
