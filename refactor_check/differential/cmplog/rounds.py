"""The programs comparison feedback runs for a target, found in rounds steered by coverage.

Round 0 logs the recorded calls (a function's) or object histories (a class's) and derives
new inputs from what they compared. Each later round logs the inputs the round before
derived, and steers again only those that took a branch, in either version, that no input of
this target had taken before: the way a fuzzer keeps, as seeds, the inputs that reach new
coverage. That reaches a boundary behind another condition (a remainder of zero only for
``kind == "bulk"``): round 0 steers ``kind`` onto "bulk", round 1 sees that call take the
new branch, and steers its quantity onto a multiple. The rounds share the target's budget
(``comparison_calls``), a count derived from the recording and the code alone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from .. import sweep
from ..generation import Bound, Catalog
from ..neighbours import interleave
from ..program import CALL, Program, Step
from ..surface import CLASS, FUNCTION, Target
from .derive import add_new, call_key, derive
from .histories import steered_history
from .log import StepLog
from .loggers import Loggers

SEEDS_PER_TARGET = 8  # recorded calls steered per function, whatever they reach
# Recorded calls run instrumented per function: beyond the first SEEDS_PER_TARGET, those
# that take a branch the others did not are steered too (a corpus kept for its coverage: the
# one legacy-mode call among many modern ones).
SEED_CANDIDATES = 64
HISTORIES_PER_TARGET = 4  # recorded object histories steered per class, whatever they reach
HISTORY_CANDIDATES = 32  # run instrumented per class (as SEED_CANDIDATES)
_LOGGED_CALLS = 64  # a function's calls logged per round
# Calls per instrumented program, as many as the recorded calls round 0 logs together: a
# logging run's ceiling is per program, and a derived call may be slow (a count steered onto
# a large operand); a run cut short by a busy machine must lose as little as round 0's would.
_LOG_PACK = SEEDS_PER_TARGET
_LOGGED_HISTORIES = 16  # a class's histories logged per round


def seed_calls(catalog: Catalog, path: str) -> list[Bound]:
    """The recorded calls of a function that are run instrumented: the first
    ``SEEDS_PER_TARGET``, then the others taking turns with each recorded call with its
    optional arguments left out (tests often pass unusual options, callers mostly the
    defaults: a price steered onto a limit shows in the tax only where tax is applied)."""
    recorded = catalog.calls.get(path, [])
    required = sweep.required_params(catalog, path)
    defaults = [{k: v for k, v in b.items() if k in required} for b in recorded]
    seeds: dict[str, Bound] = {}
    add_new(seeds, recorded[:SEEDS_PER_TARGET])
    add_new(seeds, interleave([recorded[SEEDS_PER_TARGET:], defaults]))
    return list(seeds.values())[:SEED_CANDIDATES]


def calls_program(
    catalog: Catalog, path: str, bounds: Sequence[Bound]
) -> tuple[Program, list[Bound]] | None:
    """Calls of a function as one program, with their bounds in step order; None when none
    can be laid out as a call."""
    pairs = [(catalog.step(CALL, path, b, None), b) for b in bounds]
    kept = [(step, bound) for step, bound in pairs if step is not None]
    if not kept:
        return None
    return Program(tuple(s for s, _ in kept), "a recorded call"), [b for _, b in kept]


ORIGIN = "a recorded call steered onto a comparison's other operand"
FEEDBACK_ORIGIN = "a call steered onto a comparison's other operand, after it reached a new branch"


@dataclass(frozen=True)
class Steered:
    """What comparison feedback runs for one target, and what it found on the way."""

    programs: list[Program]
    suggested: int  # distinct calls or histories the logs suggested, before the budget
    logged: int  # calls or histories run instrumented, every round


@dataclass(frozen=True)
class Budget:
    calls: int  # compared, per target (``comparison_calls``)
    rounds: int  # after the recorded inputs' (``comparison_rounds``)
    timeout: float  # one logging run's ceiling


def steered_programs(loggers: Loggers, catalog: Catalog, target: Target, budget: Budget) -> Steered:
    """The programs this technique runs for ``target``: at most ``budget.calls`` calls."""
    if target.kind == FUNCTION:
        return _steered_calls(loggers, catalog, target.path, budget)
    if target.kind == CLASS:
        return _steered_histories(loggers, catalog, target, budget)
    return Steered([], 0, 0)


Unit = TypeVar("Unit")


def in_rounds(
    seeds: Sequence[Unit],
    logged: Callable[[Sequence[Unit]], list[StepLog]],
    derived: Callable[[Unit, StepLog], list[Unit]],
    key: Callable[[Unit], str],
    frontier: int,
    rounds: int,
    always: int | None = None,
) -> tuple[list[list[Unit]], int]:
    """Each round's newly derived units (calls or histories), and how many were logged.

    A unit that reached no branch new to this target (in either version) is not steered
    again; of the seeds, round 0, the first ``always`` (all when None) always are, the rest
    only when they reach a branch the seeds before them did not. A round's units take turns
    (the first derived from each unit, then the second of each, ...), so a budget that cuts
    the round still tries every unit's best suggestions, not all of one unit's. ``logged``
    runs a round's units instrumented and answers one ``StepLog`` per unit."""
    seen = {key(unit) for unit in seeds}
    reached: set[tuple[str, str, bool]] = set()
    found_by_round: list[list[Unit]] = []
    batch, count = list(seeds), 0
    for number in range(1 + rounds):
        children: list[list[Unit]] = []
        count += len(batch)
        for index, (unit, log) in enumerate(zip(batch, logged(batch), strict=True)):
            new = log.branches - reached
            reached |= log.branches
            seed = number == 0 and (always is None or index < always)
            if not (new or seed):
                continue
            mine: list[Unit] = []
            for child in derived(unit, log):
                if key(child) not in seen:
                    seen.add(key(child))
                    mine.append(child)
            children.append(mine)
        found = interleave(children)
        found_by_round.append(found)
        batch = found[:frontier]
        if not batch:
            break
    return found_by_round, count


