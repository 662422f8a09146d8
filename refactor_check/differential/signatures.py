"""Signatures of the original's public callables, as its running code reports them.

They bind recorded arguments to parameter names (the pools generation draws from, the types
seen per parameter) and turn chosen parameter values back into a call. They come from
``inspect.signature`` in the original's worker rather than from the source, so decorators and
dataclasses are seen as a caller sees them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .program import CALL, METHOD, NEW, Step
from .values import Value

POSITIONAL_ONLY = "positional_only"
POSITIONAL_OR_KEYWORD = "positional_or_keyword"
VAR_POSITIONAL = "var_positional"
KEYWORD_ONLY = "keyword_only"
VAR_KEYWORD = "var_keyword"
_POSITIONAL = (POSITIONAL_ONLY, POSITIONAL_OR_KEYWORD)


@dataclass(frozen=True)
class Param:
    name: str
    kind: str
    default: Value | None  # None: no default
    annotation: str | None

    @property
    def variadic(self) -> bool:
        return self.kind in (VAR_POSITIONAL, VAR_KEYWORD)

    @property
    def required(self) -> bool:
        return self.default is None and not self.variadic


@dataclass(frozen=True)
class Signature:
    path: str
    params: tuple[Param, ...]  # what a caller passes (no self)

    def by_name(self) -> dict[str, Param]:
        return {p.name: p for p in self.params}

    def arg_names(self, step: Step) -> list[str]:
        """A name for each argument of the step, positional first, for reports."""
        positional = [p.name for p in self.params if p.kind in _POSITIONAL]
        names = [
            positional[i] if i < len(positional) else f"args[{i}]" for i in range(len(step.args))
        ]
        return names + [k for k, _ in step.kwargs]

    def bind(
        self, args: tuple[Value, ...], kwargs: tuple[tuple[str, Value], ...]
    ) -> dict[str, Value] | None:
        """Parameter name -> value, as Python would bind the call; None when it would not."""
        positional = [p for p in self.params if p.kind in _POSITIONAL]
        var_positional = next((p for p in self.params if p.kind == VAR_POSITIONAL), None)
        var_keyword = next((p for p in self.params if p.kind == VAR_KEYWORD), None)
        bound: dict[str, Value] = {}
        extra_args: list[Value] = []
        for index, value in enumerate(args):
            if index < len(positional):
                bound[positional[index].name] = value
            elif var_positional is not None:
                extra_args.append(value)
            else:
                return None
        extra_kwargs: list[list[Value]] = []
        named = self.by_name()
        for name, value in kwargs:
            param = named.get(name)
            if param is not None and param.kind in (POSITIONAL_OR_KEYWORD, KEYWORD_ONLY):
                if name in bound:
                    return None
                bound[name] = value
            elif var_keyword is not None:
                extra_kwargs.append([["str", name], value])
            else:
                return None
        if extra_args and var_positional is not None:
            bound[var_positional.name] = ["tuple", extra_args]
        if extra_kwargs and var_keyword is not None:
            bound[var_keyword.name] = ["dict", extra_kwargs]
        if any(p.required and p.name not in bound for p in self.params):
            return None
        return bound

    def call(
        self, bound: Mapping[str, Value]
    ) -> tuple[tuple[Value, ...], tuple[tuple[str, Value], ...]] | None:
        """Arguments for the chosen values (a missing name takes its default); required
        parameters go by position, optional ones by keyword where the kind allows."""
        var_positional = next((p for p in self.params if p.kind == VAR_POSITIONAL), None)
        star = var_positional is not None and var_positional.name in bound
        positional = [p for p in self.params if p.kind in _POSITIONAL]
        # Everything up to the last positional-only value (or all, with *args) goes by position.
        by_position = {p.name for p in positional if p.kind == POSITIONAL_ONLY or star}
        last = max(
            (i for i, p in enumerate(positional) if p.name in bound and p.name in by_position),
            default=-1,
        )
        args: list[Value] = []
        kwargs: list[tuple[str, Value]] = []
        for index, param in enumerate(positional):
            if index <= last or (param.required and not kwargs):
                value = bound.get(param.name, param.default)
                if value is None:
                    return None
                args.append(value)
            elif param.name in bound:
                kwargs.append((param.name, bound[param.name]))
            elif param.required:
                return None
        if star and var_positional is not None:
            extra = bound[var_positional.name]
            if extra[0] not in ("tuple", "list"):
                return None  # ``*args`` takes a sequence: a changed value may not be one
            args += extra[1]
        for param in self.params:
            if param.kind == KEYWORD_ONLY and param.name in bound:
                kwargs.append((param.name, bound[param.name]))
            elif param.kind == KEYWORD_ONLY and param.required:
                return None
            elif param.kind == VAR_KEYWORD and param.name in bound:
                extra = bound[param.name]
                if extra[0] != "dict":
                    return None
                kwargs += [(k[1], v) for k, v in extra[1] if k[0] == "str"]
        return tuple(args), tuple(kwargs)


class Signatures:
    """Public path -> Signature, from the original's ``describe`` facts."""

    def __init__(self, facts: Mapping[str, dict[str, Any]]) -> None:
        self._by_path: dict[str, Signature] = {}
        for path, fact in facts.items():
            raw = fact.get("signature") if fact.get("exists") else None
            if raw is None:
                continue
            params = [
                Param(name, kind, default if has_default else None, annotation)
                for name, kind, has_default, default, annotation in raw
            ]
            if fact.get("method") and params:
                params = params[1:]  # self: the receiver
            self._by_path[path] = Signature(path, tuple(params))

    def get(self, path: str) -> Signature | None:
        return self._by_path.get(path)

    def paths(self) -> list[str]:
        return sorted(self._by_path)

    def for_step(self, step: Step) -> Signature | None:
        if step.kind in (CALL, METHOD, NEW):
            return self._by_path.get(step.target)
        return None  # GETATTR: no arguments

    def arg_names(self, step: Step) -> list[str]:
        signature = self.for_step(step)
        if signature is None:
            return [f"args[{i}]" for i in range(len(step.args))] + [k for k, _ in step.kwargs]
        return signature.arg_names(step)
