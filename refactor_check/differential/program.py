"""Programs: short sequences of calls, replayed identically on the original and the candidate.

A program is what one worker child runs from a fresh post-import state. Objects of the
package's own classes never cross as data: a step refers to an earlier step's result
(``["ref", i]``), and each side rebuilds the object by replaying the recorded constructor
and method calls with its own classes. A program renders as the runnable Python a person can
paste into a shell with the package importable::

    invoice_book = billing.InvoiceBook('INV', 1)
    invoice_book.add([{'sku': 'A', 'unit_price': '1.00'}], {'id': 'C1'}, '2024-01-01')
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from . import values
from .values import Value

CALL, NEW, METHOD, GETATTR = "call", "new", "method", "getattr"
KINDS = (CALL, NEW, METHOD, GETATTR)


@dataclass(frozen=True)
class Setting:
    """What a test double answers from this step on (see ``doubles``): ``op`` is "call"
    (calling it), ".name" (reading an attribute) or ".name()" (calling a method); one answer
    is a value every such call returns until the next setting, several are a script, in
    order, for this step alone."""

    double: int
    op: str
    answers: tuple[Value, ...]


@dataclass(frozen=True)
class Step:
    kind: str  # CALL a function, NEW a class, METHOD on an earlier result, GETATTR a constant
    target: str  # public path: "billing.compute_total", "billing.InvoiceBook.add"
    args: tuple[Value, ...] = ()
    kwargs: tuple[tuple[str, Value], ...] = ()
    receiver: int | None = None  # METHOD: the step whose result the method is called on
    # The state of the tests' objects the package sees during this step (a clock's time).
    world: tuple[Setting, ...] = ()

    @property
    def method(self) -> str:
        return self.target.rpartition(".")[2]

    def values(self) -> list[Value]:
        return [*self.args, *(v for _, v in self.kwargs)]

    def depends_on(self) -> set[int]:
        found = {self.receiver} if self.receiver is not None else set()
        for value in self.values():
            found |= values.refs(value)
        return found

    def renumbered(self, mapping: dict[int, int]) -> Step:
        return replace(
            self,
            args=tuple(values.map_refs(v, mapping) for v in self.args),
            kwargs=tuple((k, values.map_refs(v, mapping)) for k, v in self.kwargs),
            receiver=mapping[self.receiver] if self.receiver is not None else None,
        )


@dataclass(frozen=True)
class Program:
    steps: tuple[Step, ...]
    origin: str = "generated"  # "recorded: <test id>", "generated", "focus", ...

    @property
    def key(self) -> str:
        """Identity for caches: the steps only (the same calls from two origins are one)."""
        return json.dumps(self.request(), sort_keys=True, separators=(",", ":"))

    def request(self) -> list[dict[str, Any]]:
        """The steps as the worker reads them."""
        out = []
        for index, step in enumerate(self.steps):
            item: dict[str, Any] = {
                "index": index,
                "kind": step.kind,
                "target": step.target,
                "args": list(step.args),
                "kwargs": [[k, v] for k, v in step.kwargs],
            }
            if step.kind == METHOD:
                item["method"] = step.method
                item["receiver"] = ["ref", step.receiver]
            if step.world:
                item["world"] = [[s.double, s.op, list(s.answers)] for s in step.world]
            out.append(item)
        return out

    def truncated(self, last: int) -> Program:
        """Steps up to and including ``last``."""
        return replace(self, steps=self.steps[: last + 1])

    def without(self, index: int) -> Program | None:
        """The program minus one step, or None when a later step needs its result."""
        if any(index in s.depends_on() for s in self.steps[index + 1 :]):
            return None
        mapping = {i: (i if i < index else i - 1) for i in range(len(self.steps)) if i != index}
        steps = [s.renumbered(mapping) for i, s in enumerate(self.steps) if i != index]
        return replace(self, steps=tuple(steps))

    def with_step(self, index: int, step: Step) -> Program:
        steps = list(self.steps)
        steps[index] = step
        return replace(self, steps=tuple(steps))

    def size(self) -> int:
        return len(self.key)

    def render(self, show: tuple[int, int | None, str] | None = None) -> str:
        """Runnable Python: one line per step, a variable for each result used later.

        ``show`` = (step, argument position, name) binds that argument to a variable of that
        name and ends with it, so the state the call left it in is on screen; a position of
        None ends with the step's receiver's state instead. A counterexample then shows its
        difference by itself.
        """
        # Imported here: ``doubles`` builds on this module's steps.
        from .doubles import Stage

        used = {d for s in self.steps for d in s.depends_on()}
        names: dict[int, str] = {}
        # The package's own name is taken: ``throttle = throttle.Throttle(...)`` would hide it.
        taken: set[str] = {s.target.partition(".")[0] for s in self.steps}
        stage = Stage(self.steps, taken)
        lines = stage.preamble()
        last = ""
        for index, step in enumerate(self.steps):
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


def concatenate(parts: Iterable[tuple[Step, ...]]) -> tuple[Step, ...]:
    """Steps of several programs in a row, each part's refs renumbered to its new place."""
    out: list[Step] = []
    for part in parts:
        offset = len(out)
        mapping = {i: i + offset for i in range(len(part))}
        out.extend(s.renumbered(mapping) for s in part)
    return tuple(out)


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
