"""Programs as the runnable Python a person can paste into a shell with the package
importable: one line per step, a variable for each result a later step uses, and each test
double as a small class whose answers are set between the steps (``_Doubles``)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from . import values
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
    doubles = _Doubles(program.steps, taken)
    lines = doubles.preamble()
    last = ""
    for index, step in enumerate(program.steps):
        lines += doubles.before(step)
        step = doubles.named(step)
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


class _Doubles:
    """The doubles of a program as runnable Python: a small class per double, an instance
    named after the parameter it was passed as, and its answers set between steps."""

    def __init__(self, steps: Sequence[Step], taken: set[str]) -> None:
        self.steps = steps
        self.ops: dict[int, dict[str, Value]] = {}  # double -> op -> first answer
        for step in steps:
            for setting in step.world:
                self.ops.setdefault(setting.double, {}).setdefault(setting.op, setting.answers[0])
            for value in step.values():
                for double in sorted(values.doubles(value)):
                    self.ops.setdefault(double, {})
        self.names: dict[int, str] = {}
        for double in sorted(self.ops):
            base = _parameter_name(steps, double) or "double"
            name, counter = base, 2
            while name in taken:
                name, counter = f"{base}{counter}", counter + 1
            taken.add(name)
            self.names[double] = name
        self.shown: dict[tuple[int, str], Value] = {}

    def preamble(self) -> list[str]:
        lines: list[str] = []
        for double, ops in sorted(self.ops.items()):
            name = self.names[double]
            cls = name[:1].upper() + name[1:]
            lines.append(f"class {cls}:  # stands in for the tests' object: answers as recorded")
            methods = [(op, "__call__" if op == "call" else op[1:-2]) for op in ops if "(" in op]
            methods += [(op, "__call__") for op in ops if op == "call"]
            for op, method in methods:
                field = _field(op)
                lines += [
                    f"    def {method}(self, *args, **kwargs):",
                    f"        return next(self.{field}) if hasattr(self.{field}, '__next__') "
                    f"else self.{field}",
                ]
            if not methods:
                lines.append("    pass")
            lines.append(f"{name} = {cls}()")
            for op, answer in ops.items():
                lines.append(f"{name}.{_field(op)} = {values.render(answer)}")
                self.shown[(double, op)] = answer
        return lines

    def before(self, step: Step) -> list[str]:
        """Lines setting what the doubles answer during ``step`` (changes only)."""
        lines = []
        for setting in step.world:
            where = (setting.double, setting.op)
            name = f"{self.names[setting.double]}.{_field(setting.op)}"
            if len(setting.answers) > 1:
                items = ", ".join(values.render(a) for a in setting.answers)
                lines.append(f"{name} = iter([{items}])")
                self.shown.pop(where, None)
            elif self.shown.get(where) != setting.answers[0]:
                lines.append(f"{name} = {values.render(setting.answers[0])}")
                self.shown[where] = setting.answers[0]
        return lines

    def named(self, step: Step) -> Step:
        """The step with each double shown as its variable."""
        if not self.names:
            return step
        return replace(
            step,
            args=tuple(self._name(v) for v in step.args),
            kwargs=tuple((k, self._name(v)) for k, v in step.kwargs),
        )

    def _name(self, value: Value) -> Value:
        if value[0] == "double" and value[1] in self.names:
            return ["cut", "variable", self.names[value[1]]]
        if not values.doubles(value):
            return value
        tag = value[0]
        if tag in ("list", "tuple", "set", "frozenset", "iterator"):
            return [tag, [self._name(v) for v in value[1]]]
        if tag == "dict":
            return ["dict", [[self._name(k), self._name(v)] for k, v in value[1]]]
        return value


def _field(op: str) -> str:
    """The attribute of the rendered double holding an op's answer."""
    if op == "call":
        return "returns"
    if op.endswith("()"):
        return f"{op[1:-2]}_returns"
    return op[1:]


def _parameter_name(steps: Sequence[Step], double: int) -> str | None:
    for step in steps:
        for name, value in step.kwargs:
            if value == ["double", double] and name.isidentifier():
                return name
    return None
