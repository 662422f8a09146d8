"""Which graded submissions of a cohort are below a ``--fail-under-level`` gate.

Gated are the submissions the batch graded, those it rejected included (a folder with no
package reaches no level); a grading refactor-check failed on, or stopped on bad input, is
no measure of the candidate, and the batch's exit status says so on its own.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..level_gate import Failure, Gate, failed_levels
from .rows import FINAL, Row


def below(rows: Sequence[Row], gates: Sequence[Gate]) -> dict[str, list[Failure]]:
    """Candidate -> the gates they are below, in table order; only those below any."""
    if not gates:
        return {}
    found = {r.candidate: failed_levels(gates, dict(r.levels)) for r in rows if r.status in FINAL}
    return {name: failures for name, failures in found.items() if failures}
