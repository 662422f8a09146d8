"""Stewardship evidence: radon's module measures, the function mapping, API and duplication."""

from __future__ import annotations

from pathlib import Path

import pytest

from refactor_check import sources
from refactor_check.checks import complexity
from refactor_check.results import CheckResult
from refactor_check.results import complexity as complexity_result
from refactor_check.structure import api, duplicates, functions, mapping

from .conftest import EXAMPLES, GOLDEN_REPOS, write_files

ORIGINAL = '''
RATES = {"a": 1}


def total(items, tax):
    """Sum the items and add tax."""
    result = 0
    for item in items:
        if item["qty"] > 10:
            result += item["price"] * item["qty"] * 0.9
        else:
            result += item["price"] * item["qty"]
    if tax:
        result = result * (1 + tax)
        result = round(result, 2)
    return result


def describe(order):
    lines = []
    for item in order:
        lines.append("%s x%d" % (item["name"], item["qty"]))
    return "\\n".join(lines)


def obsolete(x):
    if x:
        return x * 2
    return 0


class Book:
    def add(self, entry):
        self.entries.append(entry)
        return len(self.entries)
'''

CANDIDATE_CORE = """
def total(items, tax):
    result = sum(_line(item) for item in items)
    return _with_tax(result, tax)


def _line(item):
    if item["qty"] > 10:
        return item["price"] * item["qty"] * 0.9
    return item["price"] * item["qty"]


def _with_tax(result, tax):
    if tax:
        result = result * (1 + tax)
        result = round(result, 2)
    return result


def render_order(order):
    lines = []
    for item in order:
        lines.append("%s x%d" % (item["name"], item["qty"]))
    return "\\n".join(lines)


def shared(value):
    return value + 1 if value else value - 1
"""

CANDIDATE_BOOK = """
class Book:
    def add(self, entry):
        self.entries.append(entry)
        return len(self.entries)
"""


def _package(root: Path, files: dict[str, str], name: str = "shop") -> sources.PackageSource:
    write_files(root, files)
    package = sources.load_package(root, name)
    assert package is not None
    return package


@pytest.fixture
def pair(tmp_path: Path) -> tuple[sources.PackageSource, sources.PackageSource]:
    original = _package(
        tmp_path / "original",
        {"shop/__init__.py": "from .core import *\n", "shop/core.py": ORIGINAL},
    )
    candidate = _package(
        tmp_path / "candidate",
        {
            "shop/__init__.py": "from .core import *\nfrom .book import Book\n",
            "shop/core.py": CANDIDATE_CORE,
            "shop/book.py": CANDIDATE_BOOK,
        },
    )
    return original, candidate


def test_functions_are_named_as_complexity_names_them(pair) -> None:
    original, _ = pair
    found = {f.name: f for f in functions.collect(original)}
    assert set(found) == {f.name for f in complexity.measure(original).per_function}
    total = found["shop.core.total"]
    assert total.signature == "(items, tax)"
    assert (total.line, total.end_line) == (4, 15)
    # The docstring is not part of the body that similarity compares.
    assert "Sum the items" not in " ".join(total.tokens)


def test_mapping_same_moved_renamed_split_removed_new(pair) -> None:
    original, candidate = pair
    found = mapping.map_functions(functions.collect(original), functions.collect(candidate))
    by_name = {m.original: m for m in found.matches}

    total = by_name["shop.core.total"]
    assert (total.candidate, total.how) == ("shop.core.total", mapping.SAME)
    # Both helpers hold code of total(): found by their bodies, listed under it.
    assert [(h.name, h.found_by) for h in total.helpers] == [
        ("shop.core._line", mapping.EXTRACTED),
        ("shop.core._with_tax", mapping.EXTRACTED),
    ]
    assert all(h.containment >= mapping.HELPER_CONTAINMENT for h in total.helpers)

    describe = by_name["shop.core.describe"]
    assert (describe.candidate, describe.how) == ("shop.core.render_order", mapping.RENAMED)
    assert describe.similarity == 1.0

    book = by_name["shop.core.Book.add"]
    assert (book.candidate, book.how) == ("shop.book.Book.add", mapping.MOVED)

    obsolete = by_name["shop.core.obsolete"]
    assert (obsolete.candidate, obsolete.how) == (None, mapping.REMOVED)
    assert found.new == ("shop.core.shared",)


PRICE_OF = """

def _price_of(entry):
    amount = entry["price"]
    return amount * entry["qty"]
"""


