"""The probes an exercise ships: ``refactor-check exercise probes``, and validate's check of them.

Grading replays probes, inputs that tell the golden suite's surviving mutants apart from the
original, before any other input (``differential.probes``). The search for them is bounded by
the clock, so what one machine finds within its budget another may not; a verdict must not
depend on the machine that graded. So an exercise ships its probes: ``exercise probes``
searches with a budget far beyond grading's (``Budget``: half a minute per survivor, not five
seconds, and four times the random programs) and writes every survivor's verdict into the
golden repo (``differential_probes.json``, for version control). Grading then searches only
for survivors the file does not cover.

A survivor's verdict stays valid while the survivor does (a mutant is named by mutmut's key
and its diff), so writing the file again keeps the verdicts it holds for unchanged survivors
and searches only the new ones, unless ``fresh`` is asked for. The search reads no cache:
verdicts a grading run cached were found under grading's smaller budget.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from pathlib import Path

from ..cache import Cache
from ..differential import probes, stage
from ..errors import BadInputError
from ..progress import Progress, Silent
from ..results.differential import ProbeReport
from .model import Check, Setup, State

NAME = "differential_probes"
WRITE_COMMAND = "refactor-check exercise probes"


@dataclass(frozen=True)
class Budget:
    # Ceilings, not budgets: a survivor's search runs its counted budget (the sweep, examples,
    # shrink attempts); one a ceiling cuts gets no verdict in the file.
    per_mutant: float = 120.0  # ceiling of the search for one survivor
    total: float = 1800.0  # for all of them together
    fresh: bool = False  # search every survivor again, not only those the file lacks
    # Random programs per target and survivor: more than grading's probe_examples (100) or a
    # focused candidate search (examples x focus_factor), so that what a candidate's search
    # could find near a survivor, the author's has found first.
    examples: int = 400


@dataclass(frozen=True)
class Written:
    path: Path | None  # None: the golden suite leaves no mutant alive, nothing was written
    report: ProbeReport | None
    seconds: float


def write(setup: Setup, budget: Budget, progress: Progress | None = None) -> Written:
    """Search the survivors' probes and store every verdict in the golden repo."""
    progress = progress or Silent()
    started = time.monotonic()
    root = setup.exercise.root
    progress.stage_started("mutation")
    survivors = setup.golden_score.survivors
    progress.stage_finished("mutation", time.monotonic() - started, None)
    if not survivors:
        return Written(None, None, time.monotonic() - started)
    progress.stage_started("probes")
    searching = time.monotonic()
    kept = {} if budget.fresh else probes.shipped(root)
    chosen = replace(
        setup.settings.differential,
        probe_seconds=budget.per_mutant,
        probe_total_seconds=budget.total,
        probe_examples=budget.examples,
    )
    uncached = replace(setup.context(), cache=Cache(None))
    found = stage.exercise_probes(uncached, survivors, chosen, kept)
    progress.stage_finished("probes", time.monotonic() - searching, None)
    if found is None:
        raise BadInputError(f"golden repo {root}: the original could not be loaded to probe it")
    return Written(probes.write_shipped(root, found), found.report, time.monotonic() - started)


def check_probes(setup: Setup) -> Check:
    """Whether the golden repo ships a verdict for every survivor (a warning, never blocking:
    without one, grading still searches, within time ceilings a slow machine may hit)."""
    survivors = setup.golden_score.survivors
    if not survivors:
        summary = "the golden suite leaves no mutant alive: nothing to probe"
        return Check(NAME, State.PASSED, summary)
    try:
        shipped = probes.shipped(setup.exercise.root)
    except BadInputError as exc:
        return Check(NAME, State.FAILED, "the probes file cannot be read", reasons=(str(exc),))
    write_it = f"{WRITE_COMMAND} {setup.exercise.root}"
    covered = [m for m in survivors if probes.identity(m) in shipped]
    told = [m for m in covered if shipped[probes.identity(m)].status == probes.TOLD_APART]
    if not shipped:
        reasons = (
            f"no {probes.PROBES_FILE}: grading searches for probes itself, bounded by each "
            f"machine's clock, so what it finds may differ between machines; run {write_it}",
        )
        summary = f"{len(survivors)} mutants the golden tests miss, no shipped probes"
        return Check(NAME, State.FAILED, summary, blocking=False, reasons=reasons)
    summary = (
        f"verdicts shipped for {len(covered)} of {len(survivors)} mutants the golden tests "
        f"miss; {len(told)} told apart from the original by a shipped probe"
    )
    if len(covered) < len(survivors):
        reasons = (
            f"{len(survivors) - len(covered)} mutants have no shipped verdict (the golden repo "
            f"changed since the file was written, or its search ran out of time); run {write_it}",
        )
        return Check(NAME, State.FAILED, summary, blocking=False, reasons=reasons)
    return Check(NAME, State.PASSED, summary)
