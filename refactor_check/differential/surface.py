"""The public surface of a package, read statically with griffe (nothing is imported).

Public means: exported by the package (its ``__all__`` when it has one, else every name of
the top-level namespace without a leading underscore that is defined in the package, so an
``import datetime`` there is not API), and, when the package has no ``__all__``, whatever its
public submodules define (not merely import) without a leading underscore. Classes bring
their public methods, a few operator methods callers use through syntax (``len(book)``,
``book[n]``) and their constructor.

griffe's own notion differs in one way that matters here: it counts every submodule without
an underscore as public, even when the package's ``__all__`` says otherwise, so a refactor
that splits ``billing/invoice.py`` into three modules would "remove" ``billing.invoice``.
``mark_public`` sets griffe's per-object ``public`` flag from the definition above, and the
API check then runs griffe's breakage detection unchanged.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import griffe

from .. import ast_threads

# Operator methods a caller reaches through syntax; compared like public methods.
OPERATOR_METHODS = frozenset(
    {
        "__call__",
        "__len__",
        "__iter__",
        "__contains__",
        "__getitem__",
        "__setitem__",
        "__delitem__",
        "__str__",
        "__eq__",
        "__lt__",
        "__le__",
        "__gt__",
        "__ge__",
        "__add__",
        "__sub__",
        "__mul__",
        "__bool__",
    }
)
FUNCTION, CLASS, ATTRIBUTE = "function", "class", "attribute"


@dataclass(frozen=True)
class Target:
    """One public thing the stage calls or reads."""

    path: str  # how a caller names it: "billing.compute_total"
    kind: str  # FUNCTION, CLASS or ATTRIBUTE
    canonical: str  # where it is defined: "billing.invoice.compute_total" (mutation names)
    methods: tuple[str, ...] = ()  # CLASS: public methods and operator methods, sorted


@dataclass(frozen=True)
class Surface:
    package: str
    targets: tuple[Target, ...]
    has_all: bool
    # Every top-level module the surface was read from, ``package`` first (an exercise of
    # several modules); empty for one read from a single package.
    modules: tuple[str, ...] = ()

    def of_kind(self, kind: str) -> tuple[Target, ...]:
        return tuple(t for t in self.targets if t.kind == kind)

    def labels(self) -> tuple[str, ...]:
        """The public paths of the classes and functions, the names the workers label them
        by on every side (see ``_Labels`` in sandbox/diff_worker.py)."""
        return tuple(t.path for t in self.targets if t.kind in (CLASS, FUNCTION))

    def callables(self) -> list[str]:
        """Every path with a signature: functions, classes (constructors), their methods."""
        out: list[str] = []
        for target in self.targets:
            if target.kind == FUNCTION:
                out.append(target.path)
            elif target.kind == CLASS:
                out.append(target.path)
                out += [f"{target.path}.{m}" for m in target.methods]
        return out

    def to_json(self) -> dict[str, object]:
        """What the recorder wraps (sandbox/diff_worker.py, record mode)."""
        return {
            "package": self.package,
            "modules": list(self.modules or (self.package,)),
            "labels": list(self.labels()),
            "functions": [t.path for t in self.of_kind(FUNCTION)],
            "classes": {t.path: list(t.methods) for t in self.of_kind(CLASS)},
        }


def focus_targets(public: Surface, focus: Sequence[str]) -> set[str]:
    """Targets where the golden tests leave mutants alive. Mutation names functions by where
    they are defined ("billing.invoice.compute_total", "billing.invoice.Ledger.add"); a
    private helper's callers are most likely the public targets of its own module."""
    chosen: set[str] = set()
    for name in focus:
        direct = [
            t.path
            for t in public.targets
            if name == t.canonical or name.startswith(t.canonical + ".")
        ]
        if direct:
            chosen.update(direct)
            continue
        parts = name.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            module = ".".join(parts[:cut])
            near = [t.path for t in public.targets if t.canonical.rpartition(".")[0] == module]
            if near:
                chosen.update(near)
                break
    return chosen


def load_tree(root: Path, package: str) -> griffe.Object | griffe.Alias:
    """The package under ``root`` as griffe sees it, statically, from nowhere else."""
    with _quiet(), ast_threads.one_at_a_time():  # griffe compiles to ASTs: one thread at a time
        return griffe.load(
            package,
            search_paths=[root],
            try_relative_path=False,
            allow_inspection=False,
            resolve_aliases=True,
            resolve_external=False,
        )


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    logger = logging.getLogger("griffe")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def public_objects(tree: griffe.Object | griffe.Alias) -> list[tuple[str, griffe.Object]]:
    """(public path, resolved object) for every public name, in a stable order."""
    out: list[tuple[str, griffe.Object]] = []
    for path, member in _public_members(tree, top=True):
        resolved = _resolve(member)
        if resolved is not None:
            out.append((path, resolved))
    return out


