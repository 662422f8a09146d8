"""The instrumented copies: a package with its comparisons logged and its decisions noted.

Every simple comparison is rewritten as a call to a hook (``a < b`` ->
``__rc_cmp__(a, b, "<")``, ``a in b`` -> ``__rc_in__(a, b, False)``, ``a % b`` ->
``__rc_mod__(a, b)``); the hooks, installed by ``diff_worker --cmplog``, compute exactly what
the expression did and log its operands when they are numbers or short strings. Rounding is
logged the same way, as a comparison of the value with the unit it is rounded to
(``x.quantize(q)`` -> ``__rc_qz__(x, q)``, ``round(x, n)`` -> ``__rc_round__(x, n)``). A sort
(``sorted(...)``, ``x.sort(...)``) logs each two neighbouring keys where they first differ, as
a *tie* to make (the order of equal keys is where a changed tie-break shows; a number also
negated, for a key of ``-count``), and a text method that looks for a substring
(``x.replace(a, b)``, ``x.startswith(a)``, ...) logs ``a in x``. Chained comparisons and
everything else are left as written. Each decision (``__rc_br__``) notes the way it went:
branch coverage of both versions.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from ... import sources
from ...sources import PackageSource
from ...workspace import copy_package
from .log import OPERATORS

BRANCH_HOOK = "__rc_br__"
SORT_HOOKS = ("__rc_sorted__", "__rc_sort__", "__rc_text__")
HOOKS = (
    "__rc_cmp__",
    "__rc_in__",
    "__rc_mod__",
    "__rc_qz__",
    "__rc_round__",
    BRANCH_HOOK,
    *SORT_HOOKS,
)
# Text methods whose first argument is searched for in the text: logged as ``in``.
_TEXT_METHODS = frozenset(
    {
        "replace",
        "startswith",
        "endswith",
        "find",
        "rfind",
        "index",
        "rindex",
        "count",
        "split",
        "rsplit",
        "partition",
        "rpartition",
        "removeprefix",
        "removesuffix",
    }
)


class _Rewriter(ast.NodeTransformer):
    """Rewrites comparisons into logging hooks and wraps each decision (the test of an ``if``,
    a ``while``, a conditional expression, a comprehension's ``if``) in ``__rc_br__``, which
    notes the way it went under a site named by the module and the test's position."""

    def __init__(self, module: str) -> None:
        self.module = module
        self.sites = 0  # decisions wrapped: each has two branches

    def _decision(self, test: ast.expr) -> ast.expr:
        self.sites += 1
        site = ast.Constant(f"{self.module}:{test.lineno}:{test.col_offset}")
        return _call(BRANCH_HOOK, [test, site], test)

    def _with_decision(self, node: ast.If | ast.While | ast.IfExp) -> ast.AST:
        self.generic_visit(node)
        node.test = self._decision(node.test)
        return node

    visit_If = visit_While = visit_IfExp = _with_decision

    def visit_comprehension(self, node: ast.comprehension) -> ast.AST:
        self.generic_visit(node)
        node.ifs = [self._decision(test) for test in node.ifs]
        return node

    def visit_Compare(self, node: ast.Compare) -> ast.expr:
        self.generic_visit(node)
        if len(node.ops) != 1:
            return node  # a chain evaluates its middle operand once: left as written
        op, right = node.ops[0], node.comparators[0]
        if type(op) in OPERATORS:
            name = OPERATORS[type(op)]
            return _call("__rc_cmp__", [node.left, right, ast.Constant(name)], node)
        if isinstance(op, (ast.In, ast.NotIn)):
            negated = ast.Constant(isinstance(op, ast.NotIn))
            return _call("__rc_in__", [node.left, right, negated], node)
        return node

    def visit_BinOp(self, node: ast.BinOp) -> ast.expr:
        self.generic_visit(node)
        if isinstance(node.op, ast.Mod):
            return _call("__rc_mod__", [node.left, node.right], node)
        return node

    def visit_Call(self, node: ast.Call) -> ast.expr:
        self.generic_visit(node)
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "quantize" and node.args:
            return _call("__rc_qz__", [func.value, *node.args], node, node.keywords)
        if (
            isinstance(func, ast.Name)
            and func.id == "round"
            and 1 <= len(node.args) <= 2
            and not node.keywords
            and not any(isinstance(a, ast.Starred) for a in node.args)
        ):
            return _call("__rc_round__", list(node.args), node)
        plain = not any(isinstance(a, ast.Starred) for a in node.args) and all(
            k.arg is not None for k in node.keywords
        )
        if isinstance(func, ast.Name) and func.id == "sorted" and len(node.args) == 1 and plain:
            return _call("__rc_sorted__", list(node.args), node, node.keywords)
        if isinstance(func, ast.Attribute) and func.attr == "sort" and not node.args and plain:
            return _call("__rc_sort__", [func.value], node, node.keywords)
        if isinstance(func, ast.Attribute) and func.attr in _TEXT_METHODS and node.args and plain:
            name = ast.Constant(func.attr)
            return _call("__rc_text__", [func.value, name, *node.args], node, node.keywords)
        return node


def _call(
    name: str, args: list[ast.expr], like: ast.expr, keywords: list[ast.keyword] | None = None
) -> ast.expr:
    call = ast.Call(ast.Name(name, ast.Load()), args, keywords or [])
    return ast.copy_location(call, like)


def instrument_text(text: str, module: str = "") -> tuple[str, int] | None:
    """The module with its simple comparisons logged and its decisions noted, and how many
    decisions it has; None when it cannot be rewritten."""
    try:
        tree = ast.parse(text)
        rewriter = _Rewriter(module)
        rewritten = ast.fix_missing_locations(rewriter.visit(tree))
        return ast.unparse(rewritten), rewriter.sites
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


@dataclass(frozen=True)
class Instrumented:
    package: PackageSource
    branches: int  # two per decision wrapped: what the package's branch coverage is out of


def instrument(package: PackageSource, root: Path) -> Instrumented | None:
    """A copy of ``package`` under ``root`` (a fresh directory) with every module rewritten;
    modules that cannot be rewritten stay as they are (their comparisons go unlogged)."""
    copy_package(package, root)
    sites = 0
    for source in package.files:
        rewritten = instrument_text(source.text, str(source.path))
        if rewritten is not None:
            target = root / source.path  # relative to the package's root, as copied
            target.write_text(rewritten[0] + "\n", encoding="utf-8")
            sites += rewritten[1]
    loaded = sources.load_package(root, package.name, package.module_names[1:])
    return Instrumented(loaded, 2 * sites) if loaded is not None else None
