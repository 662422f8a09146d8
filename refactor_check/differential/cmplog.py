"""Comparison feedback: inputs that make the code's own comparisons come out equal.

A boundary that only an exact coincidence reaches (a sum of several inputs equal to a limit,
a remainder of zero) is rarely hit by changing one recorded value to a neighbour. Fuzzers
reach such places by watching what the code compares (AFL++'s cmplog, libFuzzer's value
profile) and steering inputs onto the other operand. Here:

1. Both packages are copied with every simple comparison rewritten as a call to a hook
   (``a < b`` -> ``__rc_cmp__(a, b, "<")``, ``a in b`` -> ``__rc_in__(a, b, False)``,
   ``a % b`` -> ``__rc_mod__(a, b)``); the hooks, installed by ``diff_worker --cmplog``,
   compute exactly what the expression did and log its operands when they are numbers or
   short strings. Rounding is logged the same way, as a comparison of the value with the unit
   it is rounded to (``x.quantize(q)`` -> ``__rc_qz__(x, q)``, ``round(x, n)`` ->
   ``__rc_round__(x, n)``). A sort (``sorted(...)``, ``x.sort(...)``) logs each two
   neighbouring keys where they first differ, as a *tie* to make (the order of equal keys is
   where a changed tie-break shows; a number also negated, for a key of ``-count``), and a
   text method that looks for a substring (``x.replace(a, b)``, ``x.startswith(a)``, ...)
   logs ``a in x``. Chained comparisons and everything else are left as written.
2. A few recorded calls per public function run on the instrumented copies; each call's log
   lists ``(op, a, b)``.
3. Each argument value of the call (and each item of a list or tuple argument) becomes
   candidates: the other operand (and one either side of it) where it equals one operand
   (input-to-state); itself moved by the operands' difference where it equals neither (a
   sum's part moved until the sum meets the limit); for ``a % b``, moved onto the multiples
   of ``b`` around it; for a rounding, moved (by the difference, or by the ratio for a
   factor) until the rounded value lies exactly half a unit between two roundings, where
   half-up and half-even part. A rounding also steers the earlier steps of an object's
   history, the fields of record arguments (dicts, lists of dicts) and numbers written as
   text: what is rounded is mostly a total of values passed in before; a tie steers the
   earlier steps too. Beyond those places, any number or text anywhere inside an argument
   (a nested record's field, a dict's key) that is exactly one operand takes the other
   (input-to-state at any depth), and a text searched in gains, or loses, what was looked
   for.
4. The copies also note which way each decision went (``__rc_br__``): branch coverage of
   both versions. The search goes in rounds (section 4): what a round derived is logged in
   turn, and what took a branch new to its target is steered again.
5. The derived calls run as ordinary programs on the compared workers, ``comparison_calls``
   per function: a count, derived from the recording and the code alone.

Trust: the candidate's log (its comparisons and its branches) comes from its own process and
can say anything. It only chooses which extra inputs, within this phase's own budget, are
tried: a forged log can make the search find less in this phase, never excuse what another
phase found.
"""

from __future__ import annotations

import ast
import contextlib
import decimal
import functools
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import TracebackType
from typing import Any, ClassVar, TypeVar

from .. import sources
from ..runner import Runner
from ..sources import PackageSource
from ..workspace import Workspace, copy_package
from . import doubles, sweep, values
from .generation import Bound, Catalog
from .neighbours import decimal_or_none, interleave
from .program import CALL, Program, Step
from .surface import CLASS, FUNCTION, Target
from .values import Value
from .workers import CANDIDATE, ORIGINAL, Side, worker_limits

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
ROUND = "round"  # a logged rounding: (value, the unit: a Decimal quantum or round()'s digits)
TIE = "tie"  # two neighbouring sort keys: (one key's first unequal part, the other's)
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
_OPERATORS: dict[type[ast.cmpop], str] = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
}
MAX_LOGGED = 256  # comparisons of one step read (diff_worker's _MAX_COMPARISONS)
SEEDS_PER_TARGET = 8  # recorded calls steered per function, whatever they reach
# Recorded calls run instrumented per function: beyond the first SEEDS_PER_TARGET, those
# that take a branch the others did not are steered too (a corpus kept for its coverage: the
# one legacy-mode call among many modern ones).
SEED_CANDIDATES = 64
_ITEMS = 8  # items of a list or tuple argument taken as places
_NUMERIC = ("int", "float", "Decimal")
_MAX_ABS = 10**12
_MAX_STEERING = 32  # logged comparisons of one step a clock's move is steered by
HISTORIES_PER_TARGET = 4  # recorded object histories steered per class, whatever they reach
HISTORY_CANDIDATES = 32  # run instrumented per class (as SEED_CANDIDATES)
_LOGGED_CALLS = 64  # a function's calls logged per round
# Calls per instrumented program, as many as the recorded calls round 0 logs together: a
# logging run's ceiling is per program, and a derived call may be slow (a count steered onto
# a large operand); a run cut short by a busy machine must lose as little as round 0's would.
_LOG_PACK = SEEDS_PER_TARGET
_LOGGED_HISTORIES = 16  # a class's histories logged per round
MAX_BRANCHES = 1024  # branches of one step read (diff_worker's _MAX_BRANCHES)
LOG_TIMEOUT_FACTOR = 5  # a logging run's ceiling, in call_timeouts: it runs several calls


# -- 1. the instrumented copies --------------------------------------------------------------


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
        if type(op) in _OPERATORS:
            name = _OPERATORS[type(op)]
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


# -- 2. the log ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    op: str  # "==", "<", ..., "in" (a substring), "%" (a remainder)
    left: Value
    right: Value


def parse_log(observation: object) -> list[Comparison]:
    """The comparisons of one step's observation, those of a valid shape (it is untrusted)."""
    found = observation.get("comparisons") if isinstance(observation, dict) else None
    out = []
    # The worker logs at most as many; a longer list is forged, and only its head is read.
    for entry in found[:MAX_LOGGED] if isinstance(found, list) else []:
        if (
            isinstance(entry, list)
            and len(entry) == 3
            and entry[0] in (*_OPERATORS.values(), "in", "%", ROUND, TIE)
            and all(_operand(x) for x in entry[1:])
        ):
            out.append(Comparison(entry[0], entry[1], entry[2]))
    return out