def test_a_helper_rewritten_while_extracted_is_found_by_its_only_caller(tmp_path: Path) -> None:
    original = _package(tmp_path / "o", {"m.py": ORIGINAL}, "m")
    line = 'return item["price"] * item["qty"]\n'
    rewritten = CANDIDATE_CORE.replace(line, "return _price_of(item)\n") + PRICE_OF
    candidate = _package(tmp_path / "c", {"m.py": rewritten}, "m")
    found = mapping.map_functions(functions.collect(original), functions.collect(candidate))
    total = next(m for m in found.matches if m.original == "m.total")
    helpers = {h.name: h.found_by for h in total.helpers}
    # _price_of shares little code with total(), but only total()'s helper _line calls it.
    assert helpers["m._price_of"] == mapping.CALLED
    assert "m._price_of" not in found.new


def test_per_function_deltas_and_totals(pair) -> None:
    original, candidate = pair
    result = complexity.compare(original, candidate)
    total = next(d for d in result.mapped if d.original == "shop.core.total")
    assert total.cc_before == 4  # for, if, if, +1
    assert total.cc_after == 2  # the generator's for
    assert [h.complexity for h in total.helpers] == [2, 2]
    assert total.cc_after_total == 6 and total.largest_after == 2 and total.delta == -2
    removed = next(d for d in result.mapped if d.original == "shop.core.obsolete")
    assert removed.cc_after is None and removed.delta is None
    assert [f.name for f in result.new_functions] == ["shop.core.shared"]
    data = complexity_result.as_json(result)
    assert data["original"]["cc_total"] == result.original.cc_total
    assert data["deltas"]["cc_max"] == {
        "original": result.original.cc_max,
        "candidate": result.candidate.cc_max,
        "delta": result.candidate.cc_max - result.original.cc_max,
    }
    assert data["original"]["largest_function"]["name"] == "shop.core.total"


def test_module_measures(pair) -> None:
    original, _ = pair
    summary = complexity.measure(original)
    core = next(m for m in summary.modules if m.file == "shop/core.py")
    assert 0 < core.mi <= 100 and core.mi_rank == "A"
    assert core.sloc > 20 and core.lloc > 0 and core.halstead_volume > 0
    assert core.halstead_effort > core.halstead_volume
    assert summary.mi_min == min(m.mi for m in summary.modules)
    assert summary.sloc == sum(m.sloc for m in summary.modules)
    assert summary.largest is not None and summary.largest.name == "shop.core.total"


def test_duplicated_blocks_with_other_literals_are_found(tmp_path: Path) -> None:
    branch = """
    if kind == {kind!r}:
        rate = {rate}
        amount = price * quantity * (1 - rate)
        amount = amount.quantize(CENT, rounding=ROUND_HALF_UP)
        lines.append((kind, amount, rate))
        total += amount
"""
    body = "def f(kind, price, quantity, lines, total):\n" + "".join(
        branch.format(kind=k, rate=r) for k, r in (("a", 0.1), ("b", 0.2), ("c", 0.3))
    )
    package = _package(tmp_path, {"dup.py": body + "    return total\n"}, "dup")
    (block,) = duplicates.find(package)
    assert block.lines == 6 and len(block.occurrences) == 3
    assert [o.line for o in block.occurrences] == [3, 10, 17]  # blank lines between copies
    assert block.redundant_lines == 12

    clean = _package(tmp_path / "clean", {"dup.py": "def f():\n    return 1\n"}, "dup")
    removed, added = duplicates.compare((block,), duplicates.find(clean))
    assert removed == (block,) and added == ()


API_BEFORE = {
    "pkg/__init__.py": """
        from .impl import run, Job
        __all__ = ['run', 'Job', 'VERSION']
        VERSION = 1
    """,
    "pkg/impl.py": """
        def run(job, retries=3):
            pass

        class Base:
            def stop(self):
                pass

        class Job(Base):
            def __init__(self, name):
                pass

            def _private(self):
                pass
    """,
}
API_AFTER = {
    "pkg/__init__.py": """
        from pkg.jobs import Job
        from pkg.runner import run as run, schedule
        __all__ = ['run', 'Job', 'schedule']
    """,
    "pkg/runner.py": """
        def run(job, *, retries=3):
            pass

        def schedule():
            pass
    """,
    "pkg/jobs.py": """
        class Job:
            def __init__(self, name):
                pass
    """,
}


