"""What an interpreter that hosts code under test can import: the standard library, and the
distributions a run needs, never the rest of the grader's environment.

Without this, the sandboxed interpreter would see every package installed beside
refactor-check (libcst, rich, attrs, ...), and a candidate's code could import one of them and
work here but fail on a machine where it is missing: the verdict would depend on where it ran.
So every run's interpreter starts without ``site`` (``-S``: no site-packages, no ``.pth``
files, no ``sitecustomize``), and finds beyond the standard library only a folder of links,
``.site/`` in its run directory, to the top-level modules of:

- pytest and hypothesis, which the tests need and refactor-check itself depends on (so they
  are the same on every machine that grades), with what they require;
- the distributions the exercise declares (``[candidate] dependencies`` and
  ``test_dependencies``, see ``dependencies``), with what they require;
- for a tool run through ``Runner.run_module`` (mutmut), that tool and what it requires.

The static half of the same rule is the integrity scan's ``undeclared_import``: an import the
package makes of anything else is a finding whether or not it is installed here.
"""

from __future__ import annotations

import importlib.metadata
import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement

from .dependencies import Dependencies

# The folder of links in each run directory; neutral, and the same for every kind of run.
SITE_DIR = ".site"
# What every run's tests may use: refactor-check's own dependencies, present wherever it is.
ALWAYS = ("pytest", "hypothesis")
# Top-level entries of an installed distribution that are not importable modules.
_NOT_MODULES = ("..", "__pycache__", "bin", "share", "include")


@dataclass(frozen=True)
class Importable:
    """The site folder's entries: link name -> the installed file or directory it points at."""

    entries: tuple[tuple[str, str], ...] = ()
    distributions: tuple[str, ...] = ()  # normalised names, sorted
    missing: tuple[str, ...] = ()  # asked for but not installed here

    def populate(self, site: Path) -> Path:
        """Make ``site`` the folder of links (a fresh one: a run never sees another's)."""
        site.mkdir(parents=True, exist_ok=False)
        for name, target in self.entries:
            os.symlink(target, site / name)
        return site


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
    entries: dict[str, str] = {}
    for name in sorted(n for n, d in found.items() if d is not None):
        distribution = found[name]
        assert distribution is not None
        for entry in _top_level(distribution):
            # A name two distributions both provide (a namespace package) keeps the first:
            # the same choice on every machine, since the order is by distribution name.
            entries.setdefault(entry.name, str(entry))
    return Importable(
        entries=tuple(sorted(entries.items())),
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
    """The installed top-level modules, packages and metadata folder of a distribution."""
    names: set[str] = set()
    for file in distribution.files or ():
        first = file.parts[0] if file.parts else ""
        if not first or first in _NOT_MODULES or first.endswith(".pth"):
            continue
        names.add(first)
    located = (Path(str(distribution.locate_file(name))) for name in sorted(names))
    return [path for path in located if path.exists()]


def _normalise(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")
