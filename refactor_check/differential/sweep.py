"""The sweep: every single change to a few recorded calls, systematically, before any chance.

Random search finds a moved boundary only by luck: ``qty == 50`` is one value among many at
one place among many. The sweep takes a few recorded calls per target (the simplest, then
ones with places the others lack) and tries every neighbour at every place of every argument
(``Neighbours.places``), plus each optional argument the test left out set to its default's
neighbours, to the values recorded for it, and to those recorded for a parameter of the same
name elsewhere in the package (a wrapper passes an option on under its own name). Places are
taken in turn, so a budget that cuts the list still covers them all. For a class, the same is
done to every call in a recorded object's history, and each public method is called once
more on the object at its end.

Many calls share one program (one fork per side per program, not per call): independent calls
of a function, or several object histories one after another. A later call in the same
program also sees what earlier ones left behind, as a caller's process would; the shrinker
removes what a difference does not need.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from . import doubles, values
from .generation import Bound, Catalog
from .neighbours import interleave
from .program import CALL, METHOD, NEW, Program, Step, concatenate
from .recording import Lineage
from .surface import CLASS, Target

T = TypeVar("T")
_BASES = 4  # recorded calls, or object histories, taken as starting points per target
_BATCH_CALLS = 24  # calls of a function per program
_BATCH_STEPS = 40  # steps of object histories per program


def target_programs(catalog: Catalog, target: Target, budget: int, origin: str) -> list[Program]:
    """The sweep of one public function or class, ``budget`` calls in all."""
    if target.kind == CLASS:
        return class_programs(catalog, target, budget, origin)
    return function_programs(catalog, target.path, budget, origin)


def constant_programs(view: Catalog, target: Target, budget: int, origin: str) -> list[Program]:
    """The constants sweep of one target, ``budget`` calls in all: the recorded calls (and the
    calls of recorded object histories) with one place set to a value of ``view``'s constants
    (``Catalog.for_constants``). What the main sweep adds besides single changes (clock moves,
    one more method call) it has already tried, and is left out."""
    if target.kind == CLASS:
        return class_programs(view, target, budget, origin, changes_only=True)
    return function_programs(view, target.path, budget, origin)


def function_programs(catalog: Catalog, path: str, budget: int, origin: str) -> list[Program]:
    """Programs of single-change calls of a function, ``budget`` calls in all."""
    return call_programs(catalog, path, single_changes(catalog, path, budget), origin)


def call_programs(
    catalog: Catalog, path: str, bounds: Iterable[Bound], origin: str
) -> list[Program]:
    """Calls of a function as programs of up to ``_BATCH_CALLS`` independent calls each
    (those that cannot be laid out as a call are left out)."""
    steps = [catalog.step(CALL, path, bound, None) for bound in bounds]
    kept = [s for s in steps if s is not None]
    return [
        Program(tuple(kept[i : i + _BATCH_CALLS]), origin)
        for i in range(0, len(kept), _BATCH_CALLS)
    ]


def single_changes(catalog: Catalog, path: str, budget: int) -> list[Bound]:
    signature = catalog.signatures.get(path)
    if signature is None:
        return []
    recorded = catalog.calls.get(path, [])
    if not recorded and any(p.required for p in signature.params):
        return []  # nothing to start from: hypothesis works from hints and strategies instead
    # Each starting call also with its optional arguments left out: tests often pass unusual
    # options (a report with top=0 hides the part that differs), callers mostly the defaults.
    bases = _varied(recorded or [{}])
    bases += [{k: v for k, v in b.items() if k in required_params(catalog, path)} for b in bases]
    # Each starting call's changes, its places taken in turn; the calls taken in turn too, so
    # a rich call's many places do not crowd out another call's few.
    streams = [interleave(_changes(catalog, path, base)) for base in _unique(bases)]
    return _unique(interleave(streams))[:budget]


def required_params(catalog: Catalog, path: str) -> set[str]:
    """The names of a function's parameters a call must pass."""
    signature = catalog.signatures.get(path)
    return {p.name for p in signature.params if p.required} if signature else set()


