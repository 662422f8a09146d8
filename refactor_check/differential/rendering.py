"""Programs as the runnable Python a person can paste into a shell with the package
importable: one line per step, a variable for each result a later step uses, and each test
double as a small class whose answers are set between the steps (``doubles.Stage``)."""

from __future__ import annotations

import re
from dataclasses import replace

from . import values
from .doubles import Stage
from .program import GETATTR, METHOD, NEW, Program, Step
from .values import Value


def render(program: Program, show: tuple[int, int | None, str] | None = None) -> str:
    """Runnable Python: one line per step, a variable for each result used later.

    ``show`` = (step, argument position, name) binds that argument to a variable of that
    name and ends with it, so the state the call left it in is on screen; a position of
    None ends with the step's receiver's state instead. A counterexample then shows its
    difference by itself.
    """
    used = {d for s in program.steps for d in s.depends_on()}
    names: dict[int, str] = {}
    # The package's own name is taken: ``throttle = throttle.Throttle(...)`` would hide it.
    taken: set[str] = {s.target.partition(".")[0] for s in program.steps}
    stage = Stage(program.steps, taken)
    lines = stage.preamble()
    last = ""
    for index, step in enumerate(program.steps):
        lines += stage.before(step)
        step = stage.named(step)
        if show is not None and show[0] == index and show[1] is not None:
            step, bound = _bind_argument(step, show[1], show[2], taken)
            lines.append(bound)
            last = bound.split(" = ")[0]
        expr = _expression(step, names)
        if index in used:
            name = _variable(step, taken)
            names[index] = name
            lines.append(f"{name} = {expr}")
        else:
            lines.append(expr)
        if show is not None and show[0] == index and show[1] is None:
            receiver = step.receiver if step.receiver is not None else -1
            last = f"vars({names[receiver]})" if receiver in names else ""
    if last:
        lines.append(last)
    return "\n".join(lines)


def _bind_argument(step: Step, position: int, name: str, taken: set[str]) -> tuple[Step, str]:
    """The step with argument ``position`` replaced by a variable, and the line binding it."""
    everything = [*step.args, *(v for _, v in step.kwargs)]
    while name in taken:
        name += "_"
    taken.add(name)
    line = f"{name} = {values.render(everything[position])}"
    placeholder: Value = ["cut", "variable", name]
    if position < len(step.args):
        args = (*step.args[:position], placeholder, *step.args[position + 1 :])
        return replace(step, args=args), line
    k = position - len(step.args)
    kwargs = (*step.kwargs[:k], (step.kwargs[k][0], placeholder), *step.kwargs[k + 1 :])
    return replace(step, kwargs=kwargs), line


def _expression(step: Step, names: dict[int, str]) -> str:
    if step.kind == GETATTR:
        return step.target
    args = [values.render(v, names) for v in step.args]
    args += [f"{k}={values.render(v, names)}" for k, v in step.kwargs]
    if step.kind == METHOD:
        receiver = names.get(step.receiver or 0, f"<result of step {(step.receiver or 0) + 1}>")
        if step.method == "__call__":
            return f"{receiver}({', '.join(args)})"
        syntax = _OPERATORS.get((step.method, len(args)))
        if syntax is not None and not step.kwargs:
            return syntax.format(receiver, *args)
        return f"{receiver}.{step.method}({', '.join(args)})"
    return f"{step.target}({', '.join(args)})"


# How a caller writes an operator method: (name, number of arguments) -> format.
_OPERATORS = {
    ("__len__", 0): "len({0})",
    ("__iter__", 0): "iter({0})",
    ("__str__", 0): "str({0})",
    ("__bool__", 0): "bool({0})",
    ("__contains__", 1): "{1} in {0}",
    ("__getitem__", 1): "{0}[{1}]",
    ("__setitem__", 2): "{0}[{1}] = {2}",
    ("__delitem__", 1): "del {0}[{1}]",
    ("__eq__", 1): "{0} == {1}",
    ("__lt__", 1): "{0} < {1}",
    ("__le__", 1): "{0} <= {1}",
    ("__gt__", 1): "{0} > {1}",
    ("__ge__", 1): "{0} >= {1}",
    ("__add__", 1): "{0} + {1}",
    ("__sub__", 1): "{0} - {1}",
    ("__mul__", 1): "{0} * {1}",
}


def _variable(step: Step, taken: set[str]) -> str:
    base = step.target.rpartition(".")[2] if step.kind == NEW else "result"
    base = re.sub(r"(?<!^)(?=[A-Z])", "_", base).lower().strip("_") or "value"
    name, counter = base, 2
    while name in taken:
        name, counter = f"{base}{counter}", counter + 1
    taken.add(name)
    return name
