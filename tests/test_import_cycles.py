"""The package's modules import each other without a cycle.

A cycle makes a module impossible to load, test or change alone (the one it imports needs it
back), and hides as an import inside a function. Every import is read, at module level or
inside a function; only those under ``if TYPE_CHECKING:`` are left out (they never run).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import refactor_check

PACKAGE = Path(refactor_check.__file__).resolve().parent


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's modules ``name`` imports: ``from . import view`` is view alone (the
    package it lives in is already being imported), ``from .x import y`` is x."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    unchecked = {
        id(node)
        for branch in ast.walk(tree)
        if isinstance(branch, ast.If) and "TYPE_CHECKING" in ast.unparse(branch.test)
        for node in ast.walk(branch)
    }
    here = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in unchecked:
            continue
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here.split(".")[: len(here.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            submodules = [f"{source}.{alias.name}" for alias in node.names]
            named = [m for m in submodules if m in modules]
            out.update(named if len(named) == len(submodules) else [source, *named])
    # Importing a.b.c runs a/b/__init__.py first: what a package's __init__ imports is loaded
    # by every import of one of its modules.
    parents = {".".join(m.split(".")[:i]) for m in out for i in range(2, m.count(".") + 1)}
    return {m for m in out | parents if m in modules and m != name and not name.startswith(m + ".")}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        order[node] = low[node] = len(order)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in order:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], order[nxt])
        if low[node] == order[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in order:
            visit(node)
    return found


def test_no_module_of_the_package_imports_itself_through_others() -> None:
    modules = _modules()
    graph = {name: _imports(name, path, modules) for name, path in modules.items()}
    assert sum(len(edges) for edges in graph.values()) > 100  # the reader sees the imports
    assert _cycles(graph) == []


def test_the_reader_sees_a_cycle_through_an_import_inside_a_function(tmp_path: Path) -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]
    modules = {"refactor_check.x": Path(), "refactor_check.y": Path()}
    path = tmp_path / "x.py"
    path.write_text("def f():\n    from .y import thing\n", encoding="utf-8")
    assert _imports("refactor_check.x", path, modules) == {"refactor_check.y"}
    # Under ``if TYPE_CHECKING:`` an import never runs: no edge.
    path.write_text("if TYPE_CHECKING:\n    from .y import thing\n", encoding="utf-8")
    assert _imports("refactor_check.x", path, modules) == set()


def _closure(graph: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for nxt in graph[todo.pop()] - seen:
            seen.add(nxt)
            todo.append(nxt)
    return seen


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def test_the_results_layer_imports_nothing_outside_it() -> None:
    """What the checks hand on is plain data: loading it loads no engine (runner, workers,
    mutmut, libcst, radon), so the verdict and the writers can be changed and tested alone."""
    graph = _graph()
    layer = sorted(m for m in graph if m.startswith("refactor_check.results"))
    assert len(layer) >= 5  # the layer, and a module per check's outcome
    for module in layer:
        outside = {m for m in _closure(graph, module) if not m.startswith("refactor_check.results")}
        assert outside == set(), module


# What the Report and its writers may load besides the results layer and each other: the
# parts of a report that are decisions over results (the verdict, the scorecard and its
# gates), the history's data, which shard a report holds, the tool's version, the one error
# type, and the live display the terminal writer shares.
_BESIDE_RESULTS = {
    "refactor_check",
    "refactor_check.errors",
    "refactor_check.verdict",
    "refactor_check.scorecard",
    "refactor_check.level_gate",
    "refactor_check.history.model",
    "refactor_check.history.as_json",
    "refactor_check.sharding",
    "refactor_check.progress",
}
_WRITERS = (
    "report",
    "reports",
    "reports.html",
    "reports.json_report",
    "reports.junit",
    "reports.markdown",
    "reports.mutation_html",
    "reports.partial_report",
    "reports.show",
    "reports.stryker",
    "reports.terminal",
    "reports.view",
)


@pytest.mark.parametrize("writer", _WRITERS)
def test_the_report_and_its_writers_load_no_engine(writer: str) -> None:
    graph = _graph()
    loaded = _closure(graph, f"refactor_check.{writer}")
    engines = {
        m
        for m in loaded
        if not m.startswith(("refactor_check.results", "refactor_check.reports"))
        and m not in {*_BESIDE_RESULTS, "refactor_check.report"}
    }
    assert engines == set()


# Merge also joins batch outputs: the cohort's rows, its writers and the lock on an output
# folder are data and writers too.
_COHORT = {
    "refactor_check.batch",  # its __init__ imports nothing
    "refactor_check.batch.cohort",
    "refactor_check.batch.cohort_csv",
    "refactor_check.batch.cohort_html",
    "refactor_check.batch.cohort_json",
    "refactor_check.batch.gates",
    "refactor_check.batch.merge",
    "refactor_check.batch.output",
    "refactor_check.batch.ranking",
    "refactor_check.batch.rows",
    "refactor_check.batch.state",
    "refactor_check.outlock",
}


def test_merge_joins_reports_without_loading_an_engine() -> None:
    """Joining shards rescores from what the reports hold: nothing is measured or run again."""
    loaded = _closure(_graph(), "refactor_check.merge")
    engines = {
        m
        for m in loaded
        if not m.startswith(("refactor_check.results", "refactor_check.reports"))
        and m not in {*_BESIDE_RESULTS, *_COHORT, "refactor_check.report"}
    }
    assert engines == set()


def test_the_layer_check_sees_an_engine_behind_a_writer() -> None:
    graph = {
        "refactor_check.reports.html": {"refactor_check.scorecard"},
        "refactor_check.scorecard": {"refactor_check.checks.mutation"},
        "refactor_check.checks.mutation": {"refactor_check.runner"},
        "refactor_check.runner": set(),
    }
    assert _closure(graph, "refactor_check.reports.html") == {
        "refactor_check.scorecard",
        "refactor_check.checks.mutation",
        "refactor_check.runner",
    }
