"""The search for a behaviour difference: replay, sweep, generate, shrink, within a budget.

1. Every recorded program is replayed (``replay``).
2. The sweep's programs, single changes to recorded calls, many calls each (``replay`` too,
   ``swept``), for every target before any random search, targets in focus first.
3. hypothesis generates programs per public function and class (``explore``), with the
   example budget multiplied where mutation testing found the golden tests blind.
4. The first difference per target is shrunk to a minimal program (``shrink_found``;
   hypothesis shrinks what it generated, ``shrink`` then works on steps and values).

A program runs first on the original and the candidate, who answer with a digest per step;
only when the digests differ do all three workers run it again in full, the original's
second run telling nondeterminism from a difference (``run``). Each difference is then judged
(``_judge``): excused, with a warning, when it is outside the domain, when both versions
fail by accident, or when an input's problems are reported in another order; a finding
otherwise. Every program's outcome is cached by its exact text, so hypothesis's replays and
the shrinker's retries cost nothing twice.

Repeatability: hypothesis runs under a seed derived from ``--seed`` and the target's name,
with no example database and no deadlines, so the same seed explores the same programs, as
long as the time budget is not what stops it (the report says when it is).
"""

from __future__ import annotations

import contextlib
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import hypothesis
import hypothesis.configuration
from hypothesis import strategies as st
from hypothesis.errors import Flaky, FlakyFailure, FlakyReplay, Unsatisfiable

from . import compare, doubles, precedence, shrink, values
from .compare import Comparison, Mismatch, StepObservation
from .domain import Domain
from .generation import Catalog
from .program import METHOD, Program, Step
from .settings import DifferentialSettings
from .workers import CANDIDATE, MAX_RESTARTS, ORIGINAL, Trio

# A candidate that hangs where the original returns ends the search: the difference is
# found, and every further hang would cost two timeouts.
_MAX_HANGS = 1
_FIRST_RUNS = (ORIGINAL, CANDIDATE)
# A hanging candidate gets one more try with this many times the timeout, so a slow machine
# is not mistaken for a hang.
_HANG_RETRY_FACTOR = 4
# The long program's ceiling: one call_timeout per this many calls.
_LONG_CALLS_PER_TIMEOUT = 25


@dataclass(frozen=True)
class Outcome:
    comparison: Comparison
    mismatch: Mismatch | None = None  # the first difference that is a finding
    # The first difference that is no finding, and why: outside the input domain, both
    # versions failing by accident, or the same problems of the input in another order.
    excused: tuple[Mismatch, str] | None = None

    @property
    def differs(self) -> bool:
        return self.mismatch is not None

    def target(self, program: Program) -> str | None:
        return program.steps[self.mismatch.step].target if self.mismatch is not None else None


@dataclass(frozen=True)
class Found:
    target: str
    program: Program  # ends at the step that differs
    outcome: Outcome
    origin: str
    steps_before_shrinking: int


@dataclass
class Tally:
    programs: int = 0
    calls: int = 0


@dataclass
class Stats:
    programs: int = 0  # programs run on the workers (each once: outcomes are cached)
    calls: int = 0  # steps compared between the original and the candidate
    recorded: int = 0  # recorded programs replayed
    probes: int = 0  # the exercise's probes replayed (``probes``)
    swept: int = 0  # programs of the sweep
    constants: int = 0  # programs of the constants sweep
    comparisons: int = 0  # programs steered by logged comparisons (``cmplog``)
    comparison_targets: int = 0  # calls derived from logged comparisons, before the budget
    comparison_logged: int = 0  # calls and histories run instrumented, every round
    comparison_logs_cut: int = 0  # of those runs, the ones a time ceiling cut short
    # Per side, the branches taken by the programs run instrumented, out of the package's.
    branches: dict[str, tuple[int, int]] = field(default_factory=dict)
    long_steps: int = 0  # calls of the long program (``sequence``), 0 when none ran
    generated: int = 0  # programs hypothesis generated
    shrink_runs: int = 0
    hangs: int = 0
    unsettled: Counter[str] = field(default_factory=Counter)  # why, how often
    nondeterministic: dict[str, tuple[int, str]] = field(default_factory=dict)  # target -> n, where
    order_only: dict[str, tuple[int, str]] = field(default_factory=dict)
    # Floats a rounding error apart (a sum taken in another order): target -> n, where.
    rounding: dict[str, tuple[int, str]] = field(default_factory=dict)
    excused: dict[str, tuple[str, Program]] = field(default_factory=dict)  # target -> why, input
    tallies: dict[str, Tally] = field(default_factory=dict)


class _Differs(Exception):
    """Raised inside a hypothesis probe: this program shows a difference."""


