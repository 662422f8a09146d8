"""Differential testing: the original and the candidate side by side, call by call.

Golden suites have gaps (an untested boundary, an untested error path, output nobody
asserts); a refactor that changes behaviour inside a gap passes every golden test. This check
runs the original and the candidate in sandboxed workers on recorded and generated inputs and
reports the first input where a caller could tell them apart, shrunk and runnable, with both
behaviours side by side; and public names or signatures the candidate dropped or changed.
The machinery lives in ``refactor_check.differential``; this is its entry point.

The golden suite's mutation score in the context says where the golden tests are blind: the
functions where they leave mutants alive (module-qualified, as the mutation stage names
them) get a larger search budget, and the surviving mutants themselves are searched for
inputs that tell them apart from the original; those inputs become the exercise's probes
(``differential.probes``; shipped in the golden repo, else searched and cached), replayed
first on every candidate. Not a required check: a candidate it cannot run on is reported as
skipped, with the reason.
"""

from __future__ import annotations

from ..differential import stage
from ..results.differential import DifferentialResult
from . import CheckContext


def run(ctx: CheckContext) -> DifferentialResult:
    """Focus and survivors come from the golden suite's score in the context (none without
    one); settings and the shipped probes are the context's, read when the exercise was
    loaded, so a bad file is reported before anything runs."""
    score = ctx.golden_score
    focus = score.blind_spots() if score is not None else ()
    survivors = score.survivors if score is not None else ()
    return stage.run(ctx, focus, ctx.settings.differential, survivors, ctx.shipped_probes)
