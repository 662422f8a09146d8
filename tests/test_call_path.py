"""Where a counterexample differs: the functions its call ran on each side, the candidate
function most likely responsible and its original counterpart, and the report's side-by-side
code marking what changed within a line. Real runs through the CLI, on the bundled example
whose change only differential testing finds, on a fixture of our own, and on a candidate that
forges the trace."""

from __future__ import annotations

import functools
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from refactor_check import sources
from refactor_check.differential import callpath, compare, values
from refactor_check.reports import sidebyside
from refactor_check.results import Status
from refactor_check.results.complexity import (
    ComplexityResult,
    ComplexitySummary,
    FunctionComplexity,
    FunctionDelta,
)
from refactor_check.structure import functions

from . import made_reports
from .conftest import EXAMPLES, FIXTURES, TOY_GOLDEN, CliResult, write_files
from .test_reports import run_cli

CALL_PATH = FIXTURES / "call_path"
FORGER = Path(__file__).resolve().parent / "attacks" / "forges_call_path"


def golden_gap_run(factory: pytest.TempPathFactory) -> CliResult:
    """The golden_gap example graded once per session: ``test_diff_browser`` reads its page."""
    return _golden_gap(factory.getbasetemp())


@functools.cache
def _golden_gap(base: Path) -> CliResult:
    root = base / "golden_gap_graded"
    run = run_cli(
        root,
        "run",
        EXAMPLES / "invoice" / "golden_gap",
        "--no-mutation",
        "--seed",
        "3",
        "--differential-examples",
        "2",
    )
    assert run.code == 1, run.stdout + run.stderr
    return run


@pytest.fixture(scope="module")
def toy_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, CliResult]:
    runs = {}
    for name, candidate in (
        ("helper_changed", CALL_PATH / "helper_changed"),
        ("helper_kept", CALL_PATH / "helper_kept"),
        ("forger", FORGER),
    ):
        root = tmp_path_factory.mktemp(name)
        runs[name] = run_cli(root, "run", candidate, "--golden", TOY_GOLDEN, "--no-mutation")
    return runs


def _counterexample(report: dict[str, Any]) -> dict[str, Any]:
    (example,) = report["differential"]["counterexamples"]
    return example


# --------------------------------------------------------------------------------------------
# Real runs


