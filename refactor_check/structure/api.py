"""The package's public API before and after, and the difference in words.

The public API is what callers import from the package: the names of its ``__all__``, else
every public name its top module defines or imports from the package itself (a name merely
imported from elsewhere, ``from collections.abc import Iterable``, is not the package's API),
each followed through the package's own imports to where it is defined. Functions carry their
signature; classes their constructor's signature and their public and special methods,
inherited ones from classes of the package included.

This is the report's reading, of both sides alike, and not the differential stage's
(``differential/surface.py``, griffe, read from the original): that one targets a few operator
methods rather than every special method, counts a name imported from a module beside the
package as outside it, and, without ``__all__``, takes what public submodules define. Each is
right for its question (what a caller can name, what the search can call); the report marks
which of its changes the running code confirmed.

Signatures compare by their parameters (names, kinds, defaults as written) and not by their
annotations: type hints a refactor adds change nothing a caller's call does. This is a static
reading: a constructor that a decorator writes (a dataclass) is unknown here, and a default
spelled as a constant computed at import (``qty=ONE``, ``ONE = len("x")``) reads as changed;
the differential stage confirms changes against the running code and reports the ones that
hold as ``api_changed`` findings, and the report marks each change with which it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import libcst as cst

from ..results.complexity import ADDED, CHANGED, REMOVED, ApiChange, ApiDiff
from ..sources import PackageSource
from .functions import module_name, signature

FUNCTION, CLASS, VALUE, EXTERNAL, MISSING = "function", "class", "value", "imported", "missing"
_TIGHT_EQUAL = cst.AssignEqual(
    whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
)
# How many imports a name may pass through before it is given up as a cycle.
_MAX_HOPS = 10


@dataclass(frozen=True)
class PublicName:
    name: str  # as callers write it: billing.compute_total, billing.InvoiceBook.add
    kind: str  # FUNCTION, CLASS, VALUE, EXTERNAL or MISSING
    signature: str | None = None  # functions, methods and class constructors
    defined_in: str | None = None  # the module that defines it (or the one it comes from)
    # The signature without annotations: what changes are judged by.
    parameters: str | None = None


@dataclass
class _Module:
    defs: dict[str, cst.CSTNode] = field(default_factory=dict)  # FunctionDef, ClassDef, value
    imports: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (module, name)
    stars: list[str] = field(default_factory=list)
    all: list[str] | None = None


def public_api(
    package: PackageSource, tops: tuple[str, ...] | None = None
) -> dict[str, PublicName]:
    """The public names of the top-level modules ``tops`` (default: the package alone). An
    exercise of several modules passes the original's for both sides: a module a candidate
    added beside them is not public API."""
    modules = _read_modules(package)
    api: dict[str, PublicName] = {}
    chosen = tops if tops is not None else (package.name,)
    for top in chosen:
        if top not in modules:
            continue
        # What one public module imports from another is that one's name, not a second one.
        others = frozenset(chosen) - {top}
        for name in _exported(modules[top], modules, others):
            for entry in _describe(f"{top}.{name}", name, top, modules):
                api[entry.name] = entry
    return api


def diff(before: dict[str, PublicName], after: dict[str, PublicName]) -> ApiDiff:
    changes: list[ApiChange] = []
    for name in sorted(before.keys() | after.keys()):
        old, new = before.get(name), after.get(name)
        if new is None or new.kind == MISSING:
            if old is not None and old.kind != MISSING:
                changes.append(ApiChange(name, REMOVED, _spell(old), None, f"{name} was removed"))
        elif old is None or old.kind == MISSING:
            changes.append(ApiChange(name, ADDED, None, _spell(new), f"{name} was added"))
        elif old.kind != new.kind or (
            # An unknown constructor is not a known change: the differential stage compares
            # the running classes.
            old.parameters != new.parameters and None not in (old.parameters, new.parameters)
        ):
            changes.append(
                ApiChange(
                    name,
                    CHANGED,
                    _spell(old),
                    _spell(new),
                    f"{name} changed from {_spell(old)} to {_spell(new)}",
                )
            )
    return ApiDiff(len(before), len(after), tuple(changes))


def _spell(entry: PublicName) -> str:
    if entry.kind == EXTERNAL:
        return f"a name imported from {entry.defined_in}"
    if entry.signature is not None:
        return f"{entry.kind} {entry.signature}"
    return f"a {entry.kind}"


def _exported(
    module: _Module, modules: dict[str, _Module], others: frozenset[str] = frozenset()
) -> list[str]:
    """A module's public names: its ``__all__``, else what it defines and imports from the
    code's own modules, but for the other public modules of ``others``."""
    if module.all is not None:
        return module.all
    own = [
        n
        for n, (source, _) in module.imports.items()
        if _within(source, modules) and not any(_in_module(source, o) for o in others)
    ]
    names = [*module.defs, *own]
    for star in module.stars:
        if star in modules:
            names.extend(_exported(modules[star], modules, others))
    return sorted({n for n in names if not n.startswith("_")})


