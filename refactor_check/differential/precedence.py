"""Error precedence: the same input's problems, reported in another order.

An input with several problems (a record with two required keys missing) makes a function
fail on whichever problem it checks first. A refactor may check in another order and fail on
another of the same problems: no caller can rely on which. The test, without knowing what the
problems are: repair the input one place at a time with values recorded at the same place (a
key added back, a value a test passed there), greedily following the original's reports; if
the original then raises exactly what the candidate raised, the candidate only reported a
later problem first. If the original instead stops raising, or nothing moves it, the candidate's
exception is its own: a real difference.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from . import values
from .compare import EXCEPTION, RAISED, Mismatch, StepObservation
from .generation import Catalog
from .neighbours import Neighbours, key_text
from .program import Program
from .values import Value

_ROUNDS = 5  # problems repaired one after another
_REPLACEMENTS = 3  # recorded values tried at one place

OriginalStep = Callable[[Program], StepObservation | None]


def reported_later(
    program: Program,
    mismatch: Mismatch,
    original_step: OriginalStep,
    catalog: Catalog,
    attempts: int,
) -> bool:
    wanted = mismatch.candidate.get(EXCEPTION)
    current_exception = mismatch.original.get(EXCEPTION)
    current = program.truncated(mismatch.step)
    for _ in range(_ROUNDS):
        moved = False
        for repaired in _repairs(current, catalog):
            attempts -= 1
            if attempts < 0:
                return False
            observation = original_step(repaired)
            if observation is None or observation.outcome != RAISED:
                continue
            exception = observation.get(EXCEPTION)
            if exception == wanted:
                return True
            if exception != current_exception:  # it got past the problem it reported
                current, current_exception, moved = repaired, exception, True
                break
        if not moved:
            return False
    return False


def _repairs(program: Program, catalog: Catalog) -> Iterator[Program]:
    """The program with its last step's arguments repaired at one place each."""
    index = len(program.steps) - 1
    step = program.steps[index]
    signature = catalog.signatures.for_step(step)
    bound = signature.bind(step.args, step.kwargs) if signature else None
    if bound is None:
        return
    for name, value in bound.items():
        near = catalog.neighbours(step.target, name)
        for repaired in _repaired_values(near, value, ""):
            new = catalog.step(step.kind, step.target, {**bound, name: repaired}, step.receiver)
            if new is not None:
                yield program.with_step(index, new)


def _repaired_values(near: Neighbours, value: Value, place: str) -> Iterator[Value]:
    tag = value[0]
    if tag == "dict":
        pairs = value[1]
        present = {values.key(k) for k, _ in pairs}
        for k, (key, recorded) in sorted(near.keys.get(place, {}).items()):
            if k not in present:
                yield ["dict", [*pairs, [key, recorded]]]
        for i, (key, inner) in enumerate(pairs):
            for repaired in _repaired_values(near, inner, f"{place}[{key_text(key)}]"):
                yield ["dict", [*pairs[:i], [key, repaired], *pairs[i + 1 :]]]
    elif tag in ("list", "tuple"):
        items = value[1]
        for i, item in enumerate(items):
            for repaired in _repaired_values(near, item, place + "[]"):
                yield [tag, [*items[:i], repaired, *items[i + 1 :]]]
    recorded = sorted(
        near.seen.get(place, {}).values(), key=lambda v: (values.size(v), values.key(v))
    )
    yield from (r for r in recorded[:_REPLACEMENTS] if r != value)