def shared(
    rounds: Sequence[Sequence[Unit]],
    budget: int,
    parts: int,
    size: Callable[[Unit], int] = lambda _: 1,
) -> list[Unit]:
    """Units worth at most ``budget`` calls: each round's first, up to an equal share (one of
    ``parts``), then what the others left, in round order; so a round's many suggestions
    never crowd out a later round's few, which are the ones that reached new branches."""
    share = budget // max(parts, 1)
    taken: list[list[Unit]] = []
    for found in rounds:
        chosen: list[Unit] = []
        _fill(chosen, found, share, size)
        taken.append(chosen)
    spare = budget - sum(size(u) for chosen in taken for u in chosen)
    for found, chosen in zip(rounds, taken, strict=True):
        spare -= _fill(chosen, found[len(chosen) :], spare, size)
    return [unit for chosen in taken for unit in chosen]


def _fill(
    chosen: list[Unit],
    more: Sequence[Unit],
    room: int,
    size: Callable[[Unit], int] = lambda _: 1,
) -> int:
    """Appends ``more``'s units, in order, while they fit in ``room``; what they took."""
    spent = 0
    for unit in more:
        if spent + size(unit) > room:
            break
        chosen.append(unit)
        spent += size(unit)
    return spent


def _steered_calls(loggers: Loggers, catalog: Catalog, path: str, budget: Budget) -> Steered:
    def logged(bounds: Sequence[Bound]) -> list[StepLog]:
        out = []
        for i in range(0, len(bounds), _LOG_PACK):
            part = bounds[i : i + _LOG_PACK]
            laid = calls_program(catalog, path, part)
            if laid is None:
                out += [StepLog.EMPTY] * len(part)
                continue
            program, kept = laid
            by_key = dict(
                zip(map(call_key, kept), loggers.log(program, budget.timeout), strict=True)
            )
            out += [by_key.get(call_key(b), StepLog.EMPTY) for b in part]
        return out

    def derived(bound: Bound, log: StepLog) -> list[Bound]:
        return derive(bound, log.comparisons)

    seeds = seed_calls(catalog, path)
    rounds, count = in_rounds(
        seeds, logged, derived, call_key, _LOGGED_CALLS, budget.rounds, SEEDS_PER_TARGET
    )
    chosen = shared(rounds, budget.calls, 1 + budget.rounds)
    first, later = _first_round_apart(chosen, rounds, call_key)
    programs = sweep.call_programs(catalog, path, first, ORIGIN)
    programs += sweep.call_programs(catalog, path, later, FEEDBACK_ORIGIN)
    return Steered(programs, sum(len(r) for r in rounds), count)


def _steered_histories(
    loggers: Loggers, catalog: Catalog, target: Target, budget: Budget
) -> Steered:
    def logged(histories: Sequence[tuple[Step, ...]]) -> list[StepLog]:
        return [StepLog.joined(loggers.log(Program(s), budget.timeout)) for s in histories]

    def derived(steps: tuple[Step, ...], log: StepLog) -> list[tuple[Step, ...]]:
        return steered_history(catalog, steps, log.per_step)

    bases = sweep.lineage_bases(catalog, target)[:HISTORIES_PER_TARGET]
    # Then the other recorded histories, the simplest first, steered when they reach a branch
    # the bases do not (a shipment of what was reserved, where the bases only report).
    simplest = sorted(
        catalog.lineages(target.path), key=lambda li: (li.program.size(), li.program.key)
    )
    more = [li for li in simplest if li not in bases][: HISTORY_CANDIDATES - len(bases)]
    seeds = [lineage.program.steps for lineage in (*bases, *more)]
    rounds, count = in_rounds(
        seeds, logged, derived, _history_key, _LOGGED_HISTORIES, budget.rounds, len(bases)
    )
    chosen = shared(rounds, budget.calls, 1 + budget.rounds, len)
    first, later = _first_round_apart(chosen, rounds, _history_key)
    # Every chosen history fits the budget already: packed, not cut again.
    programs = sweep.pack_within(first, budget.calls, ORIGIN)
    programs += sweep.pack_within(later, budget.calls, FEEDBACK_ORIGIN)
    return Steered(programs, sum(len(r) for r in rounds), count)


def _first_round_apart(
    chosen: Sequence[Unit], rounds: Sequence[Sequence[Unit]], key: Callable[[Unit], str]
) -> tuple[list[Unit], list[Unit]]:
    """The chosen units round 0 derived, and those later rounds did (their origin differs)."""
    first = {key(u) for u in rounds[0]} if rounds else set()
    return [u for u in chosen if key(u) in first], [u for u in chosen if key(u) not in first]


def _history_key(steps: tuple[Step, ...]) -> str:
    return Program(steps).key
