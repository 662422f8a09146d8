"""cc_total as the contract defines it: each function once, closures with their function."""

from __future__ import annotations

from pathlib import Path

from refactor_check import sources
from refactor_check.checks import complexity

from .conftest import write_files

SOURCE = """
def top(x):
    def inner(y):
        if y:
            return 1
        return 2
    if x:
        return inner(x)
    return 0


class Outer:
    def method(self, a):
        if a and a > 1:
            return 1
        return 2

    class Inner:
        def deep(self):
            for _ in range(3):
                pass
"""


def test_counts_each_function_once_with_closures(tmp_path: Path) -> None:
    write_files(tmp_path, {"pkg/__init__.py": "", "pkg/mod.py": SOURCE})
    package = sources.load_package(tmp_path, "pkg")
    assert package is not None
    summary = complexity.measure(package)
    by_name = {f.name: f.complexity for f in summary.per_function}
    # top: 2 of its own + 2 of its closure; method: if + and = 3; deep: for = 2.
    assert by_name == {"pkg.mod.top": 4, "pkg.mod.Outer.method": 3, "pkg.mod.Outer.Inner.deep": 2}
    assert summary.cc_total == 9
    assert summary.cc_max == 4 and summary.functions == 3


def test_unparseable_files_are_listed_not_counted(tmp_path: Path) -> None:
    write_files(tmp_path, {"pkg/__init__.py": "def f(:\n", "pkg/ok.py": "def g():\n    pass\n"})
    package = sources.load_package(tmp_path, "pkg")
    assert package is not None
    summary = complexity.measure(package)
    assert summary.unparsed == ("pkg/__init__.py",)
    assert summary.cc_total == 1
