"""Public API comparison: griffe's breaking-change check, confirmed by the running code.

griffe reads both packages statically (``surface.load_tree``) and, with its public flags set
to this project's definition of public (``surface.mark_public``), lists what would break a
caller: removed names, removed, moved or newly required parameters, changed defaults,
removed base classes. Static reading has blind spots that would fail a clean refactor, so
each proposal is checked against what the workers see when the package is imported
(``describe``) and dropped when the running code disagrees:

- a dataclass or a decorator makes ``__init__``, ``__eq__``, ``__repr__`` griffe cannot see;
- a default written as a named constant (``prefix=DEFAULT_PREFIX``) reads as a change of
  the default's text although its value is the same;
- annotations added by the refactor (griffe compares return and attribute annotations):
  behaviour is what is compared, and values of constants are compared as calls.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import griffe

from ..results.differential import ApiChange
from . import surface, values

_ANNOTATION_ONLY = frozenset(
    {
        griffe.BreakageKind.RETURN_CHANGED_TYPE,
        griffe.BreakageKind.ATTRIBUTE_CHANGED_TYPE,
        # Values of public constants are read and compared by the differential search.
        griffe.BreakageKind.ATTRIBUTE_CHANGED_VALUE,
    }
)
_PARAMETER_KINDS = frozenset(
    {
        griffe.BreakageKind.PARAMETER_MOVED,
        griffe.BreakageKind.PARAMETER_REMOVED,
        griffe.BreakageKind.PARAMETER_CHANGED_KIND,
        griffe.BreakageKind.PARAMETER_CHANGED_DEFAULT,
        griffe.BreakageKind.PARAMETER_CHANGED_REQUIRED,
        griffe.BreakageKind.PARAMETER_ADDED_REQUIRED,
    }
)
_FAMILIES = {"function": "callable", "callable": "callable", "class": "class"}


@dataclass(frozen=True)
class Proposal:
    """A breaking change griffe reports, placed on the public path a caller uses."""

    path: str
    kind: str  # griffe's BreakageKind name, e.g. PARAMETER_REMOVED
    message: str
    file: str | None = None  # the candidate's file, relative to the submission root
    line: int | None = None


def propose(
    original: griffe.Object | griffe.Alias, candidate: griffe.Object | griffe.Alias
) -> tuple[list[Proposal], int]:
    """griffe's breaking changes on the public surface; and how many fell outside it."""
    surface.mark_public(original)
    old_index = _index(original)
    new_index = _index(candidate)
    proposals: list[Proposal] = []
    outside = 0
    for breakage in griffe.find_breaking_changes(original, candidate):
        if breakage.kind in _ANNOTATION_ONLY:
            continue
        path = _public_path(breakage.obj, old_index, new_index)
        if path is None:
            outside += 1
            continue
        file, line = _location(breakage, candidate)
        proposals.append(Proposal(path, breakage.kind.name, _message(breakage), file, line))
    unique = {(p.path, p.kind, p.message): p for p in proposals}
    return sorted(unique.values(), key=lambda p: (p.path, p.kind, p.message)), outside


def confirm(
    proposals: list[Proposal],
    original: Mapping[str, dict[str, Any]],
    original_again: Mapping[str, dict[str, Any]],
    candidate: Mapping[str, dict[str, Any]],
) -> list[ApiChange]:
    """The proposals the running code bears out. The facts map public paths to ``describe``
    items from the original's two workers and the candidate's; a path without facts (the
    candidate cannot be imported) keeps griffe's word."""
    changes = []
    for proposal in proposals:
        a, b, c = (facts.get(proposal.path) for facts in (original, original_again, candidate))
        if a is not None and c is not None and not _holds(proposal, a, b or a, c):
            continue
        changes.append(
            ApiChange(
                proposal.path,
                proposal.kind,
                proposal.message,
                original=describe_fact(proposal.path, a),
                candidate=describe_fact(proposal.path, c),
                file=proposal.file,
                line=proposal.line,
            )
        )
    return changes


def _holds(proposal: Proposal, a: dict[str, Any], b: dict[str, Any], c: dict[str, Any]) -> bool:
    if not a.get("exists"):
        return False  # griffe saw a name the original does not have when imported
    if not c.get("exists"):
        return True
    name = proposal.path.rpartition(".")[2]
    kind = proposal.kind
    if kind == "OBJECT_REMOVED":
        # Exists after all (generated, assigned dynamically); an operator method counts only
        # when the candidate's comes from the class itself, not from object.
        return (
            name.startswith("__")
            and bool(c.get("inherited_from_builtins"))
            and not bool(a.get("inherited_from_builtins"))
        )
    if kind == "OBJECT_CHANGED_KIND":
        return _family(a) != _family(c)
    if kind in {k.name for k in _PARAMETER_KINDS}:
        return _signature_shape(a, b) != _signature_shape(c, c)
    if kind == "CLASS_REMOVED_BASE":
        return not set(a.get("mro", [])[1:]) <= set(c.get("mro", []))
    return True