def _operand(value: object) -> bool:
    if not (
        isinstance(value, list)
        and len(value) == 2
        and isinstance(value[1], str)
        and len(value[1]) <= 100
    ):
        return False
    return value[0] == "str" or (value[0] in _NUMERIC and _number(value) is not None)


# -- 3. new inputs ---------------------------------------------------------------------------


def derive(bound: Bound, log: Sequence[Comparison]) -> list[Bound]:
    """Calls like ``bound`` with one value steered by one logged comparison, each once, the
    kinds taking turns (a budget that cuts the list still tries each kind's first): what a
    rounding suggests (at most ``_ROUNDING_CALLS``, searched into records), the call's own
    values steered, values deeper inside its arguments that are an operand
    (``_matched_deeper``), those scaled onto a limit (``_scaled_deeper``), and texts made
    as long as a limit their length is compared with (``_resized``)."""
    rounding = _distinct([c for c in log if c.op == ROUND])
    # Whole numbers of the call (a quantity), by which a rounded total may multiply a value.
    counts = sorted(
        {
            n
            for _, v, _ in _places(bound, True)
            if (n := _number(v)) and type(n) is int and 1 < n <= 1000
        }
    )[:4]
    others = [c for c in log if c.op != ROUND]
    streams: list[dict[str, Bound]] = [{}, {}, {}, {}, {}]
    _add_new(streams[0], _changed(bound, rounding, True, counts), _ROUNDING_CALLS)
    _add_new(streams[1], _changed(bound, others, False, ()))
    inside = _inside(bound)
    _add_new(streams[2], _matched_deeper(bound, inside, others))
    _add_new(streams[3], _scaled_deeper(bound, inside, others), _SCALED_CALLS)
    _add_new(streams[4], _resized(bound, inside, others), _RESIZED_CALLS)
    out: dict[str, Bound] = {}
    _add_new(out, interleave([list(stream.values()) for stream in streams]))
    return list(out.values())


def _changed(
    bound: Bound, log: Sequence[Comparison], deep: bool, counts: Sequence[int]
) -> Iterator[Bound]:
    """``bound`` with one place steered by one comparison, place by place."""
    for name, value, rebuild in _places(bound, deep):
        for comparison in log:
            for new in _steered(value, comparison, counts):
                if new != value:
                    yield {**bound, name: rebuild(new)}


def _add_new(out: dict[str, Bound], found: Iterable[Bound], most: int | None = None) -> None:
    """The calls ``out`` does not hold yet, ``most`` of them at the most (None: all)."""
    added = 0
    for changed in found:
        if most is not None and added >= most:
            return
        if out.setdefault(call_key(changed), changed) is changed:
            added += 1


_ROUNDING_CALLS = 16  # calls one logged call's roundings may suggest
_SCALED_CALLS = 16  # calls with a record's number scaled one logged call may suggest
_RESIZED_CALLS = 8  # calls with a text made longer or shorter one logged call may suggest
_MAX_RESIZED = 1024  # characters a text is made as long as, at the most
_MAX_RESIZED_ITEMS = 64  # items a list is made as long as, at the most


def _distinct(log: Sequence[Comparison]) -> list[Comparison]:
    return list({values.key([c.op, c.left, c.right]): c for c in log}.values())


def call_key(bound: Bound) -> str:
    """One text per distinct call (``values.key`` of its arguments)."""
    return values.key([[k, v] for k, v in bound.items()])


def _places(
    bound: Bound, deep: bool = False
) -> Iterator[tuple[str, Value, Callable[[Value], Value]]]:
    """(parameter, value, how to put a new value back) for each value and item of the call;
    ``deep``: also each field of a dict, as an argument or as an item (a record's amount)."""
    for name, value in bound.items():
        if value[0] in (*_NUMERIC, "str"):
            yield name, value, _itself
        elif value[0] in ("list", "tuple") and isinstance(value[1], list):
            for i, item in enumerate(value[1][:_ITEMS]):
                put = functools.partial(_with_item, value, i)
                if item[0] in (*_NUMERIC, "str"):
                    yield name, item, put
                elif deep and item[0] == "dict":
                    for inner, rebuild in _fields(item):
                        yield name, inner, _then(rebuild, put)
        elif deep and value[0] == "dict":
            for inner, rebuild in _fields(value):
                yield name, inner, rebuild


_Rebuild = Callable[[Value], Value | None]


@dataclass(frozen=True)
class _Inside:
    """What the deeper streams of ``derive`` walk, walked once per call."""

    # (parameter, value, how to put a new value back, whether it is a dict's key) for every
    # number and text inside the arguments that is not one of the call's own places.
    places: list[tuple[str, Value, _Rebuild, bool]]
    # The match keys of every value the call holds, its own places included.
    passed: frozenset[object]


def _inside(bound: Bound) -> _Inside:
    shallow = {id(value) for _, value, _ in _places(bound)}
    everywhere = [
        (name, value, rebuild, is_key)
        for name, argument in bound.items()
        for value, rebuild, is_key in _nested(argument, _itself, [_DEEP_PLACES])
    ]
    return _Inside(
        places=[place for place in everywhere if id(place[1]) not in shallow],
        passed=frozenset(key for _, value, _, _ in everywhere for key in _match_keys(value)),
    )


def _matched_deeper(bound: Bound, inside: _Inside, log: Sequence[Comparison]) -> Iterator[Bound]:
    """Input-to-state beyond the places ``_changed`` walks: a number or text anywhere inside
    an argument (a field of a nested record, a later item of a long list; a number written
    as text too) that is exactly one operand of a logged comparison takes the other operand,
    and one unit either side of it. What the code compared is often a value passed in deep
    inside a structure (a count in a summary's table). A dict's key is only searched in (an
    endpoint's name, a key of that table, gains the quote a CSV writer doubles): a key
    renamed onto another one the code looked up ("sku" onto "taxable") would hold a value of
    another field's type, an input no caller passes. Only exact matches: moving every nested
    number by every gap would flood the budget (``_scaled_deeper`` scales them, in a stream
    of its own)."""
    onto: dict[object, list[Value]] = {}  # what a value matched by its key may take
    searched: dict[object, list[Comparison]] = {}  # texts searched in, by their key
    for c in _distinct(log):
        if c.op == "%":
            continue  # a remainder is steered where it is, not matched
        if c.op == "in":
            for key in _match_keys(c.right):
                searched.setdefault(key, []).append(c)
            continue
        for mine, other in ((c.left, c.right), (c.right, c.left)):
            for key in _match_keys(mine):
                onto.setdefault(key, []).append(other)
    for name, value, rebuild, is_key in inside.places:
        for key in _match_keys(value):
            found = [new for c in searched.get(key, ()) for new in _steered_text(value, c)]
            if not is_key:
                found += [new for other in onto.get(key, ()) for new in _onto(value, other)]
            for new in found:
                rebuilt = rebuild(new) if new != value else None
                if rebuilt is not None:
                    yield {**bound, name: rebuilt}