@pytest.mark.slow
def test_golden_gap_names_the_tier_helper_and_its_original(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    run = golden_gap_run(tmp_path_factory)
    report = run.report
    example = _counterexample(report)
    # The candidate changed volume_rate (">" for every tier); the original computes the rate
    # inside compute_total, which volume_rate was split out of.
    assert example["likely"] == {
        "original": "billing.invoice.compute_total",
        "candidate": "billing.pricing.volume_rate",
    }
    assert "volume_rate returned Decimal('0.02')" in example["likely_why"]
    assert "discount_rate" in example["likely_why"]
    assert example["path_original"][0] == "billing.invoice.compute_total"
    path = example["path_candidate"]
    assert path[0] == "billing.pricing.compute_total"
    assert path.index("billing.pricing.price_line") < path.index("billing.pricing.volume_rate")
    assert len(path) == len(set(path))  # each function once, first entered first
    (finding,) = report["findings"]
    assert finding["message"].endswith("(in candidate's billing.pricing.volume_rate)")
    assert (
        "likely in: candidate's billing.pricing.volume_rate (original's billing.invoice"
        in (finding["evidence"])
    )
    # The terminal's summary line says it too.
    assert "(in candidate's billing.pricing.volume_rate)" in run.stdout

    page = (run.out / "report.html").read_text("utf-8")
    link = re.search(r'<p class="differs-in">.*?<a href="#([^"]+)"[^>]*>(.*?)</a>', page, re.S)
    assert link is not None
    assert re.sub(r"<[^>]+>", "", link.group(2)) == (
        "candidate's billing.pricing.volume_rate (original's billing.invoice.compute_total)"
    )
    # The link lands on volume_rate's def, inside compute_total's pane.
    row = re.search(rf'<tr class="\w+" id="{re.escape(link.group(1))}">(.*?)</tr>', page, re.S)
    assert row is not None and "volume_rate" in row.group(1)
    pane_start = page.rindex('<details id="code-', 0, row.start())
    assert "billing.invoice.compute_total" in page[pane_start : pane_start + 300]


@pytest.mark.slow
def test_a_changed_helper_is_named_over_the_function_that_returns_its_result(
    toy_runs: dict[str, CliResult],
) -> None:
    # price returns the differing total; what changed is _factor, which it called (_check is
    # the original's code cut out unchanged, so it cannot explain the difference).
    example = _counterexample(toy_runs["helper_changed"].report)
    assert example["call"] == "toy.price(10, 1.0)"
    assert example["likely"] == {"original": "toy.price", "candidate": "toy._factor"}
    assert example["path_original"] == ["toy.price"]
    assert example["path_candidate"] == ["toy.price", "toy._check", "toy._factor"]
    assert "toy.price returned 10.0" in example["likely_why"]


@pytest.mark.slow
def test_the_same_refactor_kept_honest_shows_nothing(toy_runs: dict[str, CliResult]) -> None:
    run = toy_runs["helper_kept"]
    assert run.code == 0, run.stdout + run.stderr
    report = run.report
    assert report["verdict"] == "preserved" and report["findings"] == []
    assert report["differential"]["counterexamples"] == []
    assert "Where it differs" not in (run.out / "report.html").read_text("utf-8")


@pytest.mark.slow
def test_a_forged_trace_moves_no_verdict_and_names_only_the_packages_functions(
    toy_runs: dict[str, CliResult],
) -> None:
    run = toy_runs["forger"]
    assert run.code == 1, run.stdout + run.stderr
    report = run.report
    assert report["verdict"] == "changed"
    kinds = {f["kind"] for f in report["findings"]}
    assert "differential_mismatch" in kinds and "golden_test_failed" in kinds
    example = _counterexample(report)
    assert example["call"] == "toy.price(10, 1.0)"
    package = sources.load_package(FORGER, "toy")
    assert package is not None
    real = {f.name for f in functions.collect(package)}
    named = {*example["path_candidate"], *example["likely"].values()} - {None}
    assert named <= real
    # os.system, a file outside the package and Counter.bump at lines where it does not
    # start were fed to the profiler; none of them survives, nor the values given for them.
    assert "toy.Counter.bump" not in named and not any("system" in n for n in named)
    assert example["path_candidate"] == ["toy.price", "toy._feed"]
    assert example["likely"]["original"] == "toy.price"


# --------------------------------------------------------------------------------------------
# The parent's reading of a trace


def _answer(trace: dict[str, Any]) -> dict[str, Any]:
    return {"status": "done", "steps": [{"outcome": "returned", "call_path": trace}]}


def _trace(**changes: Any) -> dict[str, Any]:
    trace: dict[str, Any] = {
        "functions": [["toy.py", "price", 1, -1, 1], ["toy.py", "_factor", 6, 0, 2]],
        "returned": [[1, 3, ["int", "1"]], [0, 4, ["float", "10.0"]]],
        "raised_in": None,
        "cut": False,
    }
    return {**trace, **changes}


@pytest.mark.parametrize(
    "bad",
    [
        {"functions": [["toy.py", "price", 1, 0, 1]], "returned": []},  # its own caller
        {"functions": [["toy.py", "price", True, -1, 1]], "returned": []},  # a bool, no line
        {"functions": [["toy.py", "x" * 501, 1, -1, 1]], "returned": []},
        {
            "functions": [["toy.py", "price", 1, -1, 1]] * (compare.MAX_TRACED_FUNCTIONS + 1),
            "returned": [],
        },
        {"returned": [[2, 3, ["int", "1"]]]},  # no such function
        {"returned": [[0, 3, ["str", "x" * 3000]]]},
        {"returned": [[0, 3, ["nonsense"]]]},
        {"raised_in": 5},
        {"cut": "no"},
    ],
)
def test_a_trace_of_the_wrong_shape_is_no_trace(bad: dict[str, Any]) -> None:
    assert compare.parse_call_path(_answer(_trace()), 0) is not None
    assert compare.parse_call_path(_answer(_trace(**bad)), 0) is None


def test_only_functions_read_from_the_source_at_their_own_line_are_named(tmp_path: Path) -> None:
    original = write_files(
        tmp_path / "original",
        {"toy.py": "def price(qty):\n    return qty * 2\n"},
    )
    candidate = write_files(
        tmp_path / "candidate",
        {
            "toy.py": (
                "def price(qty):\n"
                "    return [_double(q) for q in [qty]][0]\n"
                "\n"
                "\n"
                "def _double(qty):\n"
                "    return qty * 3\n"
            )
        },
    )
    before, after = sources.load_package(original, "toy"), sources.load_package(candidate, "toy")
    assert before is not None and after is not None
    code = callpath.Code.read(before, after)
    trace = compare.parse_call_path(
        _answer(
            _trace(
                functions=[
                    ["toy.py", "price", 1, -1, 1],
                    ["toy.py", "price.<locals>.<listcomp>", 2, 0, 2],
                    ["toy.py", "_double", 5, 1, 3],
                    ["toy.py", "_double", 6, 2, 4],  # not where _double starts
                    ["toy.py", "os.system", 1, -1, 5],
                    ["../toy.py", "price", 1, -1, 6],
                ],
                returned=[[3, 5, ["int", "3"]], [2, 7, ["int", "3"]], [0, 9, ["int", "3"]]],
            )
        ),
        0,
    )
    assert trace is not None
    path = callpath.named(trace, code.candidate_files)
    assert path.names == ("toy.price", "toy.price", "toy._double", None, None, None)
    assert path.ordered == ("toy.price", "toy._double")
    assert path.depth(2) == 1  # the comprehension is price's own


def _code(tmp_path: Path, original: str, candidate: str) -> callpath.Code:
    packages = [
        sources.load_package(write_files(tmp_path / side, {"toy.py": text}), "toy")
        for side, text in (("original", original), ("candidate", candidate))
    ]
    assert packages[0] is not None and packages[1] is not None
    return callpath.Code.read(packages[0], packages[1])


def _parsed(**trace: Any) -> compare.CallTrace:
    parsed = compare.parse_call_path(_answer(_trace(**trace)), 0)
    assert parsed is not None
    return parsed


RETURNED_ZERO = compare.StepObservation(compare.RETURNED, ((compare.RETURN, ["int", "0"]),))


def test_an_exception_is_laid_where_it_was_raised(tmp_path: Path) -> None:
    code = _code(
        tmp_path,
        "def price(qty):\n    if qty < 0:\n        raise ValueError('negative')\n    return qty\n",
        "def price(qty):\n"
        "    _check(qty)\n"
        "    return qty\n"
        "\n"
        "\n"
        "def _check(qty):\n"
        "    if qty <= 0:\n"
        "        raise ValueError('negative')\n",
    )
    raised = compare.StepObservation(
        compare.RAISED,
        ((compare.EXCEPTION, ["exception", "ValueError", "negative"]),),
        raised_by=compare.BY_RAISE,
    )
    mismatch = compare.Mismatch(
        0,
        (values.Difference(("outcome",), ["str", "returned"], ["str", "raised"]),),
        RETURNED_ZERO,
        raised,
    )
    candidate = _parsed(
        functions=[["toy.py", "price", 1, -1, 1], ["toy.py", "_check", 6, 0, 2]],
        returned=[],
        raised_in=1,
    )
    original = _parsed(functions=[["toy.py", "price", 1, -1, 1]], returned=[[0, 2, ["int", "0"]]])
    found = callpath.locate(mismatch, original, candidate, code)
    assert found.likely == {"original": "toy.price", "candidate": "toy._check"}
    assert found.why == "the candidate's call raised ValueError in toy._check"
    assert (found.original, found.candidate) == (("toy.price",), ("toy.price", "toy._check"))


def test_a_path_the_candidate_did_not_change_names_no_function(tmp_path: Path) -> None:
    body = "def price(qty):\n    return qty * RATE\n"
    code = _code(tmp_path, "RATE = 2\n\n\n" + body, "RATE = 3\n\n\n" + body)
    mismatch = compare.Mismatch(
        0,
        (values.Difference((compare.RETURN,), ["int", "0"], ["int", "3"]),),
        RETURNED_ZERO,
        compare.StepObservation(compare.RETURNED, ((compare.RETURN, ["int", "3"]),)),
    )
    trace = _parsed(functions=[["toy.py", "price", 4, -1, 1]], returned=[[0, 2, ["int", "3"]]])
    found = callpath.locate(mismatch, trace, trace, code)
    assert found.likely == {"original": None, "candidate": None}
    assert found.candidate == ("toy.price",) and "outside functions" in found.why


_ROOM = (
    "class Room:\n"  # 1
    "    def __init__(self):\n"  # 2
    "        self.closed, self.at = dict(), 0\n"  # 3
    "\n"  # 4
    "    def available(self, sku):\n"  # 5
    "        sku = normalise(sku)\n"  # 6
    "        self.{sweep}()\n"  # 7
    "        return 0\n"  # 8
    "\n"  # 9
    "    def {sweep}(self):\n"  # 10
    "        if self.at {op} 60:\n"  # 11
    "            self.closed['A'] = 'expired'\n"  # 12
    "        return self.at\n"  # 13
    "\n"  # 14
    "\n"  # 15
    "def normalise(sku):\n"  # 16
    "    return {norm}\n"  # 17
)


def test_a_rewritten_function_that_returned_as_its_counterpart_is_passed_over(
    tmp_path: Path,
) -> None:
    """A state difference no value places: the changed method is named, not the rewritten
    module-level function that returned exactly what the original's returned."""
    code = _code(
        tmp_path,
        _ROOM.format(sweep="_sweep", op=">=", norm="sku.upper()"),
        _ROOM.format(sweep="_now", op=">", norm="str(sku).strip().upper()"),
    )
    state = ["object", "toy.Room", [["closed", ["dict", []]]]]
    expired = ["object", "toy.Room", [["closed", ["dict", [[["str", "A"], ["str", "expired"]]]]]]]
    mismatch = compare.Mismatch(
        0,
        (values.Difference((compare.RECEIVER,), expired, state),),
        compare.StepObservation(compare.RETURNED, ((compare.RETURN, ["int", "0"]),)),
        compare.StepObservation(compare.RETURNED, ((compare.RETURN, ["int", "0"]),)),
    )

    def traced(sweep: str) -> compare.CallTrace:
        return _parsed(
            functions=[
                ["toy.py", "Room.available", 5, -1, 1],
                ["toy.py", "normalise", 16, 0, 2],
                ["toy.py", f"Room.{sweep}", 10, 0, 4],
            ],
            returned=[[1, 3, ["str", "N"]], [2, 5, ["int", "60"]], [0, 6, ["int", "0"]]],
        )

    found = callpath.locate(mismatch, traced("_sweep"), traced("_now"), code)
    assert found.likely == {"original": "toy.Room._sweep", "candidate": "toy.Room._now"}
    assert "toy.normalise also changed, but returned what the original's" in found.why
    # Had normalise returned something the original's did not, it would stay first in line.
    other = _parsed(
        functions=[
            ["toy.py", "Room.available", 5, -1, 1],
            ["toy.py", "normalise", 16, 0, 2],
            ["toy.py", "Room._now", 10, 0, 4],
        ],
        returned=[[1, 3, ["str", "n"]], [2, 5, ["int", "60"]], [0, 6, ["int", "0"]]],
    )
    assert callpath.locate(mismatch, traced("_sweep"), other, code).likely["candidate"] == (
        "toy.normalise"
    )


_SHOP = (
    "class Room:\n"  # 1
    "    def __init__(self):\n"  # 2
    "        self.closed, self.at = dict(), 0\n"  # 3
    "\n"  # 4
    "    def available(self, sku):\n"  # 5
    "        sku = normalise(sku)\n"  # 6
    "        self.{name}()\n"  # 7
    "        return 0\n"  # 8
    "\n"  # 9
    "    def report(self):\n"  # 10
    "        self.{name}()\n"  # 11
    "        return len(self.closed)\n"  # 12
    "\n"  # 13
    "{body}"  # 14-
    "\n"
    "\n"
    "def normalise(sku):\n"
    "    return sku.upper()\n"
)
_SWEEP = (
    "    def _sweep(self):\n"
    "        if self.at >= 60:\n"
    "            self.closed['A'] = 'expired'\n"
    "        return self.at\n"
)
_NOW = (
    "    def _now(self):\n"
    "        moment = self.at\n"
    "        for order in [*self.closed, 'A']:\n"
    "            if moment > 60 and order == 'A':\n"
    "                self.closed[order] = 'expired'\n"
    "        return moment\n"
)


def test_a_new_function_is_paired_with_the_one_it_stands_in_place_of(tmp_path: Path) -> None:
    """When the function map finds no counterpart (a method rewritten past recognition and
    renamed, called from two places), the original's function called in the same place is
    named beside it."""
    code = _code(
        tmp_path,
        _SHOP.format(name="_sweep", body=_SWEEP),
        _SHOP.format(name="_now", body=_NOW),
    )
    assert "toy.Room._now" not in code.origin  # the map found no counterpart: new
    state = ["object", "toy.Room", [["closed", ["dict", []]]]]
    expired = ["object", "toy.Room", [["closed", ["dict", [[["str", "A"], ["str", "expired"]]]]]]]
    returned = compare.StepObservation(compare.RETURNED, ((compare.RETURN, ["int", "0"]),))
    mismatch = compare.Mismatch(
        0, (values.Difference((compare.RECEIVER,), expired, state),), returned, returned
    )

    def traced(name: str, last: int) -> compare.CallTrace:
        return _parsed(
            functions=[
                ["toy.py", "Room.available", 5, -1, 1],
                ["toy.py", "normalise", last, 0, 2],
                ["toy.py", f"Room.{name}", 14, 0, 4],
            ],
            returned=[[1, 3, ["str", "N"]], [2, 5, ["int", "60"]], [0, 6, ["int", "0"]]],
        )

    found = callpath.locate(mismatch, traced("_sweep", 21), traced("_now", 23), code)
    assert found.likely == {"original": "toy.Room._sweep", "candidate": "toy.Room._now"}


# --------------------------------------------------------------------------------------------
# Changes marked within a line


def _side(name: str, spans: list[tuple[str, int, int]]) -> ComplexitySummary:
    functions = tuple(FunctionComplexity(n, name, a, b, 1, "A") for n, a, b in spans)
    return ComplexitySummary(
        cc_total=len(functions),
        functions=len(functions),
        cc_max=1,
        cc_mean=1.0,
        per_function=functions,
    )


def test_a_changed_operator_is_all_that_is_marked_in_its_line() -> None:
    before = "def price(qty):\n    if qty <= 0:\n        raise ValueError('<b>')\n    return qty\n"
    after = (
        "def price(qty):\n"
        "    qty = int(qty)\n"
        "    if qty < 0:\n"
        "        raise ValueError('<b>')\n"
        "    return qty\n"
    )
    complexity = ComplexityResult(
        check="complexity",
        status=Status.PASSED,
        summary="measured",
        original=_side("toy.py", [("toy.price", 1, 4)]),
        candidate=_side("toy.py", [("toy.price", 1, 5)]),
        mapped=(FunctionDelta("toy.price", "toy.price", "same", None, 1, 1, ()),),
    )
    report = made_reports.report(
        complexity,
        exercise=replace(made_reports.EXERCISE, texts=(("toy.py", before),)),
        candidate=replace(made_reports.SUBMISSION, texts=(("toy.py", after),)),
    )
    pane = sidebyside.panes(report)[0]
    kinds = [row.kind for row in pane.rows]
    assert kinds == ["same", "added", "changed", "same", "same"]
    changed = pane.rows[2]
    assert changed.left is not None and changed.right is not None
    left, right = str(changed.left.html), str(changed.right.html)
    assert '<del><span class="o">&lt;=</span></del>' in left and left.count("<del>") == 1
    assert '<ins><span class="o">&lt;</span></ins>' in right and right.count("<ins>") == 1
    assert "<ins>" not in left and "<del>" not in right
    # A line only the candidate has is highlighted whole (its row), not marked within.
    added = pane.rows[1]
    assert added.left is None and added.right is not None and "<ins>" not in str(added.right.html)
    # Candidate text is text: the string's markup comes out escaped.
    raised = pane.rows[3].right
    assert raised is not None and "&lt;b&gt;" in str(raised.html)
    assert "<b>" not in "".join(str(c.html) for r in pane.rows for c in (r.left, r.right) if c)
    # A link to the pair lands on the candidate function's def.
    assert sidebyside.link([pane], "toy.price", "toy.price") == pane.rows[0].anchor
