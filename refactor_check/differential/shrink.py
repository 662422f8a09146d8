"""Making a counterexample small: fewer steps, fewer arguments, smaller values.

hypothesis shrinks what it generated through its own choices; a recorded test's program (a
dozen calls with realistic data) needs shrinking of its own, and a generated one still
profits from a pass over the values themselves. Greedy and deterministic: try the candidates
simplest first, keep the first that still shows a difference at the same target, start
over; stop when nothing is accepted or the attempts are spent. Every candidate is re-run on
both sides (``still_fails``), so the result is a real counterexample, never a guess.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

from .program import Program, Step
from .values import Value

# Re-runs a program; the index of the step that still differs at the same target, or None.
StillFails = Callable[[Program], int | None]


def shrink(program: Program, failing: int, still_fails: StillFails, attempts: int) -> Program:
    current = program.truncated(failing)
    left = attempts
    while left > 0:
        for candidate in _candidates(current):
            if left <= 0:
                break
            left -= 1
            step = still_fails(candidate)
            if step is not None:
                current = candidate.truncated(step)
                break
        else:
            break  # no candidate was accepted: a local minimum
    return current


def _candidates(program: Program) -> Iterator[Program]:
    last = len(program.steps) - 1
    for index in range(last):
        smaller = program.without(index)
        if smaller is not None:
            yield smaller
    for index in range(last, -1, -1):
        step = program.steps[index]
        for k in range(len(step.kwargs)):
            yield program.with_step(
                index, _with_kwargs(step, step.kwargs[:k] + step.kwargs[k + 1 :])
            )
        for position, value in enumerate(step.args):
            for simpler in simplifications(value):
                args = (*step.args[:position], simpler, *step.args[position + 1 :])
                yield program.with_step(index, _with_args(step, args))
        for k, (name, value) in enumerate(step.kwargs):
            for simpler in simplifications(value):
                kwargs = (*step.kwargs[:k], (name, simpler), *step.kwargs[k + 1 :])
                yield program.with_step(index, _with_kwargs(step, kwargs))


def _with_args(step: Step, args: tuple[Value, ...]) -> Step:
    return replace(step, args=args)  # the rest (receiver, the doubles' world) kept


def _with_kwargs(step: Step, kwargs: tuple[tuple[str, Value], ...]) -> Step:
    return replace(step, kwargs=kwargs)


def simplifications(value: Value) -> Iterator[Value]:
    """Smaller versions of a value, the biggest cuts first; same types only (a shrunk input
    stays inside the domain the original one was in)."""
    tag = value[0]
    if tag in ("list", "tuple", "set", "frozenset"):
        items = value[1]
        for i in range(len(items)):
            yield [tag, items[:i] + items[i + 1 :]]
        for i, item in enumerate(items):
            for simpler in simplifications(item):
                yield [tag, [*items[:i], simpler, *items[i + 1 :]]]
    elif tag == "dict":
        pairs = value[1]
        for i in range(len(pairs)):
            yield ["dict", pairs[:i] + pairs[i + 1 :]]
        for i, (k, v) in enumerate(pairs):
            for simpler in simplifications(v):
                yield ["dict", [*pairs[:i], [k, simpler], *pairs[i + 1 :]]]
    elif tag == "str" and value[1]:
        text = value[1]
        yield ["str", ""]
        if len(text) > 2:
            yield ["str", text[: len(text) // 2]]
        if text != text.strip():
            yield ["str", text.strip()]
    elif tag == "int" and value[1] not in ("0", "1"):
        n = int(value[1])
        yield ["int", "0"]
        if abs(n) > 2:
            yield ["int", str(n // 2)]
    elif tag == "float" and value[1] not in ("0.0",):
        yield ["float", "0.0"]
