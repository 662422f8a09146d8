"""The checks. Each module's ``run(ctx)`` takes a CheckContext and returns a CheckResult.

No check imports another check; what one needs of another arrives through the context.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..cache import Cache
from ..candidate import Candidate
from ..exercise import Exercise
from ..progress import Progress, Silent
from ..runner import Runner
from ..sources import PackageSource
from ..workspace import Workspace


@dataclass(frozen=True)
class CheckContext:
    exercise: Exercise
    original: PackageSource
    candidate: Candidate
    workspace: Workspace
    runner: Runner
    cache: Cache
    # Where a long check says how far it is; nothing it reports there is part of a result.
    progress: Progress = field(default_factory=Silent)
