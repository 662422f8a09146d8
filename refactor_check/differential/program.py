"""Programs: short sequences of calls, replayed identically on the original and the candidate.

A program is what one worker child runs from a fresh post-import state. Objects of the
package's own classes never cross as data: a step refers to an earlier step's result
(``["ref", i]``), and each side rebuilds the object by replaying the recorded constructor
and method calls with its own classes. A program renders (``rendering``) as the runnable
Python a person can paste into a shell with the package importable::

    invoice_book = billing.InvoiceBook('INV', 1)
    invoice_book.add([{'sku': 'A', 'unit_price': '1.00'}], {'id': 'C1'}, '2024-01-01')
"""

from __future__ import annotations

import json
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


def concatenate(parts: Iterable[tuple[Step, ...]]) -> tuple[Step, ...]:
    """Steps of several programs in a row, each part's refs renumbered to its new place."""
    out: list[Step] = []
    for part in parts:
        offset = len(out)
        mapping = {i: i + offset for i in range(len(part))}
        out.extend(s.renumbered(mapping) for s in part)
    return tuple(out)