def _scaled_deeper(bound: Bound, inside: _Inside, log: Sequence[Comparison]) -> Iterator[Bound]:
    """Each number inside an argument beyond the places ``_changed`` walks (a record's
    price), scaled so that the operand it is likeliest part of (a subtotal of prices, a
    discount of a subtotal) lands on the other operand, and passes it by one unit either
    way: a total of the call's numbers meets a limit it is compared with."""
    places = [
        (name, value, rebuild) for name, value, rebuild, is_key in inside.places if not is_key
    ]
    for c in _distinct(log):
        a, b = _number(c.left), _number(c.right)
        if c.op not in _OPERATORS.values() or not a or not b:
            continue
        # An operand the call passed in as it is (a quantity compared with 100) is steered by
        # the exact matches; only a comparison of two values the call does not hold is of a total.
        if ("number", a) in inside.passed or ("number", b) in inside.passed:
            continue
        for name, value, rebuild in places:
            for new in _scaled(value, a, b):
                rebuilt = rebuild(new) if new != value else None
                if rebuilt is not None:
                    yield {**bound, name: rebuilt}


def _resized(bound: Bound, inside: _Inside, log: Sequence[Comparison]) -> Iterator[Bound]:
    """Each text of the call (a field of a record too) whose length is exactly one operand of
    a logged comparison of whole numbers, made as long as the other operand and one
    character either side (its own characters repeated, or cut): ``len(desc) > 18`` is
    reached by a description of 18 and 19 characters, which no recorded one may have. A
    dict's key keeps its name, and a number written as text is left to the other streams.
    A list or tuple passed as an argument is resized the same way, its items repeated in
    order (``len(lines) > 20``), up to ``_MAX_RESIZED_ITEMS``."""
    lengths: dict[int, set[int]] = {}
    for c in _distinct(log):
        if c.op not in _OPERATORS.values() or c.left[0] != "int" or c.right[0] != "int":
            continue
        a, b = _number(c.left), _number(c.right)
        for mine, other in ((a, b), (b, a)):
            # A number the call passed in (a quantity compared with 100) is that number, not
            # a length: resizing texts that happen to be as long would spend the budget.
            if not isinstance(mine, int) or ("number", mine) in inside.passed:
                continue
            if isinstance(other, int) and mine > 0 and other >= 0:
                lengths.setdefault(mine, set()).add(other)
    if not lengths:
        return
    texts: list[tuple[str, Value, _Rebuild]] = list(_places(bound))
    texts += [(name, value, rebuild) for name, value, rebuild, key in inside.places if not key]
    for name, value, rebuild in texts:
        if value[0] != "str" or not value[1] or decimal_or_none(value[1]) is not None:
            continue
        for text in _resizings(value[1], lengths, _MAX_RESIZED):
            rebuilt = rebuild(["str", text])
            if rebuilt is not None:
                yield {**bound, name: rebuilt}
    for name, value in bound.items():
        if value[0] not in ("list", "tuple") or not isinstance(value[1], list) or not value[1]:
            continue
        for items in _resizings(value[1], lengths, _MAX_RESIZED_ITEMS):
            yield {**bound, name: [value[0], items]}


_Sized = TypeVar("_Sized", str, list[Any])


