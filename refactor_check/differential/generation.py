"""Where inputs come from: the catalog of what is known, and hypothesis's random programs.

The catalog binds every recorded call to parameter names (``signatures``) and keeps, per
parameter, the recorded values with a ``Neighbours`` for their neighbours; the recorded
histories of objects (lineages); and an exercise's own strategies. ``sweep`` walks it
systematically; ``Generator`` draws random programs from it for hypothesis, each argument
(in the order hypothesis shrinks towards): left out when optional, a recorded value with one
or two changes, an exercise's strategy, a value from the type hint, or the default with a
change. An argument that was an object of the package's classes is built by replaying how a
recorded test built one.

- A function's program calls it one to eight times in a row: a later call shows what an
  earlier one left behind (a mutable default shared between calls, a cache).
- A class's program starts from a recorded object's history (cut at some point) or from a
  fresh construction, then calls public methods in sequence, compared step by step: a
  stateful class runs in lockstep on both sides. When the history hands the package a
  numeric test double (a clock), each call may first move it by a drawn delta
  (``doubles.delta_pool``: 0, the recorded moves, the original's constants and neighbours).
"""

from __future__ import annotations

import copy
import importlib.util
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from ..errors import BadInputError
from . import doubles, hints, values
from .literals import Literals
from .neighbours import ConstantNeighbours, Neighbours
from .program import CALL, METHOD, NEW, Program, Step, concatenate
from .recording import Lineage, Recording, sample_key
from .signatures import Param, Signature, Signatures
from .surface import CLASS, FUNCTION, Target
from .values import Value

_POOL_SIZE = 80  # recorded values kept per parameter, the simplest first
_ELSEWHERE = 8  # values of a parameter of the same name elsewhere, offered for a left-out one
_MAX_CALLS = 8  # calls in one generated program for a function
_MAX_PROGRAM_STEPS = 40
_OMIT: Any = None  # a drawn "value" meaning: leave the argument out

UserStrategies = Mapping[str, Mapping[str, st.SearchStrategy[Value]]]
Bound = dict[str, Value]  # parameter name -> value (a call before it is laid out as arguments)


# One method call of a class program: (method path, drawn arguments, clock move before it).
_MethodCall = tuple[str, dict[str, Any], float]


def _still(path: str) -> Callable[[dict[str, Any]], _MethodCall]:
    return lambda drawn: (path, drawn, 0)


def _moved(path: str) -> Callable[[tuple[dict[str, Any], float]], _MethodCall]:
    return lambda drawn: (path, drawn[0], drawn[1])


@dataclass(frozen=True)
class ObjectArg:
    """An argument that is an object of the package: built by replaying a lineage."""

    lineage: Lineage


class Catalog:
    def __init__(
        self, signatures: Signatures, recording: Recording, literals: Literals, user: UserStrategies
    ) -> None:
        self.signatures = signatures
        self.recording = recording
        self.literals = literals
        self.user = user
        # Recorded calls per path: those that returned first (changes to a call that already
        # fails mostly meet the same failure), then the simplest.
        self.calls: dict[str, list[Bound]] = {}
        ranked: dict[str, list[tuple[bool, int, str, Bound]]] = {}
        pools: dict[tuple[str, str], dict[str, Value]] = {}
        for step in recording.samples:
            if any(values.doubles(v) for v in step.values()):
                continue  # a double without its test's world answers nothing (``doubles``)
            signature = signatures.for_step(step)
            bound = signature.bind(step.args, step.kwargs) if signature else None
            if bound is None:
                continue
            text = values.key([[k, v] for k, v in bound.items()])
            raised = sample_key(step) in recording.raising
            ranked.setdefault(step.target, []).append((raised, len(text), text, bound))
            for name, value in bound.items():
                pools.setdefault((step.target, name), {}).setdefault(values.key(value), value)
        for path, calls in ranked.items():
            self.calls[path] = [bound for *_, bound in sorted(calls, key=lambda c: c[:3])]
        self.pools = {
            where: sorted(found.values(), key=lambda v: (values.size(v), values.key(v)))[
                :_POOL_SIZE
            ]
            for where, found in pools.items()
        }
        # The values of each parameter name across the package, per function: a wrapper
        # passes an option on under its own name (``add(..., coupon=)`` to ``compute_total``),
        # and what the tests gave one of them is the likeliest value for the other.
        self._by_name: dict[str, list[tuple[str, Value]]] = {}
        for (path, name), found in sorted(self.pools.items()):
            self._by_name.setdefault(name, []).extend(
                (path, v) for v in found if v[0] not in ("none", "ref", "double")
            )
        self._neighbours: dict[tuple[str, str], Neighbours] = {}
        self._neighbours_type: type[Neighbours] = Neighbours
        self.object_params = _object_params(signatures, recording)
        # How far a numeric test double (a clock) may move between two calls.
        self.deltas = doubles.delta_pool(recording.programs, literals)

    def named_elsewhere(self, path: str, param: str) -> list[Value]:
        """Values recorded for a parameter of the same name of another function or method
        (not None, not objects), each once, the simplest first; at most ``_ELSEWHERE``."""
        own = {values.key(v) for v in self.pools.get((path, param), [])}
        found: dict[str, Value] = {}
        for where, value in self._by_name.get(param, []):
            if where != path and values.key(value) not in own:
                found.setdefault(values.key(value), value)
        ranked = sorted(found.values(), key=lambda v: (values.size(v), values.key(v)))
        return ranked[:_ELSEWHERE]

    def neighbours(self, path: str, param: str) -> Neighbours:
        where = (path, param)
        if where not in self._neighbours:
            pool = self.pools.get(where, [])
            self._neighbours[where] = self._neighbours_type(self.literals, pool)
        return self._neighbours[where]

    def for_constants(self, constants: Literals) -> Catalog:
        """The same calls, pools and objects, whose mutators offer only ``constants``'
        values (``ConstantNeighbours``): what the constants sweep changes calls with."""
        view = copy.copy(self)
        view.literals = constants
        view._neighbours = {}
        view._neighbours_type = ConstantNeighbours
        return view

    def lineages(self, class_path: str) -> tuple[Lineage, ...]:
        return self.recording.lineages.get(class_path, ())

    def step(
        self, kind: str, path: str, bound: Mapping[str, Value], receiver: int | None
    ) -> Step | None:
        """The call laid out as arguments; None when the values cannot make a call."""
        signature = self.signatures.get(path)
        call = signature.call(bound) if signature else None
        if call is None:
            return None
        return Step(kind, path, call[0], call[1], receiver if kind == METHOD else None)