def _within(source: str, modules: dict[str, _Module]) -> bool:
    """Whether an import's source module is one of the package's own modules."""
    return source in modules or any(m.startswith(source + ".") for m in modules)


def _in_module(source: str, top: str) -> bool:
    """Whether an import's source is the top-level module ``top`` or one of its submodules."""
    return source == top or source.startswith(top + ".")


def _describe(
    public: str, name: str, module: str, modules: dict[str, _Module]
) -> Iterator[PublicName]:
    node, where = _resolve(name, module, modules)
    if node is None:
        yield PublicName(public, MISSING if where is None else EXTERNAL, defined_in=where)
    elif isinstance(node, cst.FunctionDef):
        yield _callable(public, FUNCTION, node, where, modules[where or module])
    elif isinstance(node, cst.ClassDef):
        home = modules[where or module]
        methods = _methods(node, where or module, modules, set())
        # Without an __init__ of its own the constructor is inherited from outside or written
        # by a decorator (a dataclass): unknown here.
        yield _callable(public, CLASS, methods.get("__init__"), where, home)
        for method_name, method in sorted(methods.items()):
            if method_name != "__init__":
                yield _callable(f"{public}.{method_name}", FUNCTION, method, where, home)
    else:
        yield PublicName(public, VALUE, defined_in=where)


def _callable(
    public: str, kind: str, node: cst.FunctionDef | None, where: str | None, module: _Module
) -> PublicName:
    if node is None:
        return PublicName(public, kind, None, where)
    parameters = signature(_comparable(node, _literal_constants(module)))
    return PublicName(public, kind, signature(node), where, parameters)


def _comparable(node: cst.FunctionDef, constants: dict[str, cst.BaseExpression]) -> cst.FunctionDef:
    """The def as a caller meets it: no annotations, and a default spelled as a module
    constant bound to a literal (``qty=ONE_UNIT``, ``ONE_UNIT = 1``) spelled as the literal."""

    class Normalise(cst.CSTTransformer):
        def leave_Param(self, original: cst.Param, updated: cst.Param) -> cst.Param:
            default = updated.default
            if isinstance(default, cst.Name) and default.value in constants:
                default = constants[default.value]
            if default is None:
                return updated.with_changes(annotation=None)
            return updated.with_changes(annotation=None, default=default, equal=_TIGHT_EQUAL)

    params = node.params.visit(Normalise())
    return node.with_changes(params=params, returns=None)


def _literal_constants(module: _Module) -> dict[str, cst.BaseExpression]:
    """Module-level names bound once to a literal: ``ONE_UNIT = 1``, ``NO_TAGS = None``."""
    found: dict[str, cst.BaseExpression] = {}
    for name, node in module.defs.items():
        value: cst.BaseExpression | None = None
        if isinstance(node, cst.AnnAssign) or (
            isinstance(node, cst.Assign) and len(node.targets) == 1
        ):
            value = node.value
        if value is not None and _is_literal(value):
            found[name] = value
    return found


def _is_literal(value: cst.BaseExpression) -> bool:
    if isinstance(value, (cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString)):
        return True
    if isinstance(value, cst.Name):
        return value.value in ("None", "True", "False")
    if isinstance(value, cst.UnaryOperation):
        return isinstance(value.operator, cst.Minus) and _is_literal(value.expression)
    return False


