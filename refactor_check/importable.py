"""What an interpreter that hosts code under test can import: the standard library, and the
distributions a run needs, never the rest of the grader's environment.

Without this, the sandboxed interpreter would see every package installed beside
refactor-check (libcst, rich, attrs, ...), and a candidate's code could import one of them and
work here but fail on a machine where it is missing: the verdict would depend on where it ran.
So every run's interpreter starts without ``site`` (``-S``: no site-packages, no ``.pth``
files, no ``sitecustomize``), and ``sandbox/start.py`` gives it a finder that looks, after the
standard library, for the top-level modules of these and nothing else:

- pytest and hypothesis, which the tests need and refactor-check itself depends on (so they
  are the same on every machine that grades), with what they require;
- the distributions the exercise declares (``[candidate] dependencies`` and
  ``test_dependencies``, see ``dependencies``), with what they require;
- for a tool run through ``Runner.run_module`` (mutmut), that tool and what it requires.

The static half of the same rule is the integrity scan's ``undeclared_import``: an import the
package makes of anything else is a finding whether or not it is installed here.

Nothing is linked or copied into a run directory: a link there would let code under test
(without bubblewrap) write through it into the grader's installation.
"""

from __future__ import annotations

import importlib.metadata
import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement

from .dependencies import Dependencies

# What every run's tests may use: refactor-check's own dependencies, present wherever it is.
ALWAYS = ("pytest", "hypothesis")
# Top-level entries of an installed distribution that are not importable modules.
_NOT_MODULES = ("..", "__pycache__", "bin", "share", "include")


@dataclass(frozen=True)
class Importable:
    """What a run may import beyond the standard library, and where it is installed."""

    modules: tuple[str, ...] = ()  # top-level import names, sorted
    paths: tuple[str, ...] = ()  # the directories that hold them (site-packages), sorted
    distributions: tuple[str, ...] = ()  # normalised names, sorted
    missing: tuple[str, ...] = ()  # asked for but not installed here

    def to_json(self) -> str:
        """What ``sandbox/start.py`` reads from its command line."""
        return json.dumps(
            {
                "paths": list(self.paths),
                "modules": list(self.modules),
                "distributions": list(self.distributions),
            },
            sort_keys=True,
        )


def for_tests(declared: Dependencies | None = None) -> Importable:
    """What runs of tests and of the differential worker may import."""
    declared = declared or Dependencies()
    return _resolve((*ALWAYS, *declared.package, *declared.tests))


def with_tool(base: Importable, tool: str) -> Importable:
    """``base`` and the distribution that provides module ``tool`` (mutmut), with what it needs."""
    return _resolve((*base.distributions, *base.missing, tool))


@cache
def _resolve(requirements: tuple[str, ...]) -> Importable:
    found = _closure(sorted(set(requirements)))
    modules: set[str] = set()
    paths: set[str] = set()
    for distribution in (d for d in found.values() if d is not None):
        for entry in _top_level(distribution):
            # ``py.py``, ``pkg/``, ``_ext.cpython-311-x86_64-linux-gnu.so``: the import name
            # is what precedes the first dot.
            name = entry.name.split(".", 1)[0]
            if name.isidentifier():
                modules.add(name)
                paths.add(str(entry.parent))
    return Importable(
        modules=tuple(sorted(modules)),
        paths=tuple(sorted(paths)),
        distributions=tuple(sorted(n for n, d in found.items() if d is not None)),
        missing=tuple(sorted(n for n, d in found.items() if d is None)),
    )


def _closure(requirements: Iterable[str]) -> dict[str, importlib.metadata.Distribution | None]:
    """Each requirement and everything it requires (extras and markers as pip evaluates them
    here), by normalised name; None for one that is not installed."""
    found: dict[str, importlib.metadata.Distribution | None] = {}
    stack = [Requirement(r) for r in requirements]
    while stack:
        requirement = stack.pop()
        name = _normalise(requirement.name)
        if name in found:
            continue
        try:
            distribution: importlib.metadata.Distribution | None = importlib.metadata.distribution(
                requirement.name
            )
        except importlib.metadata.PackageNotFoundError:
            distribution = None
        found[name] = distribution
        if distribution is None:
            continue
        for text in distribution.requires or ():
            try:
                needed = Requirement(text)
            except InvalidRequirement:
                continue
            extras = requirement.extras or {""}
            if needed.marker is None or any(
                needed.marker.evaluate({"extra": extra}) for extra in extras
            ):
                stack.append(needed)
    return found


def _top_level(distribution: importlib.metadata.Distribution) -> list[Path]:
    """The installed top-level modules and packages of a distribution."""
    names: set[str] = set()
    for file in distribution.files or ():
        first = file.parts[0] if file.parts else ""
        if not first or first in _NOT_MODULES or first.endswith((".pth", "-info", ".data")):
            continue
        if len(file.parts) == 1 and not first.endswith((".py", ".so", ".pyd")):
            continue  # a loose file beside the modules (a licence, a typing marker)
        names.add(first)
    located = (Path(str(distribution.locate_file(name))) for name in sorted(names))
    return [path for path in located if path.exists()]


def _normalise(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")