class Generator:
    """hypothesis strategies of programs, per target."""

    def __init__(self, catalog: Catalog, max_steps: int) -> None:
        self.catalog = catalog
        self.max_steps = max_steps

    def strategy(self, target: Target, origin: str) -> st.SearchStrategy[Program] | None:
        """Programs exercising ``target``; None when no argument source covers it."""
        if target.kind == FUNCTION:
            call = self._call(target.path)
            if call is None:
                return None
            calls = st.lists(call, min_size=1, max_size=_MAX_CALLS)
            return calls.map(
                lambda drawn: self._program((), None, CALL, target.path, drawn, origin)
            )
        if target.kind == CLASS:
            return self._class_programs(target, origin)
        return None

    def untestable(self, target: Target) -> str | None:
        """Why no program can be generated for the target (for the report)."""
        if target.kind in (FUNCTION, CLASS) and self.catalog.signatures.get(target.path) is None:
            return "its signature cannot be read"
        if self.strategy(target, "") is None:
            return "no recorded call, hint or strategy gives its required arguments"
        return None

    def _class_programs(self, target: Target, origin: str) -> st.SearchStrategy[Program] | None:
        starts: list[st.SearchStrategy[tuple[tuple[Step, ...], int]]] = []
        lineages = self.catalog.lineages(target.path)
        if lineages:
            starts.append(st.sampled_from(lineages).flatmap(_prefixes))
        construct = self._call(target.path)
        if construct is not None:
            starts.append(construct.map(lambda drawn: self._fresh(target.path, drawn)))
        if not starts:
            return None
        # Only where a history has a double to move is a delta drawn: elsewhere the programs
        # (and so the verdicts for a seed) stay exactly what they were without doubles.
        moves = None
        if self.catalog.deltas and any(s.world for li in lineages for s in li.program.steps):
            moves = st.sampled_from(self.catalog.deltas)
        methods: list[st.SearchStrategy[_MethodCall]] = []
        for name in target.methods:
            path = f"{target.path}.{name}"
            call = self._call(path)
            if call is None:
                continue
            if moves is None:
                methods.append(call.map(_still(path)))
            else:
                methods.append(st.tuples(call, moves).map(_moved(path)))
        calls = st.lists(st.one_of(methods), max_size=self.max_steps) if methods else st.just([])
        return st.tuples(st.one_of(starts), calls).map(
            lambda parts: self._class_program(parts[0], parts[1], origin)
        )

    def _fresh(self, path: str, drawn: dict[str, Any]) -> tuple[tuple[Step, ...], int]:
        program = self._program((), None, NEW, path, [drawn], "")
        return program.steps, len(program.steps) - 1

    def _class_program(
        self,
        start: tuple[tuple[Step, ...], int],
        calls: list[_MethodCall],
        origin: str,
    ) -> Program:
        steps, receiver = start
        for path, drawn, delta in calls:
            before = len(steps)
            steps = self._program(steps, receiver, METHOD, path, [drawn], origin).steps
            if delta and len(steps) > before:
                # The tests' clock moves by ``delta`` just before this call.
                moved = doubles.advanced(doubles.current(steps[:-1]), delta)
                if moved:
                    steps = (*steps[:-1], replace(steps[-1], world=moved))
        return Program(steps[:_MAX_PROGRAM_STEPS], origin)

    def _call(self, path: str) -> st.SearchStrategy[dict[str, Any]] | None:
        signature = self.catalog.signatures.get(path)
        if signature is None:
            return None
        chosen: dict[str, st.SearchStrategy[Any]] = {}
        for param in signature.params:
            strategy = self._param(path, param)
            if strategy is None:
                if param.required:
                    return None
                continue
            chosen[param.name] = strategy
        return st.fixed_dictionaries(chosen).map(
            lambda d: {k: v for k, v in d.items() if v is not _OMIT}
        )

    def _param(self, path: str, param: Param) -> st.SearchStrategy[Any] | None:
        catalog = self.catalog
        options: list[st.SearchStrategy[Any]] = []
        pool = catalog.pools.get((path, param.name), [])
        if pool:
            near = catalog.neighbours(path, param.name)
            once = st.sampled_from(pool).flatmap(near.around)
            options.append(once.flatmap(near.around))  # up to two changes
        user = catalog.user.get(path, {}).get(param.name)
        if user is not None:
            options.append(user)
        label = catalog.object_params.get((path, param.name))
        if label and catalog.lineages(label):
            options.append(st.sampled_from(catalog.lineages(label)).map(ObjectArg))
        hint = hints.parse(param.annotation).strategy
        if hint is not None:
            options.append(hint)
        if not options and param.default is not None and not param.variadic:
            options.append(catalog.neighbours(path, param.name).around(param.default))
        if not options:
            return None
        strategy = st.one_of(options)
        return strategy if param.required else st.one_of(st.just(_OMIT), strategy)

    def _program(
        self,
        prefix: tuple[Step, ...],
        receiver: int | None,
        kind: str,
        path: str,
        calls: Sequence[dict[str, Any]],
        origin: str,
    ) -> Program:
        """Steps for the drawn calls of ``path`` after ``prefix``; objects passed as arguments
        are built first, by their recorded lineage."""
        steps = list(prefix)
        for drawn in calls:
            bound: Bound = {}
            for name, value in drawn.items():
                if isinstance(value, ObjectArg):
                    bound[name] = ["ref", len(steps) + value.lineage.index]
                    steps = list(concatenate([tuple(steps), value.lineage.program.steps]))
                else:
                    bound[name] = value
            step = self.catalog.step(kind, path, bound, receiver)
            if step is not None:
                steps.append(step)
        return Program(tuple(steps), origin)


