"""The input domain: the types each parameter was seen with, and what its hints admit.

A refactor keeps behaviour on the inputs callers give. For every parameter the recording
says which type sits at which place inside its values (``items[]['qty']`` was an int or a
str), and the default value counts as seen; a parameter no test gave anything but its
default has seen what parameters of the same name elsewhere in the package were given (the
sweep offers those). A difference that needs a value of a type never
seen at that place, and not admitted by the parameter's hints (bytes for a text parameter),
is outside the domain: reported as a warning, never as a finding. None, empty values and
other values of seen types (boundaries included) are inside. Parameters an exercise gives
its own strategies for admit whatever those produce.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from . import hints, values
from .program import Program, Step
from .signatures import Signatures

# Objects of the package and the tests' own objects (doubles) are no type a caller varies.
_ALWAYS = frozenset({"none", "ref", "double"})


@dataclass
class Domain:
    seen: dict[tuple[str, str], set[tuple[str, str]]] = field(default_factory=dict)
    admitted: dict[tuple[str, str], frozenset[str] | None] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        signatures: Signatures,
        samples: Iterable[Step],
        open_params: Iterable[tuple[str, str]] = (),
    ) -> Domain:
        domain = cls()
        by_name: dict[str, set[tuple[str, str]]] = {}
        varied: set[tuple[str, str]] = set()  # given something other than its default
        for step in samples:
            signature = signatures.for_step(step)
            bound = signature.bind(step.args, step.kwargs) if signature else None
            defaults = {p.name: p.default for p in signature.params} if signature else {}
            for name, value in (bound or {}).items():
                leaves = set(values.leaves(value))
                domain.seen.setdefault((step.target, name), set()).update(leaves)
                if value != defaults.get(name):
                    varied.add((step.target, name))
                    by_name.setdefault(name, set()).update(leaves)
        for path in signatures.paths():
            signature = signatures.get(path)
            assert signature is not None
            for param in signature.params:
                where = (path, param.name)
                if where not in varied:
                    # No test gave it anything but its default: what a parameter of the same
                    # name was given elsewhere is its domain too (a wrapper passing it on).
                    domain.seen.setdefault(where, set()).update(by_name.get(param.name, ()))
                if param.default is not None:
                    domain.seen.setdefault(where, set()).update(values.leaves(param.default))
                domain.admitted[where] = (
                    hints.parse(param.annotation).admits if param.annotation else frozenset()
                )
        for where in open_params:
            domain.admitted[where] = None
        return domain

    def outside(self, program: Program, last: int, signatures: Signatures) -> str | None:
        """Why the program's steps up to ``last`` leave the domain, or None when they do not."""
        for step in program.steps[: last + 1]:
            signature = signatures.for_step(step)
            bound = signature.bind(step.args, step.kwargs) if signature else None
            for name, value in (bound or {}).items():
                reason = self._outside(step.target, name, value)
                if reason is not None:
                    return reason
        return None

    def _outside(self, target: str, name: str, value: values.Value) -> str | None:
        admitted = self.admitted.get((target, name), frozenset())
        if admitted is None:
            return None
        seen = self.seen.get((target, name), set())
        seen_tags = {tag for _, tag in seen}
        seen_places = {where for where, _ in seen}
        for where, tag in values.leaves(value):
            if tag in _ALWAYS or tag in admitted or (where, tag) in seen:
                continue
            if where not in seen_places and tag in seen_tags:
                continue  # a new place (a key seen nowhere), holding a type seen elsewhere
            kinds = ", ".join(sorted(t for w, t in seen if w == where)) or "nothing"
            return (
                f"{target}: argument {name!r}{where} is a {tag}; the recorded calls passed "
                f"{kinds} there and its hints do not admit a {tag}"
            )
        return None