def _changes(catalog: Catalog, path: str, base: Bound) -> list[list[Bound]]:
    signature = catalog.signatures.get(path)
    assert signature is not None
    lists: list[list[Bound]] = []
    for param in signature.params:
        near = catalog.neighbours(path, param.name)
        value = base.get(param.name)
        if value is not None:
            if value[0] in ("ref", "double"):
                continue  # an object: its history is swept with its class (a double's world)
            lists += [[{**base, param.name: n} for n in place] for place in near.places(value)]
            if not param.required:
                lists.append([{k: v for k, v in base.items() if k != param.name}])
        elif param.default is not None and not param.variadic:
            others = [
                *near.variants(param.default),
                *catalog.pools.get((path, param.name), []),
                *catalog.named_elsewhere(path, param.name),
            ]
            lists.append([{**base, param.name: n} for n in others])
    return lists


def class_programs(
    catalog: Catalog, target: Target, budget: int, origin: str, changes_only: bool = False
) -> list[Program]:
    """Programs of recorded object histories with one change each, ``budget`` steps in all;
    ``changes_only``: only changes to the calls' arguments."""
    lists: list[list[tuple[Step, ...]]] = []
    if not changes_only:
        lists.append(_onto_boundaries(catalog, target))
    for lineage in lineage_bases(catalog, target):
        steps = lineage.program.steps
        for index, step in enumerate(steps):
            if not changes_only:
                lists += _world_changes(catalog, steps, index)
            signature = catalog.signatures.for_step(step)
            bound = signature.bind(step.args, step.kwargs) if signature else None
            if bound is None:
                continue
            for changed in _changes(catalog, step.target, bound):
                segments = []
                for new in changed:
                    replacement = catalog.step(step.kind, step.target, new, step.receiver)
                    if replacement is not None:
                        segments.append((*steps[:index], replacement, *steps[index + 1 :]))
                lists.append(segments)
        if not changes_only:
            lists.append(list(_one_more_call(catalog, target, lineage)))
    return pack_within(_unique_segments(interleave(lists)), budget, origin)


def pack_within(segments: Iterable[tuple[Step, ...]], budget: int, origin: str) -> list[Program]:
    """The segments, in order, until ``budget`` steps are taken, packed into programs."""
    chosen: list[tuple[Step, ...]] = []
    total = 0
    for segment in segments:
        if total >= budget:
            break
        chosen.append(segment)
        total += len(segment)
    return _pack(chosen, origin)


def _onto_boundaries(catalog: Catalog, target: Target) -> list[tuple[Step, ...]]:
    """Every recorded history (not only the bases) where the tests' clock moved to right
    next to one of the original's constants (61 s after a 60 s ban began), with that move
    made exactly the constant: a test's author stepping around a boundary is where the
    instant on it was left untested. Few, so they go first (each history once per move)."""
    constants = [c for c in (*catalog.literals.ints, *catalog.literals.floats) if c > 0]
    found = []
    for lineage in catalog.lineages(target.path):
        steps = lineage.program.steps
        for index, step in enumerate(steps):
            for setting in step.world:
                delta = doubles.recorded_move(steps, index, setting)
                if delta is None:
                    continue
                for constant in constants:
                    # Within one unit and a tenth of the constant: 61 next to 60, not 1 next to 2.
                    gap = abs(delta - constant)
                    if 0 < gap <= min(1, constant / 10):
                        changed = doubles.moved(steps, index, setting, constant - delta)
                        if changed is not None:
                            found.append(changed)
    return found