def _prefixes(lineage: Lineage) -> st.SearchStrategy[tuple[tuple[Step, ...], int]]:
    """A recorded object's history cut after its making or any later step."""
    steps = lineage.program.steps
    return st.integers(lineage.index + 1, len(steps)).map(lambda k: (steps[:k], lineage.index))


def _object_params(signatures: Signatures, recording: Recording) -> dict[tuple[str, str], str]:
    out = {}
    for target, slot, label in recording.object_args:
        signature = signatures.get(target)
        if signature is None:
            continue
        name = slot[3:] if slot.startswith("kw:") else _positional_name(signature, int(slot))
        if name is not None:
            out[(target, name)] = label
    return out


def _positional_name(signature: Signature, index: int) -> str | None:
    positional = [
        p for p in signature.params if p.kind in ("positional_only", "positional_or_keyword")
    ]
    return positional[index].name if index < len(positional) else None


def load_strategies(path: Path | None) -> dict[str, dict[str, st.SearchStrategy[Value]]]:
    """An exercise's strategies file: ``STRATEGIES = {public path: {param: strategy}}`` of
    plain data, encoded here as the workers would encode it."""
    if path is None:
        return {}
    name = f"_refactor_check_strategies_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise BadInputError(f"strategies file {path} cannot be loaded")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        raise BadInputError(
            f"strategies file {path} failed to load: {type(exc).__name__}: {exc}"
        ) from None
    finally:
        sys.modules.pop(name, None)
    table = getattr(module, "STRATEGIES", None)
    if not isinstance(table, dict):
        raise BadInputError(
            f"strategies file {path} must define STRATEGIES = {{path: {{param: strategy}}}}"
        )
    out: dict[str, dict[str, st.SearchStrategy[Value]]] = {}
    for target, params in table.items():
        if not isinstance(target, str) or not isinstance(params, dict):
            raise BadInputError(
                f"strategies file {path}: STRATEGIES[{target!r}] must map names to strategies"
            )
        for param, strategy in params.items():
            if not isinstance(strategy, st.SearchStrategy):
                raise BadInputError(
                    f"strategies file {path}: {target}({param}) is not a hypothesis strategy"
                )
            out.setdefault(target, {})[str(param)] = strategy.map(values.encode_plain)
    return out