def test_public_api_follows_imports_and_compares_signatures(tmp_path: Path) -> None:
    before = _package(tmp_path / "a", API_BEFORE, "pkg")
    after = _package(tmp_path / "b", API_AFTER, "pkg")
    surface = api.public_api(before)
    assert surface["pkg.run"].signature == "(job, retries=3)"
    assert surface["pkg.Job.stop"].kind == api.FUNCTION  # inherited from a class of the package
    assert "pkg.Job._private" not in surface
    diff = api.diff(surface, api.public_api(after))
    words = {c.name: (c.change, c.words) for c in diff.changes}
    change, text = words["pkg.run"]
    assert change == complexity_result.CHANGED
    assert "(job, retries=3)" in text and "(job, *, retries=3)" in text
    assert words["pkg.Job.stop"] == (complexity_result.REMOVED, "pkg.Job.stop was removed")
    assert words["pkg.VERSION"][0] == complexity_result.REMOVED
    assert words["pkg.schedule"][0] == complexity_result.ADDED
    assert "pkg.Job" not in words  # same constructor
    assert diff.unchanged == diff.names_before - 3


def test_bundled_clean_refactor_maps_every_original_function() -> None:
    original = sources.load_package(GOLDEN_REPOS / "invoice" / "original", "billing")
    candidate = sources.load_package(EXAMPLES / "invoice" / "clean_refactor", "billing")
    assert original is not None and candidate is not None
    result = complexity.compare(original, candidate)
    by_name = {d.original: d for d in result.mapped}
    assert all(d.how == mapping.MOVED for d in result.mapped)  # split into three modules
    compute = by_name["billing.invoice.compute_total"]
    assert compute.candidate == "billing.pricing.compute_total"
    assert (compute.cc_before, compute.cc_after) == (38, 19)
    helper_names = {h.name for h in compute.helpers}
    assert {"billing.pricing.price_line", "billing.pricing._checked_region"} <= helper_names
    # The copy-pasted volume-discount branches of the original are gone.
    assert result.original.duplicated_lines > 0 and result.candidate.duplicated_lines == 0
    assert result.duplicates_removed and not result.duplicates_added
    assert result.api is not None and result.api.changes == ()
    assert result.original.mi_min is not None and result.candidate.mi_min is not None
    assert result.candidate.mi_min > result.original.mi_min


def test_api_changes_are_what_a_caller_meets_not_how_it_is_spelled(tmp_path: Path) -> None:
    before = _package(
        tmp_path / "a",
        {
            "pkg/__init__.py": """
                from decimal import Decimal
                from pkg.core import add, scale, Point
                def total(items, start=0):
                    pass
            """,
            "pkg/core.py": """
                def add(sku, qty=1):
                    pass

                def scale(x, factor=2):
                    pass

                class Point:
                    def __init__(self, x, y):
                        pass
            """,
        },
        "pkg",
    )
    after = _package(
        tmp_path / "b",
        {
            "pkg/__init__.py": """
                from collections.abc import Iterable
                from pkg.core import add, scale, Point
                def total(items: Iterable[int], start: int = 0) -> int:
                    pass
            """,
            "pkg/core.py": """
                from dataclasses import dataclass
                ONE_UNIT = 1
                def add(sku: str, qty: int = ONE_UNIT) -> None:
                    pass

                def scale(x, factor=3):
                    pass

                @dataclass
                class Point:
                    x: int
                    y: int
            """,
        },
        "pkg",
    )
    diff = api.diff(api.public_api(before), api.public_api(after))
    words = {c.name: c.change for c in diff.changes}
    # Imports from outside the package are not its API (Decimal gone, Iterable new: neither).
    # Annotations, a default spelled as a constant of the same value, and a constructor
    # written by a decorator are not changes; a changed default is.
    assert words == {"pkg.scale": complexity_result.CHANGED}


@pytest.mark.parametrize("example", ["clean_refactor", "aggressive_rewrite"])
def test_the_json_form_reads_back_as_the_result_it_was_written_from(example: str) -> None:
    """What merge scores joined shards with: report.json's section, read back, writes the
    same section again and gives the scorecard the same figures, with no source measured."""
    original = sources.load_package(GOLDEN_REPOS / "invoice" / "original", "billing")
    candidate = sources.load_package(EXAMPLES / "invoice" / example, "billing")
    assert original is not None and candidate is not None
    result = complexity.compare(original, candidate)
    assert result.duplicates_removed or result.mapped  # a reading with something in it
    written = complexity_result.as_json(result)
    entry = CheckResult(check=result.check, status=result.status, summary=result.summary)
    back = complexity_result.from_json(entry, written)
    assert isinstance(back, complexity_result.ComplexityResult)
    assert complexity_result.as_json(back) == written
    assert back.change == result.change and back.api == result.api
    assert [b.redundant_lines for b in back.duplicates_added] == [
        b.redundant_lines for b in result.duplicates_added
    ]