def _resizings(whole: _Sized, lengths: dict[int, set[int]], most: int) -> Iterator[_Sized]:
    """``whole`` repeated or cut to each limit its length is compared with, and one either
    side, up to ``most`` long."""
    for limit in sorted(lengths.get(len(whole), ())):
        for n in (limit, limit + 1, limit - 1):
            if 0 <= n <= most and n != len(whole):
                yield (whole * (n // len(whole) + 1))[:n]


_DEEP_PLACES = 256  # values inside one argument looked at below the call's own places


def _match_keys(value: Value) -> list[object]:
    """What a number or text matches by: numbers by value across int, float and Decimal (a
    quantity read from a Decimal still equals it), text by its characters, and a number
    written as text by both."""
    keys: list[object] = []
    number: Number | None
    if value[0] == "str":
        keys.append(("str", value[1]))
        number = decimal_or_none(value[1])
    else:
        number = _number(value)
    if number is not None:
        keys.append(("number", number))
    return keys


def _onto(value: Value, other: Value) -> list[Value]:
    """``other`` as a value of ``value``'s kind, and one unit either side of it (text stays
    text: a number written as text is written at its own scale)."""
    if value[0] == "str":
        if other[0] == "str":
            return [other]
        target, text = _number(other), decimal_or_none(value[1])
        if target is None or text is None or isinstance(target, float):
            return []
        return _at_scale(decimal.Decimal(target), text)
    mine, number = _number(value), _number(other)
    if mine is None or number is None:
        return []
    n = _alike([mine, number])[1]
    return _as(value, [n, *_beside(n, value)])


def _at_scale(target: decimal.Decimal, like: decimal.Decimal) -> list[Value]:
    """``target`` written as text with ``like``'s digits after the point, and one unit of
    the last digit either side (``"600.00"`` onto 500: ``"500.00"``, ``"499.99"``,
    ``"500.01"``); nothing when it would need rounding."""
    unit = decimal.Decimal(1).scaleb(like.as_tuple().exponent)  # type: ignore[arg-type]
    if unit < 1 and target != target.quantize(unit):
        return _written_like(["str", ""], [target])
    exact = target.quantize(unit) if unit < 1 else target
    return _written_like(["str", ""], [exact, exact - unit, exact + unit])


def _scaled(value: Value, a: Number, b: Number) -> list[Value]:
    """A number (or a number written as text) that is neither operand, scaled by ``b / a``
    and by one unit of ``a`` beyond it either way: if ``a`` is a sum of such numbers, it
    meets ``b``, and passes it by a unit. Exact Decimal arithmetic; a whole number stays
    whole (a quantity), text stays text."""
    number = _number(value) if value[0] != "str" else decimal_or_none(value[1])
    if number is None or not number or value[0] == "int":
        return []
    exact = decimal.Context(prec=28, traps=[decimal.Inexact, decimal.InvalidOperation])
    try:
        v, x, y = (
            n if isinstance(n, decimal.Decimal) else decimal.Decimal(repr(n))
            for n in (number, a, b)
        )
        if v in (x, y):
            return []
        unit = decimal.Decimal(1).scaleb(min(x.as_tuple().exponent, -2))  # type: ignore[arg-type]
        out: list[decimal.Decimal] = []
        for target in (y + unit, y - unit, y):
            with contextlib.suppress(decimal.Inexact, decimal.DivisionByZero):
                out.append(exact.divide(exact.multiply(v, target), x))
    except (decimal.InvalidOperation, OverflowError, ValueError):
        return []
    return _written_like(value, out)


def _nested(
    value: Value, rebuild: _Rebuild, room: list[int], key: bool = False
) -> Iterator[tuple[Value, _Rebuild, bool]]:
    """(value, how to put a new value back, whether it is a dict's key) for every number and
    text inside ``value``, depth first through lists, tuples, sets and dicts (keys and
    values), while ``room`` (a shared count) lasts. A dict key that would collide with
    another key is not put back (None)."""
    if room[0] <= 0:
        return
    room[0] -= 1
    tag = value[0]
    if tag in (*_NUMERIC, "str"):
        yield value, rebuild, key
    elif tag in ("list", "tuple", "set", "frozenset") and isinstance(value[1], list):
        for i, item in enumerate(value[1]):
            put = functools.partial(_with_item, value, i)
            yield from _nested(item, _then_maybe(put, rebuild), room)
    elif tag == "dict" and isinstance(value[1], list):
        pairs = value[1]
        for i, pair in enumerate(pairs):
            if not (isinstance(pair, list) and len(pair) == 2):
                continue
            put_key = functools.partial(_with_key, value, i)
            yield from _nested(pair[0], _then_maybe(put_key, rebuild), room, True)
            put_value = functools.partial(_with_field, value, i)
            yield from _nested(pair[1], _then_maybe(put_value, rebuild), room)


def _then_maybe(first: _Rebuild, second: _Rebuild) -> _Rebuild:
    def both(new: Value) -> Value | None:
        inner = first(new)
        return None if inner is None else second(inner)

    return both


def _with_key(record: Value, index: int, new: Value) -> Value | None:
    pairs = list(record[1])
    if any(values.key(p[0]) == values.key(new) for j, p in enumerate(pairs) if j != index):
        return None
    pairs[index] = [new, pairs[index][1]]
    return ["dict", pairs]


def _fields(record: Value) -> Iterator[tuple[Value, Callable[[Value], Value]]]:
    """(value, how to put a new value back) for each number or text field of a dict."""
    pairs = record[1] if isinstance(record[1], list) else []
    for i, pair in enumerate(pairs[:_ITEMS]):
        if isinstance(pair, list) and len(pair) == 2 and pair[1][0] in (*_NUMERIC, "str"):
            yield pair[1], functools.partial(_with_field, record, i)


def _with_field(record: Value, index: int, new: Value) -> Value:
    pairs = list(record[1])
    pairs[index] = [pairs[index][0], new]
    return ["dict", pairs]


def _then(
    first: Callable[[Value], Value], second: Callable[[Value], Value]
) -> Callable[[Value], Value]:
    return lambda new: second(first(new))


def _itself(new: Value) -> Value:
    return new


def _with_item(container: Value, index: int, new: Value) -> Value:
    items = list(container[1])
    items[index] = new
    return [container[0], items]


def _steered(value: Value, c: Comparison, counts: Sequence[int] = ()) -> list[Value]:
    if c.op == ROUND:
        return _steered_rounding(value, c, counts)
    if value[0] == "str":
        return _steered_text(value, c)
    numbers = (_number(value), _number(c.left), _number(c.right))
    if None in numbers:
        return []
    v, a, b = _alike(numbers)
    if c.op == "%":
        if b == 0:
            return []
        rest = a % b
        if rest == 0:
            return []
        return _as(value, [v - rest, v + (b - rest)])
    if v == a:
        return _as(value, [b, *_beside(b, value)])
    if v == b:
        return _as(value, [a, *_beside(a, value)])
    gap = b - a
    return _as(value, [v + gap, *_beside(v + gap, value)])


def _steered_text(value: Value, c: Comparison) -> list[Value]:
    """Text onto the other operand; for ``in`` (``left in right``, or a text method looking
    for ``left`` in ``right``), the text searched in with what was looked for added at its
    end and its start, or taken out where it was found (the other way the search goes)."""
    if c.op not in ("==", "!=", "in", TIE) or c.left[0] != "str" or c.right[0] != "str":
        return []
    text, left, right = value[1], c.left[1], c.right[1]
    if text == left:
        return [["str", right]]
    if text == right and c.op != "in":
        return [["str", left]]
    if text == right and left:
        if left in text:
            return [["str", text.replace(left, "", 1)]]
        return [["str", text + left], ["str", left + text]]
    return []


Number = int | float | decimal.Decimal


def _steered_rounding(value: Value, c: Comparison, counts: Sequence[int] = ()) -> list[Value]:
    """The value moved so that the rounded amount lands exactly half a unit between two
    roundings: by that distance shared out over one of ``counts`` (the whole numbers passed
    beside the value: a price times its quantity), by the amount's distance to it (the value
    is a part of a sum), or by their ratio (the value is a factor). A number written as
    text stays text. Exact Decimal arithmetic only: a result that would need rounding itself
    is no candidate."""
    amount, unit = _number(c.left), _unit(c.right)
    number = _number(value) if value[0] != "str" else decimal_or_none(value[1])
    if amount is None or unit is None or number is None or isinstance(amount, int):
        return []
    out: list[Value] = []
    exact = decimal.Context(prec=28, traps=[decimal.Inexact, decimal.InvalidOperation])
    try:
        v, a = (
            n if isinstance(n, decimal.Decimal) else decimal.Decimal(repr(n))
            for n in (number, amount)
        )
        for half in _halves(a, unit, isinstance(amount, float)):
            gap = exact.subtract(half, a)
            found = []
            # The value times a quantity passed beside it first: a price with its quantity
            # is what most totals are made of.
            for count in counts:
                with contextlib.suppress(decimal.Inexact):
                    found.append(exact.add(v, exact.divide(gap, count)))
            found.append(exact.add(v, gap))
            if a:
                with contextlib.suppress(decimal.Inexact):
                    found.append(exact.divide(exact.multiply(v, half), a))
            out += _written_like(value, found)
    except (decimal.Inexact, decimal.InvalidOperation, OverflowError, ValueError):
        return out
    return out


def _unit(value: Value) -> decimal.Decimal | None:
    """The unit a logged rounding rounds to: a quantum as it was given, or ``round``'s
    digits (``round(x, 2)``: 0.01)."""
    if value[0] == "int":
        digits = int(value[1])
        return decimal.Decimal(1).scaleb(-digits) if -12 <= digits <= 12 else None
    number = _number(value)
    if isinstance(number, decimal.Decimal) and number:
        return decimal.Decimal(1).scaleb(number.as_tuple().exponent)  # type: ignore[arg-type]
    return None


def _halves(amount: decimal.Decimal, unit: decimal.Decimal, binary: bool) -> list[decimal.Decimal]:
    """The points nearest ``amount`` where rounding modes part, so that every two of them
    differ at one: a half-way point whose kept digit is even (2.425: half up and up 2.43,
    half even, half down and down 2.42), one whose kept digit is odd (2.415: half even, half
    up and up 2.42, half down and down 2.41), three quarters of a unit (2.4175: down 2.41,
    the others 2.42) and a quarter (2.4125: up 2.42, the others 2.41), in that order; for a
    float, only points a float holds exactly (``round`` of a float rounds its binary value:
    2.675 is not half-way)."""
    below = (amount / unit).to_integral_value(decimal.ROUND_FLOOR)
    steps = range(-50, 51) if binary else range(-3, 4)
    kinds: list[list[decimal.Decimal]] = [[], [], [], []]
    for k in steps:
        kept = below + k
        kinds[int(kept % 2)].append((kept + decimal.Decimal("0.5")) * unit)
        kinds[2].append((kept + decimal.Decimal("0.75")) * unit)
        kinds[3].append((kept + decimal.Decimal("0.25")) * unit)
    out = []
    for points in kinds:
        if binary:
            points = [p for p in points if decimal.Decimal(float(p)) == p]
        if points:
            out.append(min(points, key=lambda p: abs(p - amount)))
    return out


def _written_like(like: Value, numbers: Iterable[decimal.Decimal]) -> list[Value]:
    """The numbers as values of ``like``'s kind: text stays text, an int only when whole."""
    if like[0] == "str":
        return [["str", str(n)] for n in numbers if abs(n) <= _MAX_ABS]
    return _as(like, numbers)


def _alike(numbers: Sequence[Number | None]) -> list[Any]:
    """The numbers in one kind of arithmetic: a Decimal and a float do not mix (TypeError),
    so with a Decimal among them the floats become Decimals (of their shortest repr)."""
    if any(isinstance(n, decimal.Decimal) for n in numbers):
        return [n if isinstance(n, decimal.Decimal) else decimal.Decimal(repr(n)) for n in numbers]
    return list(numbers)


def _number(value: Value) -> Number | None:
    try:
        if value[0] == "int":
            return int(value[1])
        if value[0] == "float":
            number = float(value[1])
            return number if math.isfinite(number) else None
        if value[0] == "Decimal":
            exact = decimal.Decimal(value[1])
            return exact if exact.is_finite() else None
    except (ValueError, TypeError, decimal.InvalidOperation, IndexError):
        return None
    return None


def _beside(number: Number, like: Value) -> list[Number]:
    """One unit of the value's kind either side: where ``<`` and ``<=`` part."""
    if like[0] == "int" and isinstance(number, int):
        return [number - 1, number + 1]
    if like[0] == "Decimal" and isinstance(number, decimal.Decimal):
        unit = decimal.Decimal(1).scaleb(number.as_tuple().exponent)  # type: ignore[arg-type]
        return [number - unit, number + unit]
    return []


def _as(like: Value, numbers: Iterable[Number]) -> list[Value]:
    """The numbers as values of ``like``'s kind (an int only when whole), within range."""
    out: list[Value] = []
    for n in numbers:
        try:
            if not -_MAX_ABS <= n <= _MAX_ABS:
                continue
            if like[0] == "int":
                if n != int(n):
                    continue
                out.append(["int", str(int(n))])
            elif like[0] == "float":
                out.append(["float", repr(float(n))])
            else:
                out.append(["Decimal", str(decimal.Decimal(n))])
        except (ValueError, OverflowError, decimal.InvalidOperation):
            continue
    return out


# -- 4. programs, in rounds steered by coverage ----------------------------------------------
#
# Round 0 logs the recorded calls (a function's) or object histories (a class's) and derives
# new inputs from what they compared. Each later round logs the inputs the round before
# derived, and steers again only those that took a branch, in either version, that no input
# of this target had taken before: the way a fuzzer keeps, as seeds, the inputs that reach new
# coverage. That reaches a boundary behind another condition (a remainder of zero only for
# ``kind == "bulk"``): round 0 steers ``kind`` onto "bulk", round 1 sees that call take the
# new branch, and steers its quantity onto a multiple.


@dataclass(frozen=True)
class Round:
    """What one round derived for a target, in order, and how many of them it logged."""

    derived: list[Any]
    logged: int


def seed_calls(catalog: Catalog, path: str) -> list[Bound]:
    """The recorded calls of a function that are run instrumented: the first
    ``SEEDS_PER_TARGET``, then the others taking turns with each recorded call with its
    optional arguments left out (tests often pass unusual options, callers mostly the
    defaults: a price steered onto a limit shows in the tax only where tax is applied)."""
    recorded = catalog.calls.get(path, [])
    required = sweep.required_params(catalog, path)
    defaults = [{k: v for k, v in b.items() if k in required} for b in recorded]
    seeds: dict[str, Bound] = {}
    _add_new(seeds, recorded[:SEEDS_PER_TARGET])
    _add_new(seeds, interleave([recorded[SEEDS_PER_TARGET:], defaults]))
    return list(seeds.values())[:SEED_CANDIDATES]


def calls_program(
    catalog: Catalog, path: str, bounds: Sequence[Bound]
) -> tuple[Program, list[Bound]] | None:
    """Calls of a function as one program, with their bounds in step order; None when none
    can be laid out as a call."""
    pairs = [(catalog.step(CALL, path, b, None), b) for b in bounds]
    kept = [(step, bound) for step, bound in pairs if step is not None]
    if not kept:
        return None
    return Program(tuple(s for s, _ in kept), "a recorded call"), [b for _, b in kept]


def steered_history(
    catalog: Catalog, steps: Sequence[Step], logs: Sequence[Sequence[Comparison]]
) -> list[tuple[Step, ...]]:
    """An object's recorded history with one step steered by what that step compared: an
    argument (as ``derive``), or the move of a numeric test double (a clock) into the step
    shifted by a comparison's gap, so that an elapsed time meets the limit it is compared
    with. The rest of the history stays as recorded.

    A rounding steers the arguments of its own step and of every step before it (what a
    later step rounds is mostly a total of what earlier steps passed in), and so does a tie
    (what a later step sorts was mostly passed in before: a quantity received). Such a
    history ends at the step that rounded or sorted, where the difference it aims at shows:
    the steps after it would spend the budget on nothing (a history is a large share of its
    target's budget, counted in steps). The histories a rounding suggests come first, a few
    from each step in turn (``_ROUNDING_HISTORIES`` in all)."""
    out: list[tuple[Step, ...]] = []
    rounded: list[list[tuple[Step, ...]]] = []
    for index, (step, log) in enumerate(zip(steps, logs, strict=False)):
        by_later: list[list[tuple[Step, ...]]] = []
        for end in range(index, len(logs)):
            rounding = [c for c in logs[end] if c.op == ROUND][:_MAX_STEERING]
            if rounding:
                by_later.append(_with_step_steered(catalog, steps[: end + 1], index, rounding))
        rounded.append(interleave(by_later))
        out += _with_step_steered(catalog, steps, index, [c for c in log if c.op != ROUND])
        for end in range(index + 1, len(logs)):
            ties = [c for c in logs[end] if c.op == TIE][:_MAX_STEERING]
            if ties:
                out += _with_step_steered(catalog, steps[: end + 1], index, ties)
        for at, setting in enumerate(step.world):
            move = doubles.recorded_move(steps, index, setting)
            for shift in _clock_shifts(move, log) if move is not None else []:
                moved = doubles.moved(steps, index, setting, shift)
                if moved is not None:
                    out.append(moved)
            for answers in steered_answers(setting.answers, log):
                world = (*step.world[:at], replace(setting, answers=answers), *step.world[at + 1 :])
                out.append((*steps[:index], replace(step, world=world), *steps[index + 1 :]))
    return [*interleave(rounded)[:_ROUNDING_HISTORIES], *out]


_ROUNDING_HISTORIES = 16  # histories one logged history's roundings may suggest


def _with_step_steered(
    catalog: Catalog, steps: Sequence[Step], index: int, log: Sequence[Comparison]
) -> list[tuple[Step, ...]]:
    """The history with step ``index``'s arguments steered by ``log`` (as ``derive``)."""
    step = steps[index]
    signature = catalog.signatures.for_step(step)
    bound = signature.bind(step.args, step.kwargs) if signature and log else None
    out: list[tuple[Step, ...]] = []
    for new in derive(bound, log) if bound is not None else []:
        changed = catalog.step(step.kind, step.target, new, step.receiver)
        if changed is not None:
            out.append((*steps[:index], replace(changed, world=step.world), *steps[index + 1 :]))
    return out


def steered_answers(answers: Sequence[Value], log: Sequence[Comparison]) -> list[tuple[Value, ...]]:
    """A test double's answers in one step with one answer steered by what the step compared.

    An answer the code compares as it came (an rng's draw against a rate, a clock's reading
    against a deadline) is set onto the other operand and one unit either side: the draw that
    lands exactly on the rate, which no recorded draw and no move by recorded deltas reaches in
    floating point. Only a *script* (an op answering several times in one step: an rng drawn
    per item) also has an answer moved by a comparison's gap or onto a remainder's multiple,
    as ``derive`` moves an argument; a single answer is a point on a time line, and moving it
    by a gap is what ``_clock_shifts`` does without breaking the line after it.
    """
    script = len(answers) > 1
    out: dict[str, tuple[Value, ...]] = {}
    for i, answer in enumerate(answers[:_ITEMS]):
        if answer[0] not in (*_NUMERIC, "str"):
            continue
        for c in log[:_MAX_STEERING]:
            exact = answer in (c.left, c.right) or _number(answer) in _numbers(c)
            if not (exact or script):
                continue
            for new in _steered(answer, c):
                if new != answer:
                    changed = (*answers[:i], new, *answers[i + 1 :])
                    out.setdefault(values.key(list(changed)), changed)
    return list(out.values())


def _numbers(c: Comparison) -> tuple[Number | None, ...]:
    return tuple(n for n in (_number(c.left), _number(c.right)) if n is not None)


def _clock_shifts(move: float | int, log: Sequence[Comparison]) -> list[float | int]:
    """Shifts of a recorded move that close a logged comparison's gap (and one unit either
    side of it, for whole numbers); a move never goes below zero (time does not run back)."""
    shifts: dict[float | int, None] = {}
    for c in log[:_MAX_STEERING]:
        a, b = _number(c.left), _number(c.right)
        if c.op in ("%", ROUND, TIE) or a is None or b is None:
            continue
        if isinstance(a, decimal.Decimal) or isinstance(b, decimal.Decimal):
            continue  # a clock's moves are floats: a Decimal gap is not one
        gap = b - a
        near = [gap - 1, gap, gap + 1] if isinstance(gap, int) else [gap]
        for shift in near:
            if shift != 0 and move + shift >= 0:
                shifts.setdefault(shift)
    return list(shifts)


ORIGIN = "a recorded call steered onto a comparison's other operand"
FEEDBACK_ORIGIN = "a call steered onto a comparison's other operand, after it reached a new branch"


@dataclass(frozen=True)
class Steered:
    """What comparison feedback runs for one target, and what it found on the way."""

    programs: list[Program]
    suggested: int  # distinct calls or histories the logs suggested, before the budget
    logged: int  # calls or histories run instrumented, every round


@dataclass(frozen=True)
class Budget:
    calls: int  # compared, per target (``comparison_calls``)
    rounds: int  # after the recorded inputs' (``comparison_rounds``)
    timeout: float  # one logging run's ceiling


def steered_programs(loggers: Loggers, catalog: Catalog, target: Target, budget: Budget) -> Steered:
    """The programs this technique runs for ``target``: at most ``budget.calls`` calls."""
    if target.kind == FUNCTION:
        return _steered_calls(loggers, catalog, target.path, budget)
    if target.kind == CLASS:
        return _steered_histories(loggers, catalog, target, budget)
    return Steered([], 0, 0)


Unit = TypeVar("Unit")


def _rounds(
    seeds: Sequence[Unit],
    logged: Callable[[Sequence[Unit]], list[StepLog]],
    derived: Callable[[Unit, StepLog], list[Unit]],
    key: Callable[[Unit], str],
    frontier: int,
    rounds: int,
    always: int | None = None,
) -> tuple[list[list[Unit]], int]:
    """Each round's newly derived units (calls or histories), and how many were logged.

    A unit that reached no branch new to this target (in either version) is not steered
    again; of the seeds, round 0, the first ``always`` (all when None) always are, the rest
    only when they reach a branch the seeds before them did not. A round's units take turns
    (the first derived from each unit, then the second of each, ...), so a budget that cuts
    the round still tries every unit's best suggestions, not all of one unit's. ``logged``
    runs a round's units instrumented and answers one ``StepLog`` per unit."""
    seen = {key(unit) for unit in seeds}
    reached: set[tuple[str, str, bool]] = set()
    found_by_round: list[list[Unit]] = []
    batch, count = list(seeds), 0
    for number in range(1 + rounds):
        children: list[list[Unit]] = []
        count += len(batch)
        for index, (unit, log) in enumerate(zip(batch, logged(batch), strict=True)):
            new = log.branches - reached
            reached |= log.branches
            seed = number == 0 and (always is None or index < always)
            if not (new or seed):
                continue
            mine: list[Unit] = []
            for child in derived(unit, log):
                if key(child) not in seen:
                    seen.add(key(child))
                    mine.append(child)
            children.append(mine)
        found = interleave(children)
        found_by_round.append(found)
        batch = found[:frontier]
        if not batch:
            break
    return found_by_round, count


def shared(
    rounds: Sequence[Sequence[Unit]],
    budget: int,
    parts: int,
    size: Callable[[Unit], int] = lambda _: 1,
) -> list[Unit]:
    """Units worth at most ``budget`` calls: each round's first, up to an equal share (one of
    ``parts``), then what the others left, in round order; so a round's many suggestions
    never crowd out a later round's few, which are the ones that reached new branches."""
    share = budget // max(parts, 1)
    taken: list[list[Unit]] = []
    for found in rounds:
        chosen: list[Unit] = []
        _fill(chosen, found, share, size)
        taken.append(chosen)
    spare = budget - sum(size(u) for chosen in taken for u in chosen)
    for found, chosen in zip(rounds, taken, strict=True):
        spare -= _fill(chosen, found[len(chosen) :], spare, size)
    return [unit for chosen in taken for unit in chosen]


def _fill(
    chosen: list[Unit],
    more: Sequence[Unit],
    room: int,
    size: Callable[[Unit], int] = lambda _: 1,
) -> int:
    """Appends ``more``'s units, in order, while they fit in ``room``; what they took."""
    spent = 0
    for unit in more:
        if spent + size(unit) > room:
            break
        chosen.append(unit)
        spent += size(unit)
    return spent


def _steered_calls(loggers: Loggers, catalog: Catalog, path: str, budget: Budget) -> Steered:
    def logged(bounds: Sequence[Bound]) -> list[StepLog]:
        out = []
        for i in range(0, len(bounds), _LOG_PACK):
            part = bounds[i : i + _LOG_PACK]
            laid = calls_program(catalog, path, part)
            if laid is None:
                out += [StepLog.EMPTY] * len(part)
                continue
            program, kept = laid
            by_key = dict(
                zip(map(call_key, kept), loggers.log(program, budget.timeout), strict=True)
            )
            out += [by_key.get(call_key(b), StepLog.EMPTY) for b in part]
        return out

    def derived(bound: Bound, log: StepLog) -> list[Bound]:
        return derive(bound, log.comparisons)

    seeds = seed_calls(catalog, path)
    rounds, count = _rounds(
        seeds, logged, derived, call_key, _LOGGED_CALLS, budget.rounds, SEEDS_PER_TARGET
    )
    chosen = shared(rounds, budget.calls, 1 + budget.rounds)
    first, later = _first_round_apart(chosen, rounds, call_key)
    programs = sweep.call_programs(catalog, path, first, ORIGIN)
    programs += sweep.call_programs(catalog, path, later, FEEDBACK_ORIGIN)
    return Steered(programs, sum(len(r) for r in rounds), count)


def _steered_histories(
    loggers: Loggers, catalog: Catalog, target: Target, budget: Budget
) -> Steered:
    def logged(histories: Sequence[tuple[Step, ...]]) -> list[StepLog]:
        return [StepLog.joined(loggers.log(Program(s), budget.timeout)) for s in histories]

    def derived(steps: tuple[Step, ...], log: StepLog) -> list[tuple[Step, ...]]:
        return steered_history(catalog, steps, log.per_step)

    bases = sweep.lineage_bases(catalog, target)[:HISTORIES_PER_TARGET]
    # Then the other recorded histories, the simplest first, steered when they reach a branch
    # the bases do not (a shipment of what was reserved, where the bases only report).
    simplest = sorted(
        catalog.lineages(target.path), key=lambda li: (li.program.size(), li.program.key)
    )
    more = [li for li in simplest if li not in bases][: HISTORY_CANDIDATES - len(bases)]
    seeds = [lineage.program.steps for lineage in (*bases, *more)]
    rounds, count = _rounds(
        seeds, logged, derived, _history_key, _LOGGED_HISTORIES, budget.rounds, len(bases)
    )
    chosen = shared(rounds, budget.calls, 1 + budget.rounds, len)
    first, later = _first_round_apart(chosen, rounds, _history_key)
    # Every chosen history fits the budget already: packed, not cut again.
    programs = sweep.pack_within(first, budget.calls, ORIGIN)
    programs += sweep.pack_within(later, budget.calls, FEEDBACK_ORIGIN)
    return Steered(programs, sum(len(r) for r in rounds), count)


def _first_round_apart(
    chosen: Sequence[Unit], rounds: Sequence[Sequence[Unit]], key: Callable[[Unit], str]
) -> tuple[list[Unit], list[Unit]]:
    """The chosen units round 0 derived, and those later rounds did (their origin differs)."""
    first = {key(u) for u in rounds[0]} if rounds else set()
    return [u for u in chosen if key(u) in first], [u for u in chosen if key(u) not in first]


def _history_key(steps: tuple[Step, ...]) -> str:
    return Program(steps).key


# -- the instrumented workers ---------------------------------------------------------------


@dataclass(frozen=True)
class StepLog:
    """What a step (or a whole history) compared, on both sides (the original's first), and
    the branches it took: (side, site, way)."""

    comparisons: list[Comparison]
    branches: frozenset[tuple[str, str, bool]]
    per_step: list[list[Comparison]]  # a history's comparisons, step by step

    EMPTY: ClassVar[StepLog]

    @classmethod
    def joined(cls, logs: Sequence[StepLog]) -> StepLog:
        """A history's steps as one log: every branch any of its steps took."""
        comparisons = [c for log in logs for c in log.comparisons]
        branches = frozenset().union(*(log.branches for log in logs))
        return cls(comparisons, branches, [log.comparisons for log in logs])


StepLog.EMPTY = StepLog([], frozenset(), [])


def parse_branches(side: str, observation: object) -> frozenset[tuple[str, str, bool]]:
    """The branches of one step's observation, those of a valid shape (it is untrusted)."""
    found = observation.get("branches") if isinstance(observation, dict) else None
    out = set()
    for entry in found[:MAX_BRANCHES] if isinstance(found, list) else []:
        if (
            isinstance(entry, list)
            and len(entry) == 2
            and isinstance(entry[0], str)
            and len(entry[0]) <= 300
            and isinstance(entry[1], bool)
        ):
            out.add((side, entry[0], entry[1]))
    return frozenset(out)


class Loggers:
    """The instrumented original and candidate, each served by a worker with ``--cmplog``;
    every branch either has taken, over every program logged, for the report."""

    def __init__(
        self,
        runner: Runner,
        workspace: Workspace,
        copies: Sequence[Instrumented],
        lifetime_seconds: float,
        labels: Sequence[str],
    ) -> None:
        limits, startup = worker_limits(runner, lifetime_seconds)
        self.sides = [
            Side(name, runner, workspace, copy.package, limits, startup, labels, ["--cmplog"])
            for name, copy in zip((ORIGINAL, CANDIDATE), copies, strict=True)
        ]
        self.branches = {side.name: c.branches for side, c in zip(self.sides, copies, strict=True)}
        self.reached: dict[str, set[tuple[str, bool]]] = {side.name: set() for side in self.sides}
        # Logging runs a side's ceiling cut: what they would have logged is missing, so the
        # inputs derived from them may differ on a faster machine (the report says so).
        self.cut = 0

    @classmethod
    def build(
        cls,
        runner: Runner,
        workspace: Workspace,
        original: PackageSource,
        candidate: PackageSource,
        lifetime_seconds: float,
        labels: Sequence[str],
    ) -> Loggers | None:
        """Instrumented copies of both packages under the workspace; None if one cannot be."""
        base = workspace.root / "cmplog"
        copies = [
            instrument(package, base / side)
            for package, side in ((original, ORIGINAL), (candidate, CANDIDATE))
        ]
        if any(c is None for c in copies):
            return None
        return cls(runner, workspace, [c for c in copies if c], lifetime_seconds, labels)

    def start(self) -> bool:
        """Whether both workers imported their package (a side that did not logs nothing)."""
        for side in self.sides:
            side.launch()
        started = [side.wait_ready() is None for side in self.sides]
        self.sides = [side for side, ok in zip(self.sides, started, strict=True) if ok]
        return bool(self.sides)

    def log(self, program: Program, timeout: float) -> list[StepLog]:
        """Per step of ``program``, what both sides compared and the branches they took."""
        request = {"op": "run", "steps": program.request(), "timeout": timeout}
        for side in self.sides:
            side.send(request)
        comparisons: list[list[Comparison]] = [[] for _ in program.steps]
        branches: list[set[tuple[str, str, bool]]] = [set() for _ in program.steps]
        for side in self.sides:
            answer = side.receive(timeout)
            if not isinstance(answer, dict) or answer.get("status") == "timeout":
                self.cut += 1
            steps = answer.get("steps") if isinstance(answer, dict) else None
            for index, observation in enumerate(steps if isinstance(steps, list) else []):
                if index < len(comparisons):
                    comparisons[index] += parse_log(observation)
                    taken = parse_branches(side.name, observation)
                    branches[index] |= taken
                    self.reached[side.name].update((site, way) for _, site, way in taken)
        return [StepLog(c, frozenset(b), [c]) for c, b in zip(comparisons, branches, strict=True)]

    def coverage(self) -> dict[str, tuple[int, int]]:
        """Per side, the branches taken by any program logged, out of the package's."""
        return {
            name: (min(len(self.reached[name]), total), total)
            for name, total in self.branches.items()
        }

    def close(self) -> None:
        for side in self.sides:
            side.close()

    def __enter__(self) -> Loggers:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