def _world_changes(
    catalog: Catalog, steps: tuple[Step, ...], index: int
) -> list[list[tuple[Step, ...]]]:
    """The recorded move of each numeric test double (a clock) into this step, changed to its
    neighbours and the delta pool's moves; later steps keep their own moves (``doubles``)."""
    out = []
    for setting in steps[index].world:
        delta = doubles.recorded_move(steps, index, setting)
        if delta is None:
            continue
        segments = []
        for other in doubles.delta_variants(delta, catalog.deltas):
            changed = doubles.moved(steps, index, setting, other - delta)
            if changed is not None:
                segments.append(changed)
        out.append(segments)
    return out


def lineage_bases(catalog: Catalog, target: Target) -> list[Lineage]:
    """The recorded object histories a class's sweeps start from (a few, varied), or fresh
    constructions from its recorded calls when no history was recorded."""
    lineages = sorted(
        catalog.lineages(target.path), key=lambda li: (li.program.size(), li.program.key)
    )
    if lineages:
        return _varied_lineages(lineages)
    fresh = []
    for bound in _varied(catalog.calls.get(target.path, []) or [{}]):
        step = catalog.step(NEW, target.path, bound, None)
        if step is not None:
            fresh.append(Lineage(Program((step,)), 0))
    return fresh


def _one_more_call(
    catalog: Catalog, target: Target, lineage: Lineage
) -> Iterable[tuple[Step, ...]]:
    """The object at the end of its history, each public method called on it once more."""
    for name in target.methods:
        path = f"{target.path}.{name}"
        for bound in (catalog.calls.get(path) or [{}])[:1]:
            step = catalog.step(METHOD, path, bound, lineage.index)
            if step is not None:
                yield (*lineage.program.steps, step)


def _pack(segments: Sequence[tuple[Step, ...]], origin: str) -> list[Program]:
    programs: list[Program] = []
    batch: list[tuple[Step, ...]] = []
    for segment in segments:
        if batch and sum(len(s) for s in batch) + len(segment) > _BATCH_STEPS:
            programs.append(Program(concatenate(batch), origin))
            batch = []
        batch.append(segment)
    if batch:
        programs.append(Program(concatenate(batch), origin))
    return programs


def _varied(calls: Sequence[Bound]) -> list[Bound]:
    """Up to a few calls: the simplest, then each that has a place the chosen ones lack, or a
    collection with more items there (two items can tie, or stand in another order)."""
    return _most_varied(calls, _shape)


def _shape(bound: Bound) -> set[tuple[str, str, str]]:
    shape = set()
    for name, value in bound.items():
        shape |= {(name, where, tag) for where, tag in values.leaves(value)}
        shape |= {(name, where, f"{min(count, 2)} items") for where, count in values.sizes(value)}
    return shape


def _varied_lineages(lineages: Sequence[Lineage]) -> list[Lineage]:
    """Up to a few object histories: the simplest, then each calling a method the others do not."""
    return _most_varied(lineages, lambda lineage: {s.target for s in lineage.program.steps})


def _most_varied(items: Sequence[T], features: Callable[[T], set[Any]]) -> list[T]:
    """The first (simplest) item, then each time the one adding the most features not yet
    covered (greedy set cover; ties go to the simpler), up to ``_BASES`` items."""
    if not items:
        return []
    found = [features(item) for item in items]
    chosen, covered = [0], set(found[0])
    while len(chosen) < min(_BASES, len(items)):
        gain, best = max((len(f - covered), -i) for i, f in enumerate(found) if i not in chosen)
        if gain == 0:
            break
        chosen.append(-best)
        covered |= found[-best]
    return [items[i] for i in chosen]


def _unique(found: Iterable[Bound]) -> list[Bound]:
    unique: dict[str, Bound] = {}
    for bound in found:
        unique.setdefault(values.key(sorted(bound.items())), bound)
    return list(unique.values())


def _unique_segments(found: Iterable[tuple[Step, ...]]) -> list[tuple[Step, ...]]:
    unique: dict[str, tuple[Step, ...]] = {}
    for segment in found:
        unique.setdefault(Program(segment).key, segment)
    return list(unique.values())