class Search:
    def __init__(
        self,
        trio: Trio,
        catalog: Catalog,
        domain: Domain,
        settings: DifferentialSettings,
        deadline: float,
        scratch: Path,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.trio = trio
        self.catalog = catalog
        self.signatures = catalog.signatures
        self.domain = domain
        self.settings = settings
        self.deadline = deadline
        self.scratch = scratch  # hypothesis's own files go here, not into the caller's cwd
        self.clock = clock
        self.stats = Stats()
        self.found: dict[str, Found] = {}
        self.stopped: str | None = None  # why the search ended before its budget
        self.lost: str | None = None  # a worker given up: the search could not go on
        self.time_hit = False
        self._cache: dict[str, Outcome] = {}
        self._original_steps: dict[str, StepObservation | None] = {}
        self._precedence: dict[tuple[str, str, str], bool] = {}
        self._kept = compare.KeptAttributes()
        # What the search is doing, in words, and who is told after each program: display
        # only, never read back.
        self.phase = "starting"
        self.watch: Callable[[Search], None] | None = None

    # -- running one program -------------------------------------------------------------

    def run(self, program: Program, timeout: float | None = None) -> Outcome:
        """Run and judge a program; ``timeout`` (one side's ceiling) defaults to the
        settings' ``call_timeout``."""
        cached = self._cache.get(program.key)
        if cached is not None:
            return cached
        timeout = timeout or self.settings.call_timeout
        request = {"op": "run", "steps": program.request(), "timeout": timeout}
        # First by digests, from the original and the candidate: when they agree step by step,
        # that is all there is to know, in a few bytes (the original's second run could only
        # excuse a difference, and there is none). An object's digest covers the attributes the
        # original's objects have shown (``KeptAttributes``: a candidate may add public
        # attributes); when the original shows more, or the digests differ, every side runs
        # again in full, the original's second run included, to tell nondeterminism from a
        # difference.
        digest_request = {**request, "digest": True, "keep": self._kept.request()}
        digests = self.trio.request(digest_request, timeout, only=_FIRST_RUNS)
        partial = self._kept.learn(digests[0])
        if not partial and compare.same_digests([digests[0], digests[2]], len(program.steps)):
            comparison = Comparison((), len(program.steps))
        else:
            comparison = self._compare_in_full(program, request, timeout)
        outcome = self._judge(program, comparison)
        self._cache[program.key] = outcome
        self._account(program, outcome)
        return outcome

    def _compare_in_full(
        self, program: Program, request: dict[str, Any], timeout: float
    ) -> Comparison:
        answers = self.trio.request(request, timeout)
        if _hung_answer(answers[2]) and answers[0] is not None and not _hung_answer(answers[0]):
            longer = {**request, "timeout": timeout * _HANG_RETRY_FACTOR}
            retry = self.trio.request(longer, timeout * _HANG_RETRY_FACTOR, only=(CANDIDATE,))
            answers[2] = retry[2]
            if _hung_answer(answers[2]):
                self.stats.hangs += 1
        lost = [
            side for answer, side in zip(answers, self.trio.sides, strict=True) if answer is None
        ]
        if lost:
            # No answer at all is the machinery failing (a worker died or went silent), not an
            # observation of the code: it never counts against the candidate.
            why = f"the {lost[0].name} worker gave no answer ({lost[0].problem or 'unknown'})"
            return Comparison((), 0, unsettled=why)
        names = [self.signatures.arg_names(s) for s in program.steps]
        return compare.compare(*(compare.parse_run(a, program, names) for a in answers))

    def _judge(self, program: Program, comparison: Comparison) -> Outcome:
        """The first difference that is a finding. An excused step's consequences are
        excused with it: later steps that use what it produced (its object) are skipped."""
        excused_steps: set[int] = set()
        first_excused: tuple[Mismatch, str] | None = None
        for mismatch in comparison.mismatches:
            if _needs(program, mismatch.step) & excused_steps:
                excused_steps.add(mismatch.step)
                continue
            reason = self._excuse(program, mismatch)
            if reason is None:
                return Outcome(comparison, mismatch, first_excused)
            excused_steps.add(mismatch.step)
            first_excused = first_excused or (mismatch, reason)
        return Outcome(comparison, None, first_excused)

    def _excuse(self, program: Program, mismatch: Mismatch) -> str | None:
        # The original's worker hosts trusted code; the candidate's claim is believed only
        # where the program could have taken it off script (see doubles.believable).
        claimed = mismatch.candidate.off_script
        if claimed and not doubles.believable(program, mismatch.step, claimed):
            claimed = ""
        off_script = mismatch.original.off_script or claimed
        if off_script:
            return f"outside what the recording knows of the tests' objects: {off_script}"
        outside = self.domain.outside(program, mismatch.step, self.signatures)
        if outside is not None:
            return f"outside the input domain: {outside}"
        original, candidate = mismatch.original, mismatch.candidate
        if original.outcome != compare.RAISED or candidate.outcome != compare.RAISED:
            return None
        if compare.incidental(original) and compare.incidental(candidate):
            return (
                "both versions fail on this input by Python rejecting a value's type or shape "
                "(neither handles it; no caller can rely on how it fails)"
            )
        exceptions = (original.get(compare.EXCEPTION), candidate.get(compare.EXCEPTION))
        pair = (
            program.steps[mismatch.step].target,
            values.key(exceptions[0] or []),
            values.key(exceptions[1] or []),
        )
        if pair not in self._precedence:
            self._precedence[pair] = precedence.reported_later(
                program,
                mismatch,
                self.original_step,
                self.catalog,
                self.settings.shrink_attempts // 4,
            )
        if self._precedence[pair]:
            return (
                "the input has several problems and the candidate reports another one first "
                "(the original reports it too once the earlier ones are repaired)"
            )
        return None

    def original_step(self, program: Program) -> StepObservation | None:
        """The original's observation of the program's last step (for precedence checks)."""
        if program.key in self._original_steps:
            return self._original_steps[program.key]
        timeout = self.settings.call_timeout
        request = {"op": "run", "steps": program.request(), "timeout": timeout}
        answer = self.trio.request(request, timeout, only=(ORIGINAL,))[0]
        observation = None
        if answer is not None:
            names = [self.signatures.arg_names(s) for s in program.steps]
            run = compare.parse_run(answer, program, names)
            if len(run.steps) == len(program.steps) and not run.ended_early:
                observation = run.steps[-1]
        self._original_steps[program.key] = observation
        return observation

    def _account(self, program: Program, outcome: Outcome) -> None:
        stats = self.stats
        comparison = outcome.comparison
        stats.programs += 1
        stats.calls += comparison.steps_compared
        if self.watch is not None:
            self.watch(self)
        for step in program.steps[: max(comparison.steps_compared, 1)]:
            tally = stats.tallies.setdefault(_subject(step), Tally())
            tally.calls += 1
        subject = _subject(program.steps[-1])
        stats.tallies.setdefault(subject, Tally()).programs += 1
        if comparison.unsettled:
            stats.unsettled[comparison.unsettled] += 1
        if comparison.nondeterministic:
            count, where = stats.nondeterministic.get(subject, (0, comparison.nondeterministic[0]))
            stats.nondeterministic[subject] = (count + 1, where)
        if comparison.order_only:
            count, where = stats.order_only.get(subject, (0, comparison.order_only[0].where))
            stats.order_only[subject] = (count + 1, where)
        if comparison.rounding:
            count, where = stats.rounding.get(subject, (0, comparison.rounding[0].where))
            stats.rounding[subject] = (count + 1, where)
        if outcome.excused is not None:
            excused, why = outcome.excused
            target = program.steps[excused.step].target
            if target not in stats.excused:
                stats.excused[target] = (why, program.truncated(excused.step))
        if self.stats.hangs >= _MAX_HANGS:
            self.stopped = "the candidate hung where the original returned"
        dead = [s for s in self.trio.sides if s.problem and s.restarts >= MAX_RESTARTS]
        if dead:
            self.lost = f"the {dead[0].name} worker could not be kept running: {dead[0].problem}"
            self.stopped = self.lost

    def out_of_time(self) -> bool:
        return self.clock() >= self.deadline

    def _consider(self, program: Program, outcome: Outcome, origin: str) -> None:
        target = outcome.target(program)
        if outcome.mismatch is not None and target is not None and target not in self.found:
            shown = program.truncated(outcome.mismatch.step)
            self.found[target] = Found(target, shown, outcome, origin, len(shown.steps))

    # -- the phases ----------------------------------------------------------------------

    def replay(
        self,
        programs: Iterable[Program],
        swept: bool = False,
        probes: bool = False,
        constants: bool = False,
        comparisons: bool = False,
    ) -> None:
        """Run fixed programs (recorded ones, the sweep's, probes) until the budget ends."""
        for program in programs:
            if self.stopped or self.out_of_time():
                self.time_hit = self.time_hit or self.out_of_time()
                return
            if comparisons:
                self.stats.comparisons += 1
            elif constants:
                self.stats.constants += 1
            elif swept:
                self.stats.swept += 1
            elif probes:
                self.stats.probes += 1
            else:
                self.stats.recorded += 1
            self._consider(program, self.run(program), program.origin)

    def replay_long(self, program: Program) -> None:
        """The long program (``sequence``): many programs' calls in one process. Its
        ceiling grows with its length, one ``call_timeout`` per ``_LONG_CALLS_PER_TIMEOUT``
        calls; a ceiling only, the program is the same on every machine."""
        if self.stopped or self.out_of_time():
            self.time_hit = self.time_hit or self.out_of_time()
            return
        self.stats.long_steps = len(program.steps)
        ceilings = max(1, len(program.steps) // _LONG_CALLS_PER_TIMEOUT)
        outcome = self.run(program, self.settings.call_timeout * ceilings)
        self._consider(program, outcome, program.origin)

    def explore(self, target: str, strategy: st.SearchStrategy[Program], examples: int) -> None:
        """Up to ``examples`` generated programs for ``target``; stops at its first difference."""
        if examples <= 0 or target in self.found or self.stopped:
            return
        last: list[tuple[Program, Outcome]] = []
        shrink_runs = [0]

        def probe(program: Program) -> None:
            if self.stopped or self.out_of_time():
                self.time_hit = self.time_hit or self.out_of_time()
                return
            if last and program.key not in self._cache:
                shrink_runs[0] += 1
                if shrink_runs[0] > self.settings.shrink_attempts:
                    return  # hypothesis keeps the smallest difference it has seen
            if not last:
                self.stats.generated += 1
            outcome = self.run(program)
            if outcome.differs:
                last.append((program, outcome))
                raise _Differs

        seed = zlib.crc32(f"{self.settings.seed}:{target}".encode())
        test = hypothesis.settings(
            max_examples=examples,
            database=None,
            deadline=None,
            derandomize=False,
            suppress_health_check=list(hypothesis.HealthCheck),
            phases=(hypothesis.Phase.generate, hypothesis.Phase.shrink),
            report_multiple_bugs=False,
            print_blob=False,
            verbosity=hypothesis.Verbosity.quiet,
        )(hypothesis.seed(seed)(hypothesis.given(strategy)(probe)))
        # A candidate whose difference comes and goes makes hypothesis call it flaky: the
        # last difference seen stands (and is re-checked when it is shrunk).
        with (
            _hypothesis_home(self.scratch),
            contextlib.suppress(_Differs, Flaky, FlakyFailure, FlakyReplay, Unsatisfiable),
        ):
            test()
        self.stats.shrink_runs += shrink_runs[0]
        if last:
            program, outcome = last[-1]  # hypothesis replays its minimal example last
            self._consider(program, outcome, program.origin)

    def shrink_found(self) -> None:
        for target in sorted(self.found):
            if self.out_of_time():
                return
            found = self.found[target]
            mismatch = found.outcome.mismatch
            if mismatch is not None and mismatch.candidate.outcome == compare.TIMEOUT:
                continue  # every attempt would wait out the timeout twice; the step is the answer

            steady = not found.outcome.comparison.nondeterministic

            def still_fails(
                candidate: Program, target: str = target, steady: bool = steady
            ) -> int | None:
                if self.out_of_time():
                    return None
                self.stats.shrink_runs += 1
                outcome = self.run(candidate)
                # A smaller program on which the original no longer behaves the same twice
                # (an injected clock dropped, so the default reads the machine's) still
                # differs, but its evidence would differ from run to run and from what the
                # reader gets by hand: the program found is kept instead.
                if steady and outcome.comparison.nondeterministic:
                    return None
                if outcome.mismatch is not None and outcome.target(candidate) == target:
                    return outcome.mismatch.step
                return None

            failing = len(found.program.steps) - 1
            smaller = shrink.shrink(
                found.program, failing, still_fails, self.settings.shrink_attempts
            )
            outcome = self.run(smaller)
            if outcome.differs and outcome.target(smaller) == target:
                self.found[target] = Found(
                    target, smaller, outcome, found.origin, found.steps_before_shrinking
                )


@contextlib.contextmanager
def _hypothesis_home(directory: Path) -> Iterator[None]:
    """hypothesis keeps files (a cache of constants) under its home directory, the current
    one by default: a grading run must not leave them in the caller's working directory."""
    previous = getattr(hypothesis.configuration, "__hypothesis_home_directory", None)
    hypothesis.configuration.set_hypothesis_home_dir(directory)
    try:
        yield
    finally:
        hypothesis.configuration.set_hypothesis_home_dir(previous)


def _needs(program: Program, index: int) -> set[int]:
    """The earlier steps whose results step ``index`` uses, directly or not."""
    needed: set[int] = set()
    stack = [index]
    while stack:
        for dependency in program.steps[stack.pop()].depends_on():
            if dependency not in needed:
                needed.add(dependency)
                stack.append(dependency)
    return needed


def _hung_answer(answer: object) -> bool:
    return isinstance(answer, dict) and answer.get("status") == "timeout"


def _subject(step: Step) -> str:
    """The surface target a step exercises: a method counts for its class."""
    return step.target.rpartition(".")[0] if step.kind == METHOD else step.target
