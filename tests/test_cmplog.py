"""Comparison feedback's parts: the rewrite keeps behaviour, the log is checked, inputs steer.

The whole technique, through the pipeline and the real workers, is in
``test_search_techniques.py`` (a remainder of zero, a sum equal to a limit).
"""

from __future__ import annotations

import builtins
import decimal
import itertools
import operator
import textwrap
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import Any

import pytest

from refactor_check.differential import cmplog
from refactor_check.differential.cmplog import Comparison
from refactor_check.differential.generation import Catalog
from refactor_check.differential.program import CALL, METHOD, NEW, Program, Step
from refactor_check.differential.signatures import Signatures
from refactor_check.sandbox import diff_worker

MODULE = textwrap.dedent(
    '''
    """A docstring stays."""
    from __future__ import annotations

    LIMITS = {"low": 1, "high": 9}


    def judge(a, b, words):
        out = []
        out.append(a == b)
        out.append(a != b)
        out.append(a < b <= 10)  # a chain: left as written
        out.append(a >= b)
        out.append(a in words)
        out.append(a not in words)
        out.append("%s-%d" % ("x", a))
        out.append(a % b if b else None)
        out.append([x for x in words if x > 1])
        out.append(a is None)
        if words:
            out.append(len(words))
        return out


    class Box:
        def __init__(self, size):
            self.big = size > LIMITS["high"]
    '''
)

_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


@pytest.fixture
def hooks() -> Iterator[list[tuple[str, object, object]]]:
    """The worker's hooks, as plain as they can be: compute, and log the operands."""
    log: list[tuple[str, object, object]] = []

    def compare(a: object, b: object, op: str) -> bool:
        log.append((op, a, b))
        return _OPS[op](a, b)

    def contains(a: object, b: Any, negated: bool) -> bool:
        log.append(("in", a, b))
        return (a not in b) if negated else (a in b)

    def modulo(a: Any, b: Any) -> Any:
        log.append(("%", a, b))
        return a % b

    def quantize(value: Any, *args: Any, **kwargs: Any) -> Any:
        log.append(("round", value, args[0]))
        return value.quantize(*args, **kwargs)

    def rounded(number: Any, *args: Any) -> Any:
        log.append(("round", number, args[0] if args else 0))
        return round(number, *args)

    def branch(test: object, site: str) -> bool:
        way = bool(test)
        log.append(("branch", site, way))
        return way

    # The sorts and text methods: the worker's own hooks (what they compute is the point).
    sorts = (diff_worker._hook_sorted, diff_worker._hook_sort, diff_worker._hook_text_method)
    hooks = (compare, contains, modulo, quantize, rounded, branch, *sorts)
    installed = dict(zip(cmplog.HOOKS, hooks, strict=True))
    for name, hook in installed.items():
        setattr(builtins, name, hook)
    yield log
    for name in installed:
        delattr(builtins, name)


