"""Start a run's Python: what ``site`` gives any program, the run's importable distributions,
then the run's script or module as ``__main__``.

Usage: python -S -s -B [-P] start.py (-m MODULE | SCRIPT) ARGS...

Beside it, ``start.json``: ``{"paths": [site-packages dirs], "modules": [top-level names],
"distributions": [normalised names]}`` (see ``refactor_check/importable.py``). A file, not an
argument: the command line stays what a plain ``python SCRIPT ARGS...`` would show.

The interpreter is started without ``site`` (``-S``), so none of the grader's site-packages,
``.pth`` files or sitecustomize reach the run. A finder placed after the standard library's,
as site-packages would be, then finds the listed top-level modules in the listed directories
and nothing else there; their submodules come through their packages' ``__path__`` as usual.
``importlib.metadata`` sees the listed distributions only. Nothing is linked or copied into
the run directory, so code under test cannot write through it into the grader's installation.

With ``.audit.json`` beside it (runs that host a candidate's package), an audit hook goes in
first of all, before anything of the run is imported: see ``refactor_check/audit.py``.

Standard library only: nothing from refactor_check is importable here.
"""

from __future__ import annotations

import contextlib
import importlib.abc
import importlib.machinery
import importlib.metadata
import json
import os
import runpy
import site
import sys
from collections.abc import Iterable, Iterator
from importlib.machinery import ModuleSpec
from typing import Any


def _normalise(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


class _Gate(importlib.abc.MetaPathFinder):
    """Finds the run's importable top-level modules, and their distributions' metadata."""

    def __init__(
        self, paths: Iterable[str], modules: Iterable[str], distributions: Iterable[str]
    ) -> None:
        self.paths = list(paths)
        self.modules = frozenset(modules)
        self.distributions = frozenset(distributions)

    def find_spec(
        self, fullname: str, path: object = None, target: object = None
    ) -> ModuleSpec | None:
        if path is not None or fullname not in self.modules:
            return None  # a submodule is found through its package's __path__
        return importlib.machinery.PathFinder.find_spec(fullname, self.paths)

    def find_distributions(
        self, context: importlib.metadata.DistributionFinder.Context | None = None
    ) -> Iterator[importlib.metadata.Distribution]:
        context = context or importlib.metadata.DistributionFinder.Context()
        name = getattr(context, "name", None)
        if name is not None and _normalise(name) not in self.distributions:
            return iter(())
        here = importlib.metadata.DistributionFinder.Context(name=name, path=self.paths)
        found = importlib.metadata.MetadataPathFinder.find_distributions(here)
        return (d for d in found if _normalise(d.metadata["Name"] or "") in self.distributions)


def _install_audit(here: str, config: dict[str, Any]) -> None:
    """Report the package's own sensitive operations on the parent's pipe as they happen.

    Everything the hook needs is bound here, as defaults and closure cells, so code that
    later replaces ``os.write`` or ``json.dumps`` does not change what the hook does. A full
    pipe drops the report rather than blocking the run (the parent reads it at the end; the
    same event is reported once per process).
    """
    fd = config["fd"]
    os.set_blocking(fd, False)
    places: list[str] = []
    for name in config["modules"]:
        places.append(os.path.join(here, name) + os.sep)
        places.append(os.path.join(here, name + ".py"))
    prefixes = tuple(places)
    imports = frozenset(config["imports"])
    denied = tuple(config.get("denied", ()))
    events = frozenset(config["events"])
    seen: set[tuple[str, str, str, int]] = set()
    busy = [False]

    def hook(
        event: str,
        args: tuple[Any, ...],
        _getframe: Any = sys._getframe,
        _write: Any = os.write,
        _dumps: Any = json.dumps,
    ) -> None:
        if busy[0] or event not in events:
            return
        busy[0] = True
        try:
            frame = _getframe(1)
            if event == "import":
                # The frame that ran the import statement, below importlib's own.
                while frame is not None and frame.f_code.co_filename.startswith("<frozen"):
                    frame = frame.f_back
                name = str(args[0]) if args else ""
                detail = name.split(".", 1)[0]
                if name.startswith(denied):
                    detail = name
                elif detail in imports:
                    return
            elif event == "object.__getattr__" or event == "object.__setattr__":
                detail = str(args[1]) if len(args) > 1 else ""
            else:
                detail = ""
            if frame is None or not frame.f_code.co_filename.startswith(prefixes):
                return
            path = frame.f_code.co_filename[len(here) :].lstrip(os.sep)
            key = (event, detail, path, frame.f_lineno)
            if key in seen or len(seen) >= 256:
                return
            seen.add(key)
            record = {"event": event, "detail": detail[:200], "file": path, "line": frame.f_lineno}
            # A full or closed pipe: the parent has what was written before.
            with contextlib.suppress(OSError):
                _write(fd, (_dumps(record) + "\n").encode("utf-8", "replace"))
        finally:
            busy[0] = False

    sys.addaudithook(hook)


def main() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    audit = os.path.join(here, ".audit.json")
    if os.path.exists(audit):
        with open(audit, encoding="utf-8") as file:
            _install_audit(here, json.load(file))
    with open(os.path.join(here, ".start.json"), encoding="utf-8") as file:
        config = json.load(file)
    # What site would have given any program: the exit, quit, help, ... builtins.
    site.setquit()
    site.setcopyright()
    site.sethelper()
    sys.meta_path.append(_Gate(config["paths"], config["modules"], config["distributions"]))
    if sys.argv[1] == "-m":
        # sys.argv as ``python -m MODULE ARGS...`` leaves it (runpy sets argv[0]).
        del sys.argv[:2]
        runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
    else:
        # sys.argv as ``python SCRIPT ARGS...`` leaves it.
        del sys.argv[:1]
        runpy.run_path(sys.argv[0], run_name="__main__")


if __name__ == "__main__":
    main()
