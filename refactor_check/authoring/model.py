"""The plain data of a validation: what each check is given (Setup) and gives back (Check)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from .. import sources, suite
from ..cache import Cache
from ..candidate import Candidate
from ..checks import CheckContext
from ..checks.mutation import golden_on_original
from ..exercise import Exercise
from ..mutation.profiles import MutationProfile
from ..results.mutation import MutationScore
from ..runner import Runner
from ..settings import Settings
from ..workspace import Workspace

# The outcomes a golden test may have on the original (what checks/golden.py accepts in the
# baseline it grades candidates against).
SOUND = frozenset({suite.PASSED, suite.SKIPPED, suite.XFAILED})


class State(str, Enum):
    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"  # not run: an earlier check failed, or the command line said so
    NOT_AVAILABLE = "not_available"  # this refactor-check cannot do it (yet)


@dataclass(frozen=True)
class TestOutcomes:
    id: str
    outcomes: tuple[str, ...]  # one per run, in the order of ``Validation.runs``


@dataclass(frozen=True)
class Survivor:
    """A mutant of the original the golden suite did not detect."""

    function: str
    file: str
    line: int
    status: str  # survived, no_tests or suspicious
    diff: str


@dataclass(frozen=True)
class Check:
    name: str
    state: State
    summary: str
    blocking: bool = True  # a blocking check must pass for the exercise to be fit
    reasons: tuple[str, ...] = ()  # why it did not pass, one line each
    seconds: float = 0.0
    tests: tuple[TestOutcomes, ...] = ()
    survivors: tuple[Survivor, ...] = ()
    score: float | None = None
    target: float | None = None
    warnings: tuple[str, ...] = ()  # worth fixing, yet not why the check fails
    # differential_recording: calls recorded per public function or class, in surface order.
    calls_per_target: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Setup:
    """What every check runs with: the exercise, its original, and the runner."""

    exercise: Exercise
    original: sources.PackageSource
    runner: Runner
    workspace: Workspace
    cache: Cache
    settings: Settings  # the exercise's, with the command line's mutation profile and jobs

    @property
    def profile(self) -> MutationProfile:
        return self.settings.mutation

    @functools.cached_property
    def golden_score(self) -> MutationScore:
        """The golden suite's mutation score on the original: computed once per setup, even
        without a cache (the mutation check and the probes check both read it)."""
        return golden_on_original(self.context(), self.profile)

    def context(self) -> CheckContext:
        """A grading context for stages that read only the original (the mutation stage's
        golden score, the probe search): the candidate's place holds the original too."""
        return CheckContext(
            exercise=self.exercise,
            original=self.original,
            candidate=Candidate(self.exercise.original, self.original, None, (), ()),
            workspace=self.workspace,
            runner=self.runner,
            cache=self.cache,
            settings=self.settings,
        )


def run_suite(
    setup: Setup, tests: Path, label: str, expected: Sequence[str] | None = None
) -> suite.SuiteOutcome:
    """The suite ``tests`` against the original, through the sandboxed runner."""
    return suite.run_suite(
        setup.runner, setup.workspace, setup.original, tests, label=label, expected=expected
    )


def first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""