def load(text: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {}
    exec(compile(text, "<module>", "exec"), namespace)
    return namespace


def test_the_rewritten_module_behaves_as_written(hooks: list[tuple[str, object, object]]) -> None:
    instrumented = cmplog.instrument_text(MODULE, "mod.py")
    assert instrumented is not None
    rewritten, decisions = instrumented
    assert "__rc_cmp__" in rewritten and "__rc_in__" in rewritten
    # The ``if``, the conditional expression and the comprehension's ``if``.
    assert decisions == 3
    assert rewritten.startswith('"""A docstring stays."""\nfrom __future__ import annotations')
    plain, logged = load(MODULE), load(rewritten)
    for a, b, words in [(1, 2, [1, 3]), (5, 5, []), (11, 3, (2, 11)), (0, 0, {0: 1})]:
        assert logged["judge"](a, b, words) == plain["judge"](a, b, words)
    assert logged["Box"](12).big is plain["Box"](12).big is True
    assert ("==", 0, 0) in hooks and ("%", 11, 3) in hooks and (">", 12, 9) in hooks
    assert ("%", "%s-%d", ("x", 11)) in hooks  # computed the same way; the worker logs ints only
    assert not [entry for entry in hooks if entry[0] == "<"]  # the chain is not rewritten
    # Each decision notes its site and the way it went: both ways of the ``if words:``.
    ways = {(site, way) for kind, site, way in hooks if kind == "branch"}
    assert {("mod.py:20:7", True), ("mod.py:20:7", False)} <= ways, sorted(ways)


SORTS = textwrap.dedent(
    """
    def ranked(counts, top):
        rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        return rows[:top]


    def lowest(rows):
        rows.sort(key=lambda r: r[1], reverse=True)
        rows.sort(key=lambda r: r[1])
        return rows, sorted(r[0] for r in rows)


    def quoted(names):
        return [n.replace('"', '""') for n in names if not n.startswith("#")]
    """
)


def test_sorts_and_text_methods_behave_as_written_and_log_ties(
    hooks: list[tuple[str, object, object]],
) -> None:
    instrumented = cmplog.instrument_text(SORTS, "sorts.py")
    assert instrumented is not None
    rewritten = instrumented[0]
    assert rewritten.count("__rc_sorted__") == 2 and rewritten.count("__rc_sort__") == 2
    assert "__rc_text__(n, 'replace', '\"', '\"\"')" in rewritten
    plain, logged = load(SORTS), load(rewritten)
    counts = {"10.0.0.9": 4, "10.0.0.1": 7, "10.0.0.5": 4, "10.0.0.2": 1}
    assert logged["ranked"](counts, 3) == plain["ranked"](counts, 3)
    rows = [("b", 2), ("a", 5), ("c", 2), ("d", 0)]
    assert logged["lowest"](list(rows)) == plain["lowest"](list(rows))  # stable, as sorted
    names = ['GET /a"b', "#x", "GET /c"]
    assert logged["quoted"](names) == plain["quoted"](names)
    log = diff_worker._COMPARISONS
    # Neighbours where they first differ: the counts (and negated, as the key holds them),
    # and the addresses of the two equal counts, which the tie-break orders.
    assert ["tie", ["int", "-7"], ["int", "-4"]] in log
    assert ["tie", ["int", "7"], ["int", "4"]] in log
    assert ["tie", ["str", "10.0.0.5"], ["str", "10.0.0.9"]] in log
    assert ["tie", ["int", "0"], ["int", "2"]] in log  # the in-place sort's
    assert ["in", ["str", "#"], ["str", "GET /c"]] in log  # startswith
    assert ["in", ["str", '"'], ["str", "GET /c"]] in log  # replace
    diff_worker._COMPARISONS.clear()

    # A key of the package's own objects is not compared here (it would run their code).
    class Key:
        def __init__(self, n: int) -> None:
            self.n = n

        def __lt__(self, other: Key) -> bool:
            return self.n < other.n

        def __ne__(self, other: object) -> bool:
            raise AssertionError("compared outside the sort")

    assert [k.n for k in diff_worker._hook_sorted([Key(2), Key(1)])] == [1, 2]
    assert diff_worker._COMPARISONS == []


def test_a_tie_and_a_substring_steer_an_argument_anywhere_inside_it() -> None:
    """A count a sort compared with its neighbour's becomes equal to it (a tie), in a table
    nested in the argument; a name a text method searched gains what it looked for."""
    clients = ["dict", [[["str", "10.0.0.9"], ["int", "5"]], [["str", "10.0.0.1"], ["int", "4"]]]]
    call = {"s": ["dict", [[["str", "clients"], clients]]], "top": ["int", "3"]}
    derived = cmplog.derive(call, [Comparison(cmplog.TIE, ["int", "5"], ["int", "4"])])
    tied = ["dict", [[["str", "10.0.0.9"], ["int", "4"]], [["str", "10.0.0.1"], ["int", "4"]]]]
    assert {**call, "s": ["dict", [[["str", "clients"], tied]]]} in derived
    both = ["dict", [[["str", "10.0.0.9"], ["int", "5"]], [["str", "10.0.0.1"], ["int", "5"]]]]
    assert {**call, "s": ["dict", [[["str", "clients"], both]]]} in derived
    # Deep inside, only what is exactly an operand is steered, onto the other and one either
    # side (the 3 in ``top``, a shallow place, is moved by the gap as a part of a sum is).
    assert len([d for d in derived if d["s"] != call["s"]]) == 4
    names = {"names": ["list", [["str", "GET /a"], ["str", "#x"]]]}
    log = [
        Comparison("in", ["str", '"'], ["str", "GET /a"]),
        Comparison("in", ["str", "#"], ["str", "#x"]),
    ]
    derived = cmplog.derive(names, log)
    for changed in ('GET /a"', '"GET /a'):
        assert {"names": ["list", [["str", changed], ["str", "#x"]]]} in derived
    assert {"names": ["list", [["str", "GET /a"], ["str", "x"]]]} in derived  # taken out


def test_a_price_written_as_text_in_a_line_item_meets_a_limit_on_the_subtotal() -> None:
    """``subtotal > 500`` with one line of 600.00: the price (text, in a record in a list)
    is set onto the limit at its own scale and a cent either side; ``discount > 200`` with a
    discount of 48.00 (8 % of the subtotal): the price is scaled until the discount meets 200
    and passes it by a cent. A quantity (a whole number) is never scaled."""
    item = ["dict", [[["str", "qty"], ["int", "1"]], [["str", "price"], ["str", "600.00"]]]]
    call = {"items": ["list", [item]]}

    def prices(log: list[Comparison]) -> list[str]:
        derived = cmplog.derive(call, log)
        assert all(d["items"][1][0][1][0] == item[1][0] for d in derived)  # qty stays 1
        return [d["items"][1][0][1][1][1][1] for d in derived]

    assert prices([Comparison(">", ["Decimal", "600.00"], ["int", "500"])]) == [
        "500.00",
        "499.99",
        "500.01",
    ]
    scaled = prices([Comparison(">", ["Decimal", "48.00"], ["int", "200"])])
    assert scaled == ["2500.125", "2499.875", "2500"]  # 600 x 200.01 / 48, ...


def test_a_module_that_does_not_parse_is_left_alone() -> None:
    assert cmplog.instrument_text("def broken(:\n") is None


def test_the_log_keeps_only_entries_of_a_valid_shape() -> None:
    observation = {
        "comparisons": [
            ["<=", ["int", "390"], ["int", "500"]],
            ["in", ["str", "on"], ["str", "yes on"]],
            ["<=", ["int", "x"], ["int", "1"]],  # not a number
            ["is", ["int", "1"], ["int", "1"]],  # not an operator that is logged
            ["==", ["object", "a"], ["int", "1"]],
            ["==", ["str", "y" * 101], ["str", "y"]],  # too long
            "junk",
        ]
    }
    assert cmplog.parse_log(observation) == [
        Comparison("<=", ["int", "390"], ["int", "500"]),
        Comparison("in", ["str", "on"], ["str", "yes on"]),
    ]
    assert cmplog.parse_log({"comparisons": "all equal"}) == []
    flood = {"comparisons": [["==", ["int", "1"], ["int", str(n)]] for n in range(10**5)]}
    assert len(cmplog.parse_log(flood)) == cmplog.MAX_LOGGED  # a forged flood is cut
    assert cmplog.parse_log(None) == []


def test_a_sum_is_steered_onto_its_limit() -> None:
    call = {"sizes": ["list", [["int", "130"], ["int", "260"]]], "limit": ["int", "500"]}
    derived = cmplog.derive(call, [Comparison("<=", ["int", "390"], ["int", "500"])])
    # The limit onto the sum (input-to-state), and either side of it.
    for limit in ("390", "389", "391"):
        assert {**call, "limit": ["int", limit]} in derived
    # Each part moved by the gap: the sum meets the limit.
    assert {**call, "sizes": ["list", [["int", "240"], ["int", "260"]]]} in derived
    assert {**call, "sizes": ["list", [["int", "130"], ["int", "370"]]]} in derived


def test_a_remainder_is_steered_to_zero() -> None:
    call = {"lines": ["int", "1234"], "per_page": ["int", "48"]}
    derived = cmplog.derive(call, [Comparison("%", ["int", "1234"], ["int", "48"])])
    assert {**call, "lines": ["int", "1200"]} in derived  # 1234 - 34
    assert {**call, "lines": ["int", "1248"]} in derived  # 1234 + 14


def test_text_and_decimals_are_steered_in_their_own_kind() -> None:
    call = {"code": ["str", "WELCOME"], "amount": ["Decimal", "9.99"]}
    log = [
        Comparison("==", ["str", "WELCOME"], ["str", "VIP"]),
        Comparison(">=", ["Decimal", "9.99"], ["Decimal", "10.00"]),
    ]
    derived = cmplog.derive(call, log)
    assert {**call, "code": ["str", "VIP"]} in derived
    # The limit and one cent above it (one cent below is the value itself).
    for amount in ("10.00", "10.01"):
        assert {**call, "amount": ["Decimal", amount]} in derived
    assert all(d["amount"][0] == "Decimal" and d["code"][0] == "str" for d in derived)


def test_a_decimal_steered_by_floats_stays_a_decimal() -> None:
    # Decimal and float arithmetic raises TypeError: the floats are taken as Decimals.
    call = {"amount": ["Decimal", "2.50"]}
    derived = cmplog.derive(call, [Comparison("<", ["float", "1.0"], ["float", "3.0"])])
    assert {"amount": ["Decimal", "4.50"]} in derived
    floats = cmplog.derive(
        {"x": ["float", "2.5"]}, [Comparison("<", ["Decimal", "1"], ["int", "3"])]
    )
    assert {"x": ["float", "4.5"]} in floats


def test_a_doubles_answer_is_steered_onto_what_it_is_compared_with() -> None:
    # An rng's draws in one step (a script): a draw compared with the rate is set onto it.
    draws = (["float", "0.07"], ["float", "0.5"])
    log = [
        Comparison("<", ["float", "0.07"], ["float", "0.2"]),
        Comparison("<", ["float", "0.5"], ["float", "0.2"]),
    ]
    steered = cmplog.steered_answers(draws, log)
    assert (["float", "0.2"], ["float", "0.5"]) in steered
    assert (["float", "0.07"], ["float", "0.2"]) in steered
    # A script's answer is also moved by a gap it is not an operand of (a sum of draws).
    assert any(s[0] not in (draws[0], ["float", "0.2"]) for s in steered)


def test_a_single_answer_moves_only_when_compared_as_it_came() -> None:
    # A clock's reading: the comparison is of an elapsed time, not of the reading itself, so
    # the reading is left to the clock shifts, which keep the time line after it.
    reading = (["float", "41.0"],)
    elapsed = [Comparison("<", ["float", "34.0"], ["float", "25"])]
    assert cmplog.steered_answers(reading, elapsed) == []
    deadline = [Comparison(">=", ["float", "41.0"], ["int", "40"])]
    assert cmplog.steered_answers(reading, deadline) == [(["float", "40.0"],)]


def test_the_branches_kept_are_only_those_of_a_valid_shape() -> None:
    observation = {
        "branches": [["conf.py:12:7", True], ["conf.py:12:7", 1], ["x" * 301, False], "junk", []]
    }
    assert cmplog.parse_branches("candidate", observation) == {("candidate", "conf.py:12:7", True)}
    flood = {"branches": [[f"m:{i}:0", True] for i in range(5000)]}
    assert len(cmplog.parse_branches("original", flood)) == cmplog.MAX_BRANCHES
    assert cmplog.parse_branches("original", None) == frozenset()


def test_the_budget_is_shared_between_rounds() -> None:
    # Round 0 suggests far more than the budget; the later rounds' few still run.
    rounds = [[f"a{i}" for i in range(500)], ["b0", "b1"], ["c0"]]
    chosen = cmplog.shared(rounds, 300, 3)
    assert len(chosen) == 300 and {"b0", "b1", "c0"} <= set(chosen)
    assert chosen[:297] == [f"a{i}" for i in range(297)]  # what the later rounds left
    # Sized units (a history's calls) fill the budget by their size.
    sized = cmplog.shared([[("x",) * 50] * 10, [("y",) * 60]], 300, 3, len)
    assert sum(len(u) for u in sized) <= 300 and ("y",) * 60 in sized


def test_seeds_beyond_the_first_are_steered_only_for_a_branch_the_others_missed() -> None:
    """Round 0: the first two seeds always; of the rest, only the one that takes a branch
    the seeds before it did not (the legacy-mode call among modern ones)."""
    branches = {
        "a": {("original", "m:1:0", True)},
        "b": {("original", "m:1:0", True)},
        "c": {("original", "m:1:0", True)},  # nothing new: not steered
        "legacy": {("original", "m:1:0", True), ("original", "m:5:4", True)},
    }

    def logged(units: Sequence[str]) -> list[cmplog.StepLog]:
        return [cmplog.StepLog([], frozenset(branches.get(u, ())), []) for u in units]

    def derived(unit: str, log: cmplog.StepLog) -> list[str]:
        return [f"{unit}+{n}" for n in range(2)] if len(unit) < 8 else []

    found, logged_count = cmplog.in_rounds(
        ["a", "b", "c", "legacy"], logged, derived, str, 64, 0, always=2
    )
    assert found == [["a+0", "b+0", "legacy+0", "a+1", "b+1", "legacy+1"]]
    assert logged_count == 4


def test_a_history_steered_by_a_later_rounding_ends_at_that_step() -> None:
    """``receive(4, "0.10")`` then ``ship()``, which rounds 0.40 to the cent, then a report:
    the unit cost is steered onto half a cent, and the steered history ends at the
    shipment, where the rounding shows; the report after it would only spend the budget."""
    signatures = Signatures(
        {
            "m.Room.receive": {
                "exists": True,
                "signature": [
                    ["qty", "positional_or_keyword", False, None, None],
                    ["cost", "positional_or_keyword", False, None, None],
                ],
            },
            "m.Room.ship": {"exists": True, "signature": []},
            "m.Room.report": {"exists": True, "signature": []},
        }
    )
    catalog = object.__new__(Catalog)
    catalog.signatures = signatures
    steps = (
        Step(NEW, "m.Room"),
        Step(METHOD, "m.Room.receive", (["int", "4"], ["str", "0.10"]), receiver=0),
        Step(METHOD, "m.Room.ship", (), receiver=0),
        Step(METHOD, "m.Room.report", (), receiver=0),
    )
    rounded = [Comparison(cmplog.ROUND, ["Decimal", "0.40"], ["Decimal", "0.01"])]
    steered = cmplog.steered_history(catalog, steps, [[], [], rounded, []])
    assert steered and all(history == (*steps[:1], history[1], steps[2]) for history in steered)
    assert steered[0][1].args == (["int", "4"], ["str", "0.10125"])  # 4 x 0.10125 = 0.405


class _Side:
    """A logging worker's answers, as the parent receives them (untrusted)."""

    def __init__(self, name: str, answer: object) -> None:
        self.name, self.answer = name, answer

    def send(self, request: object) -> None:
        pass

    def receive(self, timeout: float) -> object:
        return self.answer


def test_a_logging_run_cut_by_its_ceiling_is_counted_and_its_branches_kept() -> None:
    loggers = object.__new__(cmplog.Loggers)
    step = {"comparisons": [["<", ["int", "3"], ["int", "5"]]], "branches": [["m.py:4:7", True]]}
    loggers.sides = [  # type: ignore[list-item]
        _Side("original", {"status": "ok", "steps": [step]}),
        _Side("candidate", {"status": "timeout", "steps": []}),
    ]
    loggers.branches = {"original": 10, "candidate": 8}
    loggers.reached = {"original": set(), "candidate": set()}
    loggers.cut = 0
    program = Program((Step(CALL, "m.f", (["int", "3"],)),))
    (log,) = loggers.log(program, 1.0)
    assert log.comparisons == [Comparison("<", ["int", "3"], ["int", "5"])]
    assert log.branches == {("original", "m.py:4:7", True)}
    assert loggers.cut == 1  # the candidate's run was cut: the report will say so
    assert loggers.coverage() == {"original": (1, 10), "candidate": (0, 8)}


ROUNDING = textwrap.dedent(
    """
    from decimal import ROUND_HALF_UP, Decimal

    def total(price, qty):
        return (Decimal(price) * qty).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    def hours(minutes):
        return round(minutes / 60, 2), round(minutes / 60)
    """
)


def test_roundings_are_logged_as_the_value_and_its_unit(
    hooks: list[tuple[str, object, object]],
) -> None:
    instrumented = cmplog.instrument_text(ROUNDING, "money.py")
    assert instrumented is not None
    rewritten = instrumented[0]
    assert "__rc_qz__(" in rewritten and "__rc_round__(" in rewritten
    plain, logged = load(ROUNDING), load(rewritten)
    assert logged["total"]("0.10125", 4) == plain["total"]("0.10125", 4) == Decimal("0.41")
    assert logged["hours"](100) == plain["hours"](100)
    assert ("round", Decimal("0.40500"), Decimal("0.01")) in hooks
    assert ("round", 100 / 60, 2) in hooks and ("round", 100 / 60, 0) in hooks


def test_a_price_times_its_quantity_is_steered_onto_half_a_cent() -> None:
    """4 x 0.10 = 0.40, rounded to the cent: a price of 0.10125 makes it 0.405, where half
    up (0.41) and half even (0.40) part; a price as text stays text."""
    call = {"qty": ["int", "4"], "price": ["str", "0.10"]}
    log = [Comparison(cmplog.ROUND, ["Decimal", "0.40"], ["Decimal", "0.01"])]
    derived = cmplog.derive(call, log)
    assert {**call, "price": ["str", "0.10125"]} in derived
    # Never a half-way point where half up and half even agree (0.415: the 1 kept is odd).
    assert {**call, "price": ["str", "0.10375"]} not in derived
    assert all(d["qty"] == call["qty"] for d in derived)  # 4 plus a fraction is no count


def test_a_records_field_is_steered_by_a_rounding() -> None:
    line = ["dict", [[["str", "unit_price"], ["Decimal", "2.50"]], [["str", "qty"], ["int", "2"]]]]
    call = {"items": ["list", [line]]}
    log = [Comparison(cmplog.ROUND, ["Decimal", "5.00"], ["Decimal", "0.01"])]
    steered = [
        "dict",
        [[["str", "unit_price"], ["Decimal", "2.5025"]], [["str", "qty"], ["int", "2"]]],
    ]
    assert {"items": ["list", [steered]]} in cmplog.derive(call, log)
    # Other comparisons steer a record's field only where it is exactly an operand (below):
    # a comparison's gap does not move every field, only a rounding's total is made of them.
    assert cmplog.derive(call, [Comparison("<", ["Decimal", "2.49"], ["Decimal", "3"])]) == []


def test_an_operand_found_deep_inside_an_argument_takes_the_other_operand() -> None:
    """Input-to-state at any depth: a summary's table keyed by endpoint; a count inside it
    compared with a limit (onto it and one either side); a key the code searched in gains
    what it looked for, but is never renamed onto another (it would hold a value of another
    field's type) and never made to collide; a value that is no operand stays as it is."""
    table = ["dict", [[["str", "GET /a"], ["int", "3"]], [["str", "GET /b"], ["int", "5"]]]]
    call = {"s": ["dict", [[["str", "endpoints"], table], [["str", "requests"], ["int", "8"]]]]}

    def with_table(pairs: list[list[list[str]]]) -> dict[str, list[object]]:
        return {"s": ["dict", [[["str", "endpoints"], ["dict", pairs]], call["s"][1][1]]]}

    log = [
        Comparison("==", ["str", "GET /a"], ["str", "POST /x"]),
        Comparison("<", ["int", "5"], ["int", "7"]),
    ]
    derived = cmplog.derive(call, log)
    a, b = table[1]
    for count in ("6", "7", "8"):
        assert with_table([a, [b[0], ["int", count]]]) in derived
    assert len(derived) == 3  # the key "GET /a" is not renamed
    quoted = cmplog.derive(call, [Comparison("in", ["str", '"'], ["str", "GET /a"])])
    assert with_table([[["str", 'GET /a"'], a[1]], b]) in quoted
    # Onto another key of the same dict: not put back (it would collide).
    keys = {"t": ["dict", [[["str", "a"], ["int", "1"]], [["str", "ab"], ["int", "2"]]]]}
    assert cmplog.derive(keys, [Comparison("in", ["str", "b"], ["str", "ab"])]) == []
    # A Decimal operand matches an int passed in, and the int stays an int.
    assert with_table([a, [b[0], ["int", "9"]]]) in cmplog.derive(
        call, [Comparison(">", ["Decimal", "5.0"], ["Decimal", "9"])]
    )


def test_a_text_whose_length_is_compared_is_made_as_long_as_the_limit() -> None:
    """``len(desc) > 18`` on a line item's description of 6 characters: the description is
    made 18, 19 and 17 characters long from its own characters; a key of the same length,
    a number written as text and a text of another length stay as they are; a list passed
    in is resized by repeating its items."""
    line = [
        "dict",
        [[["str", "description"], ["str", "Widget"]], [["str", "amount"], ["str", "9.5000"]]],
    ]
    call = {"lines": ["list", [line]], "code": ["str", "ab"], "note": ["none"]}
    derived = cmplog.derive(call, [Comparison(">", ["int", "6"], ["int", "18"])])

    def described(text: str) -> dict[str, list[object]]:
        item = ["dict", [[["str", "description"], ["str", text]], line[1][1]]]
        return {"lines": ["list", [item]], "code": call["code"], "note": ["none"]}

    long = "Widget" * 4

    def resized(calls: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [c for c in calls if c["lines"][1][0][1][1] == line[1][1]]  # amount as it was

    assert [described(long[:n]) for n in (18, 19, 17)] == resized(derived)
    # Lengths are whole numbers: a comparison of other kinds resizes nothing.
    floats = [Comparison(">", ["float", "6.0"], ["float", "18.0"])]
    assert resized(cmplog.derive(call, floats)) == []
    # Cut too, and never past the ceiling.
    short = cmplog.derive(
        {"name": ["str", "abcdef"]}, [Comparison("<=", ["int", "6"], ["int", "2"])]
    )
    assert {"name": ["str", "ab"]} in short and {"name": ["str", "abc"]} in short
    at_most = cmplog.derive(
        {"name": ["str", "abcdef"]}, [Comparison("<", ["int", "6"], ["int", "1024"])]
    )
    assert sorted(len(c["name"][1]) for c in at_most) == [1023, 1024]
    # A list argument too (``len(lines) > 3``), its items repeated in order.
    a, b = ["str", "x"], ["str", "y"]
    lines = cmplog.derive(
        {"lines": ["list", [a, b]]}, [Comparison(">", ["int", "2"], ["int", "3"])]
    )
    assert [{"lines": ["list", items]} for items in ([a, b, a], [a, b, a, b])] == [
        c for c in lines if len(c["lines"][1]) != 2
    ]
    # A number the call passed in is taken for itself, not for a length (``qty >= 100``).
    held = {"name": ["str", "abcdef"], "qty": ["int", "6"]}
    assert all(
        c["name"] == held["name"]
        for c in cmplog.derive(held, [Comparison(">=", ["int", "6"], ["int", "100"])])
    )


def _example(tag: str, shape: str) -> list[Any]:
    """A valid value of each tag: the parts its shape asks for, with a number and a text
    inside every container (what the streams look for)."""
    inner = [["int", "3"], ["str", "abc"], ["none"]]
    part = {
        "s": "abc",
        "b": True,
        "i": 1,
        "v": ["int", "3"],
        "V": inner,
        "P": [[["str", "abc"], ["int", "3"]], [["int", "3"], ["none"]]],
        "F": [["abc", ["int", "3"]], ["n", ["none"]]],
    }
    return [tag, *(part[code] for code in shape)]


def test_every_kind_of_value_is_steered_without_error_into_values_of_a_valid_shape() -> None:
    """Each stream reads only what a value's tag promises: a call holding a value of every
    kind (at the top, in a list and in a record), under a log of every kind of comparison,
    derives calls that are all valid encodings."""
    from refactor_check.differential import values

    kinds = {tag: _example(tag, shape) for tag, shape in values._SHAPES.items()}
    assert all(values.is_valid(v) for v in kinds.values())
    call = {tag: value for tag, value in kinds.items()}
    call["all"] = ["list", list(kinds.values())]
    call["record"] = ["dict", [[["str", tag], value] for tag, value in kinds.items()]]
    log = [
        Comparison(op, left, right)
        for op in ("==", "<", ">=", "in", "%", cmplog.ROUND, cmplog.TIE)
        for left, right in (
            (["int", "3"], ["int", "7"]),
            (["str", "abc"], ["str", "abcd"]),
            (["Decimal", "3"], ["Decimal", "0.01"]),
        )
    ]
    derived = cmplog.derive(call, log)
    assert derived  # the numbers and texts inside were steered
    # Operands no value matches: each stream walks every value to the end.
    derived += cmplog.derive(call, [Comparison("<", ["int", "2"], ["int", "5"])])
    assert all(values.is_valid(v) for c in derived for v in c.values())


def test_a_float_is_rounded_only_at_halves_a_float_holds_exactly() -> None:
    log = [Comparison(cmplog.ROUND, ["float", repr(100 / 60)], ["int", "2"])]
    derived = cmplog.derive({"x": ["float", repr(100 / 60)]}, log)
    # Each a point a float holds exactly, half a cent or three quarters past a cent.
    parts = [Decimal(float(d["x"][1])) * 100 % 1 for d in derived]
    assert parts == [Decimal("0.5"), Decimal("0.5"), Decimal("0.75"), Decimal("0.25")], derived
    assert {"x": ["float", "1.625"]} in derived  # 2 kept: round() gives 1.62, half up 1.63
    assert {"x": ["float", "1.875"]} in derived  # 7 kept: half down and down give 1.87
    assert {"x": ["float", "1.6875"]} in derived  # down 1.68, the half modes 1.69
    assert {"x": ["float", "1.5625"]} in derived  # up 1.57, the half modes 1.56


def test_each_pair_of_rounding_modes_parts_at_one_of_the_points_steered_onto() -> None:
    """Legacy code rounding down, and a refactor rounding half to even (or any other pair of
    modes): one of the points steered onto tells them apart."""
    log = [Comparison(cmplog.ROUND, ["Decimal", "2.371"], ["Decimal", "0.01"])]
    points = [Decimal(d["amount"][1]) for d in cmplog.derive({"amount": ["Decimal", "2.371"]}, log)]
    assert points == [Decimal(p) for p in ("2.365", "2.375", "2.3675", "2.3725")]
    # Positive amounts: ceiling and floor round as up and down do.
    modes = [decimal.ROUND_UP, decimal.ROUND_DOWN, decimal.ROUND_HALF_UP, decimal.ROUND_HALF_DOWN]
    modes.append(decimal.ROUND_HALF_EVEN)
    cent = Decimal("0.01")
    for first, second in itertools.combinations(modes, 2):
        assert any(p.quantize(cent, first) != p.quantize(cent, second) for p in points), (
            first,
            second,
        )
