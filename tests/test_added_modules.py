"""A candidate who extracts modules beside the package: their code, graded as the package is.

Extracting a module is the most ordinary refactor there is. The modules the package (or the
candidate's tests) import from beside it are copied into every run, scanned by the integrity
rules, mutated for the verification score, measured for complexity with functions mapped
across modules, shown with the package's files, and never counted as new public API.
"""

from __future__ import annotations

from pathlib import Path

from refactor_check import candidate as candidate_mod
from refactor_check import exercise as exercise_mod

from .conftest import write_files

PRICING = """
BULK_QTY = 10
BULK_FACTOR = 0.9


def bulk_factor(qty):
    return BULK_FACTOR if qty >= BULK_QTY else 1


def price(qty, unit):
    if qty <= 0:
        raise ValueError("qty must be positive")
    return round(qty * unit * bulk_factor(qty), 2)
"""
COUNTING = """
class Counter:
    def __init__(self):
        self.count = 0

    def bump(self, by=1):
        if by < 0:
            raise ValueError("negative")
        self.count += by
        return self.count
"""
FACADE = """
from toy_pricing import price
from toy_parts.counting import Counter

__all__ = ["Counter", "price"]
"""
OWN_TESTS = """
import pytest
from toy import Counter, price
from toy_pricing import bulk_factor


def test_bulk_factor_boundary():
    assert bulk_factor(9) == 1
    assert bulk_factor(10) == 0.9


def test_price():
    assert price(2, 1.5) == 3.0
    with pytest.raises(ValueError):
        price(0, 1.0)


def test_counter():
    c = Counter()
    assert c.bump(2) == 2
    with pytest.raises(ValueError):
        c.bump(-1)
"""


def _extracted(make_candidate) -> Path:
    return make_candidate(
        {
            "toy.py": FACADE,
            "toy_pricing.py": PRICING,
            "toy_parts/__init__.py": "",
            "toy_parts/counting.py": COUNTING,
            "tests/test_toy.py": OWN_TESTS,
            "scratch.py": "import subprocess\nsubprocess.run(['true'])\n",
        }
    )


def test_modules_the_package_imports_from_beside_it_are_graded_with_it(
    make_candidate, toy_golden: Path, cli
) -> None:
    submission = _extracted(make_candidate)

    result = cli("run", submission, "--golden", toy_golden, "--differential-examples", "20")

    assert result.code == 0, result.stdout + result.stderr
    report = result.report
    assert report["verdict"] == "preserved"
    assert report["candidate"]["added_modules"] == ["toy_parts", "toy_pricing.py"]
    assert set(report["candidate"]["files"]) == {
        "toy.py",
        "toy_pricing.py",
        "toy_parts/__init__.py",
        "toy_parts/counting.py",
    }
    # The diff shows them: their text is in the report, the HTML names them.
    assert "toy_pricing.py" in report["sources"]["candidate"]
    # Functions are mapped across modules; the new helper is a new function, not new API.
    mapped = {r["original"]: r["candidate"] for r in report["complexity"]["functions"]}
    assert mapped["toy.price"] == "toy_pricing.price"
    assert mapped["toy.Counter.bump"] == "toy_parts.counting.Counter.bump"
    price_row = next(r for r in report["complexity"]["functions"] if r["original"] == "toy.price")
    assert [h["name"] for h in price_row["helpers"]] == ["toy_pricing.bulk_factor"]
    api_names = {c["name"] for c in report["complexity"]["api"]["changes"]}
    assert not any(name.startswith(("toy_pricing", "toy_parts")) for name in api_names)
    # Their tests were scored on mutants of the extracted modules too.
    own = report["mutation"]["candidate_tests"]
    assert own is not None and own["total"] > 0
    mutated_files = {m["file"] for m in own["mutants"]}
    assert set(own["source_files"]) >= {"toy_pricing.py", "toy_parts/counting.py"}
    assert {"toy_pricing.py", "toy_parts/counting.py"} <= mutated_files
    # scratch.py is beside the package but nothing imports it: not graded, not scanned.
    assert not any("scratch.py" in f["message"] for f in report["findings"])
    # Counter.__init__ moved as it was; price and bump were rewritten.
    assert report["complexity"]["change"]["functions_changed"] == 2


def test_an_added_module_is_scanned_like_the_package(make_candidate, toy_golden: Path, cli):
    submission = make_candidate(
        {
            "toy.py": "from toy_pricing import price\n" + COUNTING,
            "toy_pricing.py": "import subprocess\n" + PRICING,
        }
    )
    result = cli("run", submission, "--golden", toy_golden, "--no-mutation", "--no-differential")
    assert result.code == 1, result.stdout + result.stderr
    found = [f for f in result.report["findings"] if f.get("rule") == "spawns_or_connects"]
    assert [(f["file"], f["line"]) for f in found] == [("toy_pricing.py", 1)]


def test_a_module_beside_the_package_never_shadows_one_the_runs_provide(
    make_candidate, toy_golden: Path
) -> None:
    # A candidate's decimal.py or pytest.py would replace the real one for the golden tests.
    submission = make_candidate(
        {
            "toy.py": "import decimal\nimport toy_pricing\nfrom toy_pricing import price\n"
            + COUNTING,
            "toy_pricing.py": "import pytest\n" + PRICING,
            "decimal.py": "Decimal = float\n",
            "pytest.py": "raises = None\n",
        }
    )
    loaded = candidate_mod.load(submission, exercise_mod.load(toy_golden))
    assert loaded.package.module_names == ("toy", "toy_pricing")
    refused = [n for n in loaded.notes if "is not graded" in n]
    assert len(refused) == 2
    assert any(n.startswith("decimal.py beside the package") for n in refused)
    assert any(n.startswith("pytest.py beside the package") for n in refused)


def test_a_tests_only_helper_module_is_the_candidates_code_too(
    make_candidate, toy_golden: Path
) -> None:
    submission = make_candidate(
        {"toy.py": (Path(__file__).parent / "fixtures" / "toy_clean" / "toy.py").read_text()}
    )
    write_files(
        submission,
        {
            "toy_checks.py": "def same(a, b):\n    return a == b\n",
            "tests/test_it.py": "from toy import price\nfrom toy_checks import same\n\n"
            "def test_it():\n    assert same(price(1, 1.0), 1.0)\n",
        },
    )
    loaded = candidate_mod.load(submission, exercise_mod.load(toy_golden))
    assert loaded.package.module_names == ("toy", "toy_checks")
