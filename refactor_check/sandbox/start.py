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

Standard library only: nothing from refactor_check is importable here.
"""

import importlib.abc
import importlib.machinery
import importlib.metadata
import json
import os
import runpy
import site
import sys


def _normalise(name):
    return name.lower().replace("_", "-").replace(".", "-")


class _Gate(importlib.abc.MetaPathFinder):
    """Finds the run's importable top-level modules, and their distributions' metadata."""

    def __init__(self, paths, modules, distributions):
        self.paths = list(paths)
        self.modules = frozenset(modules)
        self.distributions = frozenset(distributions)

    def find_spec(self, fullname, path=None, target=None):
        if path is not None or fullname not in self.modules:
            return None  # a submodule is found through its package's __path__
        return importlib.machinery.PathFinder.find_spec(fullname, self.paths)

    def find_distributions(self, context=None):
        context = context or importlib.metadata.DistributionFinder.Context()
        name = getattr(context, "name", None)
        if name is not None and _normalise(name) not in self.distributions:
            return iter(())
        here = importlib.metadata.DistributionFinder.Context(name=name, path=self.paths)
        found = importlib.metadata.MetadataPathFinder.find_distributions(here)
        return (d for d in found if _normalise(d.metadata["Name"] or "") in self.distributions)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
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
