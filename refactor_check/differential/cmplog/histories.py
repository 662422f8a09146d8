"""An object's recorded history steered by what its steps compared.

One step at a time: its arguments (as ``derive``), or the answers of a test double in that
step (a clock's reading, an rng's draw) onto what the step compared them with, or a clock's
recorded move shifted so that an elapsed time meets its limit. A rounding or a tie also
steers the steps before it: what a later step rounds or sorts was mostly passed in before.
"""

from __future__ import annotations

import decimal
from collections.abc import Sequence
from dataclasses import replace

from .. import doubles, values
from ..generation import Catalog
from ..neighbours import interleave
from ..program import Step
from ..values import Value
from .derive import derive
from .log import ROUND, TIE, Comparison
from .numeric import NUMERIC, Number, as_number
from .places import ITEMS
from .steer import steer_value

_MAX_STEERING = 32  # logged comparisons of one step a clock's move is steered by
_ROUNDING_HISTORIES = 16  # histories one logged history's roundings may suggest


def steered_history(
    catalog: Catalog, steps: Sequence[Step], logs: Sequence[Sequence[Comparison]]
) -> list[tuple[Step, ...]]:
    """An object's recorded history with one step steered by what that step compared: an
    argument (as ``derive``), or the move of a numeric test double (a clock) into the step
    shifted by a comparison's gap, so that an elapsed time meets the limit it is compared
    with. The rest of the history stays as recorded.

    A rounding steers the arguments of its own step and of every step before it (what a
    later step rounds is mostly a total of what earlier steps passed in), and so does a tie
    (what a later step sorts was mostly passed in before: a quantity received). Such a
    history ends at the step that rounded or sorted, where the difference it aims at shows:
    the steps after it would spend the budget on nothing (a history is a large share of its
    target's budget, counted in steps). The histories a rounding suggests come first, a few
    from each step in turn (``_ROUNDING_HISTORIES`` in all)."""
    out: list[tuple[Step, ...]] = []
    rounded: list[list[tuple[Step, ...]]] = []
    for index, (step, log) in enumerate(zip(steps, logs, strict=False)):
        by_later: list[list[tuple[Step, ...]]] = []
        for end in range(index, len(logs)):
            rounding = [c for c in logs[end] if c.op == ROUND][:_MAX_STEERING]
            if rounding:
                by_later.append(_with_step_steered(catalog, steps[: end + 1], index, rounding))
        rounded.append(interleave(by_later))
        out += _with_step_steered(catalog, steps, index, [c for c in log if c.op != ROUND])
        for end in range(index + 1, len(logs)):
            ties = [c for c in logs[end] if c.op == TIE][:_MAX_STEERING]
            if ties:
                out += _with_step_steered(catalog, steps[: end + 1], index, ties)
        for at, setting in enumerate(step.world):
            move = doubles.recorded_move(steps, index, setting)
            for shift in _clock_shifts(move, log) if move is not None else []:
                moved = doubles.moved(steps, index, setting, shift)
                if moved is not None:
                    out.append(moved)
            for answers in steered_answers(setting.answers, log):
                world = (*step.world[:at], replace(setting, answers=answers), *step.world[at + 1 :])
                out.append((*steps[:index], replace(step, world=world), *steps[index + 1 :]))
    return [*interleave(rounded)[:_ROUNDING_HISTORIES], *out]


def _with_step_steered(
    catalog: Catalog, steps: Sequence[Step], index: int, log: Sequence[Comparison]
) -> list[tuple[Step, ...]]:
    """The history with step ``index``'s arguments steered by ``log`` (as ``derive``)."""
    step = steps[index]
    signature = catalog.signatures.for_step(step)
    bound = signature.bind(step.args, step.kwargs) if signature and log else None
    out: list[tuple[Step, ...]] = []
    for new in derive(bound, log) if bound is not None else []:
        changed = catalog.step(step.kind, step.target, new, step.receiver)
        if changed is not None:
            out.append((*steps[:index], replace(changed, world=step.world), *steps[index + 1 :]))
    return out


def steered_answers(answers: Sequence[Value], log: Sequence[Comparison]) -> list[tuple[Value, ...]]:
    """A test double's answers in one step with one answer steered by what the step compared.

    An answer the code compares as it came (an rng's draw against a rate, a clock's reading
    against a deadline) is set onto the other operand and one unit either side: the draw that
    lands exactly on the rate, which no recorded draw and no move by recorded deltas reaches in
    floating point. Only a *script* (an op answering several times in one step: an rng drawn
    per item) also has an answer moved by a comparison's gap or onto a remainder's multiple,
    as ``derive`` moves an argument; a single answer is a point on a time line, and moving it
    by a gap is what ``_clock_shifts`` does without breaking the line after it.
    """
    script = len(answers) > 1
    out: dict[str, tuple[Value, ...]] = {}
    for i, answer in enumerate(answers[:ITEMS]):
        if answer[0] not in (*NUMERIC, "str"):
            continue
        for c in log[:_MAX_STEERING]:
            exact = answer in (c.left, c.right) or as_number(answer) in _numbers(c)
            if not (exact or script):
                continue
            for new in steer_value(answer, c):
                if new != answer:
                    changed = (*answers[:i], new, *answers[i + 1 :])
                    out.setdefault(values.key(list(changed)), changed)
    return list(out.values())


def _numbers(c: Comparison) -> tuple[Number | None, ...]:
    return tuple(n for n in (as_number(c.left), as_number(c.right)) if n is not None)


def _clock_shifts(move: float | int, log: Sequence[Comparison]) -> list[float | int]:
    """Shifts of a recorded move that close a logged comparison's gap (and one unit either
    side of it, for whole numbers); a move never goes below zero (time does not run back)."""
    shifts: dict[float | int, None] = {}
    for c in log[:_MAX_STEERING]:
        a, b = as_number(c.left), as_number(c.right)
        if c.op in ("%", ROUND, TIE) or a is None or b is None:
            continue
        if isinstance(a, decimal.Decimal) or isinstance(b, decimal.Decimal):
            continue  # a clock's moves are floats: a Decimal gap is not one
        gap = b - a
        near = [gap - 1, gap, gap + 1] if isinstance(gap, int) else [gap]
        for shift in near:
            if shift != 0 and move + shift >= 0:
                shifts.setdefault(shift)
    return list(shifts)