def _family(fact: dict[str, Any]) -> str:
    return _FAMILIES.get(str(fact.get("kind")), str(fact.get("kind")))


def _signature_shape(fact: dict[str, Any], again: dict[str, Any]) -> list[tuple[Any, ...]] | None:
    """What a caller can rely on of a signature: names, kinds, which have defaults and their
    values. A default whose value differs between the original's two runs (a sentinel
    ``object()``) counts by its presence only."""
    params = fact.get("signature")
    if params is None:
        return None
    other = {p[0]: p for p in again.get("signature") or []}
    shape = []
    for name, kind, has_default, default, _annotation in params:
        stable = name in other and other[name][3] == default
        shape.append(
            (name, kind, has_default, values.key(default) if has_default and stable else None)
        )
    return shape


def describe_fact(path: str, fact: dict[str, Any] | None) -> str:
    """One line for people: the signature or value a side has, or that it has none."""
    if fact is None:
        return "(unknown: the package could not be imported)"
    if not fact.get("exists"):
        return "(missing)"
    if fact.get("signature") is not None:
        params = []
        for name, kind, has_default, default, _annotation in fact["signature"]:
            prefix = {"var_positional": "*", "var_keyword": "**"}.get(kind, "")
            text = prefix + name
            if has_default:
                text += "=" + values.render(default, limit=40)
            params.append(text)
        return f"{path}({', '.join(params)})"
    if fact.get("kind") == "value":
        return f"{path} = {values.render(fact['value'], limit=200)}"
    return f"{path} ({fact.get('kind')})"


def _index(tree: griffe.Object | griffe.Alias) -> dict[str, str]:
    """Every path griffe may report an object under -> the public path a caller uses."""
    index: dict[str, str] = {}
    for public, obj in surface.public_objects(tree):
        for alias in (public, str(obj.path)):
            index.setdefault(alias, public)
        if obj.is_class:
            for name, member in _members(obj):
                index.setdefault(f"{obj.path}.{name}", f"{public}.{name}")
                index.setdefault(f"{public}.{name}", f"{public}.{name}")
                with contextlib.suppress(Exception):
                    index.setdefault(str(member.canonical_path), f"{public}.{name}")
    return index


def _members(cls: griffe.Object) -> list[tuple[str, Any]]:
    try:
        return sorted(cls.all_members.items())
    except Exception:
        return sorted(cls.members.items())


def _public_path(obj: Any, old: dict[str, str], new: dict[str, str]) -> str | None:
    for index in (old, new):
        for attr in ("path", "canonical_path"):
            with contextlib.suppress(Exception):
                found = index.get(str(getattr(obj, attr)))
                if found is not None:
                    return found
    return None


def _location(breakage: griffe.Breakage, candidate: Any) -> tuple[str | None, int | None]:
    """Where the change is in the candidate's package (for removals, nowhere)."""
    if breakage.kind is griffe.BreakageKind.OBJECT_REMOVED:
        return None, None
    obj = breakage.obj
    try:
        here, there = candidate.filepath, obj.filepath
        if not isinstance(here, Path) or not isinstance(there, Path):
            return None, None  # a namespace package spans several folders: no one file
        root = here.parent.parent if here.name == "__init__.py" else here.parent
        return there.relative_to(root).as_posix(), obj.lineno
    except Exception:
        return None, None


def _message(breakage: griffe.Breakage) -> str:
    kind = breakage.kind
    what = kind.value.lower()
    if kind in _PARAMETER_KINDS:
        param = breakage.old_value if breakage.old_value is not None else breakage.new_value
        text = f"parameter {getattr(param, 'name', '?')!r}: {what}"
        if kind is griffe.BreakageKind.PARAMETER_CHANGED_DEFAULT:
            text += f" ({breakage.old_value.default} -> {breakage.new_value.default})"
        elif breakage.details:
            text += f" ({breakage.details})"
        return text
    if kind is griffe.BreakageKind.OBJECT_CHANGED_KIND:
        return f"{what} (was a {breakage.old_value.value}, now a {breakage.new_value.value})"
    if kind is griffe.BreakageKind.CLASS_REMOVED_BASE:
        old = ", ".join(str(b) for b in breakage.old_value)
        new = ", ".join(str(b) for b in breakage.new_value)
        return f"{what} ({old} -> {new})"
    return what