def read(tree: griffe.Object | griffe.Alias) -> Surface:
    targets: dict[str, Target] = {}
    for path, obj in public_objects(tree):
        canonical = obj.path
        if canonical in targets:
            continue  # the same object under a second public name: call it once
        if obj.is_function:
            targets[canonical] = Target(path, FUNCTION, canonical)
        elif obj.is_class:
            targets[canonical] = Target(path, CLASS, canonical, _class_methods(obj))
        elif obj.is_attribute:
            targets[canonical] = Target(path, ATTRIBUTE, canonical)
    ordered = tuple(sorted(targets.values(), key=lambda t: t.path))
    return Surface(str(tree.name), ordered, has_all=tree.exports is not None)


def load_trees(root: Path, modules: Sequence[str]) -> dict[str, griffe.Object | griffe.Alias]:
    """Each of ``modules`` under ``root`` as griffe sees it; a module not there is left out."""
    return {
        name: load_tree(root, name)
        for name in modules
        if (root / name).is_dir() or (root / f"{name}.py").is_file()
    }


def read_all(trees: Sequence[griffe.Object | griffe.Alias]) -> Surface:
    """The surface of several top-level modules: each one's public names, the first module's
    name as the package's."""
    surfaces = [read(tree) for tree in trees]
    targets: dict[str, Target] = {}
    for one in surfaces:
        for target in one.targets:
            targets.setdefault(target.canonical, target)
    return Surface(
        surfaces[0].package,
        tuple(sorted(targets.values(), key=lambda t: t.path)),
        has_all=all(one.has_all for one in surfaces),
        modules=tuple(one.package for one in surfaces),
    )


def _class_methods(cls: griffe.Object) -> tuple[str, ...]:
    names = []
    for name, member in _all_members(cls):
        target = _resolve(member)
        if target is None or not target.is_function:
            continue
        if name in OPERATOR_METHODS or not name.startswith("_"):
            names.append(name)
    return tuple(sorted(names))


def mark_public(tree: griffe.Object | griffe.Alias) -> None:
    """Set griffe's ``public`` flags to this module's definition (see the docstring)."""
    public = {path for path, _ in _public_members(tree, top=True)}
    for path, member in _walk_modules(tree):
        if path == tree.path:
            continue
        if tree.exports is not None:
            member.public = path in public
        for name, child in list(member.members.items()):
            child_path = f"{path}.{name}"
            if child.is_alias and child_path in public:
                child.public = True


def _walk_modules(
    module: griffe.Object | griffe.Alias,
) -> Iterator[tuple[str, griffe.Object | griffe.Alias]]:
    yield module.path, module
    for _, member in sorted(module.members.items()):
        if not member.is_alias and member.is_module:
            yield from _walk_modules(member)


def _public_members(
    module: griffe.Object | griffe.Alias, top: bool
) -> Iterator[tuple[str, griffe.Object | griffe.Alias]]:
    package = str(module.path).split(".")[0]
    exports = module.exports
    if exports is not None:
        for name in (str(e) for e in exports):
            member = module.members.get(name)
            if member is not None and not (not member.is_alias and member.is_module):
                yield f"{module.path}.{name}", member
    else:
        for name, member in sorted(module.members.items()):
            if name.startswith("_") or (not member.is_alias and member.is_module):
                continue
            if isinstance(member, griffe.Alias):
                # Imported: public only when the package's own top level re-exports its own.
                target = str(member.target_path)
                if not top or not (target == package or target.startswith(package + ".")):
                    continue
            yield f"{module.path}.{name}", member
    if top and exports is None:
        for name, member in sorted(module.members.items()):
            if not member.is_alias and member.is_module and not name.startswith("_"):
                yield from _public_members(member, top=False)


def _all_members(cls: griffe.Object) -> list[tuple[str, griffe.Object | griffe.Alias]]:
    try:
        members = cls.all_members
    except Exception:  # a base class griffe cannot resolve: own members only
        members = cls.members
    return sorted(members.items())


def _resolve(member: griffe.Object | griffe.Alias) -> griffe.Object | None:
    if not isinstance(member, griffe.Alias):
        return member
    try:
        return member.final_target
    except Exception:  # an alias to something outside the package, or a broken one
        return None