def _resolve(
    name: str, module: str, modules: dict[str, _Module], hops: int = 0
) -> tuple[cst.CSTNode | None, str | None]:
    """(the defining node, its module); (None, source) for names from outside the package."""
    info = modules.get(module)
    if info is None or hops > _MAX_HOPS:
        return None, None
    if name in info.defs:
        return info.defs[name], module
    if name in info.imports:
        source, original = info.imports[name]
        if source in modules:
            return _resolve(original, source, modules, hops + 1)
        if f"{source}.{original}" in modules:  # from billing import invoice (a submodule)
            return None, f"{source}.{original}"
        return None, source
    for star in info.stars:
        node, where = _resolve(name, star, modules, hops + 1)
        if node is not None:
            return node, where
    return None, None


def _methods(
    node: cst.ClassDef, module: str, modules: dict[str, _Module], seen: set[str]
) -> dict[str, cst.FunctionDef]:
    """Public and special methods, a base class's (of this package) under the class's own."""
    methods: dict[str, cst.FunctionDef] = {}
    for base in node.bases:
        if isinstance(base.value, cst.Name) and base.value.value not in seen:
            parent, where = _resolve(base.value.value, module, modules)
            if isinstance(parent, cst.ClassDef):
                seen.add(base.value.value)
                methods.update(_methods(parent, where or module, modules, seen))
    body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
    for statement in body:
        if isinstance(statement, cst.FunctionDef):
            name = statement.name.value
            if not name.startswith("_") or (name.startswith("__") and name.endswith("__")):
                methods[name] = statement
    return methods


def _read_modules(package: PackageSource) -> dict[str, _Module]:
    modules: dict[str, _Module] = {}
    for source in package.files:
        if source.tree is None:
            continue
        name = module_name(source.path)
        is_package = source.path.endswith("__init__.py")
        modules[name] = _read_module(source.tree, name, is_package)
    return modules


def _read_module(tree: cst.Module, name: str, is_package: bool) -> _Module:
    info = _Module()
    for statement in tree.body:
        if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            info.defs[statement.name.value] = statement
        elif isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                _read_small(small, info, name, is_package)
    return info


def _read_small(
    small: cst.BaseSmallStatement, info: _Module, module: str, is_package: bool
) -> None:
    if isinstance(small, cst.ImportFrom):
        source = _absolute(small, module, is_package)
        if source is None:
            return
        if isinstance(small.names, cst.ImportStar):
            info.stars.append(source)
            return
        for alias in small.names:
            original = cst.Module([]).code_for_node(alias.name)
            bound = alias.evaluated_alias or original
            info.imports[bound] = (source, original)
    elif isinstance(small, cst.Import):
        for alias in small.names:
            dotted = cst.Module([]).code_for_node(alias.name)
            bound = alias.evaluated_alias or dotted.split(".")[0]
            info.imports[bound] = (dotted if alias.asname else bound, "")
    elif isinstance(small, (cst.Assign, cst.AnnAssign)):
        targets = (
            [t.target for t in small.targets] if isinstance(small, cst.Assign) else [small.target]
        )
        for target in targets:
            if isinstance(target, cst.Name):
                info.defs[target.value] = small
                if target.value == "__all__":
                    info.all = _string_list(small.value)


def _absolute(node: cst.ImportFrom, module: str, is_package: bool) -> str | None:
    dots = len(node.relative)
    named = cst.Module([]).code_for_node(node.module) if node.module is not None else ""
    if dots == 0:
        return named or None
    parts = module.split(".") if is_package else module.split(".")[:-1]
    if dots > 1:
        parts = parts[: len(parts) - (dots - 1)]
    return ".".join(p for p in [*parts, named] if p) or None


def _string_list(value: cst.BaseExpression | None) -> list[str] | None:
    """A literal list or tuple of strings (``__all__``); None for anything computed."""
    if not isinstance(value, (cst.List, cst.Tuple)):
        return None
    names: list[str] = []
    for element in value.elements:
        if not isinstance(element.value, cst.SimpleString):
            return None
        text = element.value.evaluated_value
        if not isinstance(text, str):  # a bytes literal names nothing
            return None
        names.append(text)
    return names
