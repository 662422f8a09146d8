"""Differential testing: the original and the candidate side by side, call by call.

Golden suites have gaps (an untested boundary, an untested error path, output nobody
asserts); a refactor that changes behaviour inside a gap passes every golden test. This check
runs the original and the candidate in sandboxed workers on recorded and generated inputs and
reports the first input where a caller could tell them apart, shrunk and runnable, with both
behaviours side by side; and public names or signatures the candidate dropped or changed.
The machinery lives in ``refactor_check.differential``; this is its entry point.

``focus`` names the functions (module-qualified, as the mutation stage names them) where the
golden tests leave mutants alive: the search spends a larger budget there. ``survivors`` are
those mutants themselves: inputs that tell them apart from the original become the exercise's
probes (``differential.probes``; shipped in the golden repo, else searched and cached),
replayed first on every candidate. Not a required check: a
candidate it cannot run on is reported as skipped, with the reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .. import settings as settings_mod
from ..differential import probes, stage
from ..differential.probes import ProbeVerdict
from ..differential.settings import DifferentialSettings
from ..results.differential import DifferentialResult
from ..results.mutation import Mutant
from . import CheckContext


def run(
    ctx: CheckContext,
    focus: Sequence[str] = (),
    settings: DifferentialSettings | None = None,
    survivors: Sequence[Mutant] = (),
    shipped: Mapping[str, ProbeVerdict] | None = None,
) -> DifferentialResult:
    """``settings`` and ``shipped`` (the probe verdicts the golden repo ships) are read from
    the exercise when not given; the pipeline reads them when it loads the exercise, so a
    bad file is reported before anything runs."""
    if settings is None:
        settings = settings_mod.resolve(ctx.exercise).differential
    if shipped is None:
        shipped = probes.shipped(ctx.exercise.root)
    return stage.run(ctx, tuple(focus), settings, tuple(survivors), shipped)
