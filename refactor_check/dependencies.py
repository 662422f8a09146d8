"""What code under test may import: the standard library, and what the exercise declares.

    [candidate]
    dependencies = []        # distributions the package may import (e.g. ["attrs>=23"])
    test_dependencies = []   # more that the candidate's tests may import, beside pytest

A verdict must not depend on what happens to be installed where refactor-check runs. The
grader's own environment holds libcst, rich, attrs, hypothesis and more; without a rule, a
candidate's ``import attrs`` would work on one machine and fail on another. So the integrity
scan reads every import the package makes (statically: nothing is run) and holds an import
of anything outside the standard library, the package itself and the declared distributions
against the candidate (``undeclared_import``), whether or not that module is installed here.
An import the original makes too is the exercise's own and never held against anyone.

Declared names are requirement strings as pip takes them; the modules a distribution
provides are read from its installed metadata when it is installed, else taken from its name
(``python-dateutil`` -> ``python_dateutil``; declare such a package's import name with
``imports``).
"""

from __future__ import annotations

import importlib.metadata
import re
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement

from .errors import BadInputError

TABLE = "candidate"
# Always importable: the future statements are part of the language.
_ALWAYS = frozenset({"__future__"})


@dataclass(frozen=True)
class Dependencies:
    package: tuple[str, ...] = ()  # requirement strings the package may import
    tests: tuple[str, ...] = ()  # further ones for the candidate's tests only
    imports: tuple[str, ...] = ()  # import names declared outright

    def package_imports(self) -> frozenset[str]:
        """Top-level import names the package may use beside the standard library."""
        names: set[str] = set(self.imports)
        for requirement in self.package:
            names |= import_names(Requirement(requirement).name)
        return frozenset(names)


def load(table: object, where: Path) -> Dependencies:
    """The exercise's ``[candidate]`` table, checked; every key is optional."""
    label = f"{where}: [{TABLE}]"
    if table is None:
        return Dependencies()
    if not isinstance(table, dict):
        raise BadInputError(f"{label} must be a table")
    known = ("dependencies", "test_dependencies", "imports")
    unknown = sorted(set(table) - set(known))
    if unknown:
        raise BadInputError(f"{label}: unknown setting {unknown[0]!r} (known: {', '.join(known)})")
    return Dependencies(
        package=_requirements(table.get("dependencies", []), f"{label} dependencies"),
        tests=_requirements(table.get("test_dependencies", []), f"{label} test_dependencies"),
        imports=_identifiers(table.get("imports", []), f"{label} imports"),
    )


def _requirements(value: Any, label: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise BadInputError(f"{label} must be a list of requirement strings")
    for text in value:
        try:
            Requirement(text)
        except InvalidRequirement as exc:
            reason = str(exc).splitlines()[0]  # packaging adds the text and a caret below
            raise BadInputError(
                f"{label}: {text!r} is not a requirement pip takes ({reason})"
            ) from None
    return tuple(value)


def _identifiers(value: Any, label: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(
        isinstance(v, str) and v.isidentifier() for v in value
    ):
        raise BadInputError(f"{label} must be a list of top-level import names")
    return tuple(value)


def is_standard_library(name: str) -> bool:
    """Whether the top-level module ``name`` ships with every Python this tool runs on."""
    return name in sys.stdlib_module_names or name in _ALWAYS


@cache
def import_names(distribution: str) -> frozenset[str]:
    """The top-level modules a distribution provides.

    From its metadata when installed (``top_level.txt``, else the first part of each file it
    installed), else its normalised name: the same answer for the common case either way.
    """
    guess = frozenset({re.sub(r"[-.]+", "_", distribution).lower()})
    try:
        found = importlib.metadata.distribution(distribution)
    except importlib.metadata.PackageNotFoundError:
        return guess
    top_level = found.read_text("top_level.txt")
    if top_level:
        return frozenset(line.strip() for line in top_level.splitlines() if line.strip()) | guess
    names = set(guess)
    for file in found.files or ():
        first = file.parts[0]
        if first.endswith((".dist-info", ".egg-info", ".data")) or first in ("..", "__pycache__"):
            continue
        stem = first.removesuffix(".py")
        if stem.isidentifier():
            names.add(stem)
    return frozenset(names)
