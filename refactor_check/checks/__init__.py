"""The checks, behind one protocol: each module's ``run(ctx)`` takes a CheckContext and
returns a CheckResult (``Check``).

What a check needs beyond the submission and the exercise arrives in the context as data:
the run's settings, resolved once; the probes the golden repo ships; and what an earlier
stage learnt, filled in by the pipeline once it is known (the golden suite's mutation score,
from which mutation testing starts and differential testing learns where the golden tests
are blind; the run-time audit lines). No check imports another.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..cache import Cache
from ..candidate import Candidate
from ..exercise import Exercise
from ..progress import Progress, Silent
from ..results import CheckResult
from ..results.mutation import MutationScore
from ..runner import Runner
from ..settings import Settings
from ..sharding import Shard
from ..sources import PackageSource
from ..workspace import Workspace

if TYPE_CHECKING:  # differential.probes builds on this module
    from ..differential.probes import ProbeVerdict


@dataclass(frozen=True)
class CheckContext:
    exercise: Exercise
    original: PackageSource
    candidate: Candidate
    workspace: Workspace
    runner: Runner
    cache: Cache
    settings: Settings  # the exercise's tables and the command line, resolved once
    # Where a long check says how far it is; nothing it reports there is part of a result.
    progress: Progress = field(default_factory=Silent)
    shard: Shard | None = None  # mutation testing covers this shard's mutants only
    # The golden repo's probe verdicts (differential_probes.json), read when it was loaded.
    shipped_probes: Mapping[str, ProbeVerdict] = field(default_factory=dict)
    # Filled in by the pipeline as it learns them. The golden suite's score on the original
    # (None: not scored, and mutation testing scores it itself):
    golden_score: MutationScore | None = None
    # The run-time audit lines to judge (None: every line the runner has collected).
    audit: tuple[tuple[str, str], ...] | None = None


Check = Callable[[CheckContext], CheckResult]
