"""The `lending` exercise (four top-level modules that import each other, golden tests in a
tests/ package with a helper) and its examples, graded through the CLI as users do."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import EXAMPLES, GOLDEN_REPOS
from .test_exercises_shared import FAST, Expected, grade, python_call

EXERCISE = "lending"
ORIGINAL = GOLDEN_REPOS / EXERCISE / "original"
MODULES = ["desk", "catalog", "members", "notices"]

# A member who owes exactly the amount from which borrowing stops.
OWES_THE_LIMIT = """
from members import BLOCK_AT, Member
member = Member("ann", "Ann", balance=BLOCK_AT)
print(member.standing(), member.can_borrow())
"""


@pytest.mark.parametrize(
    "expected",
    [
        Expected("clean_refactor", 0, "preserved"),
        Expected("moves_functions", 0, "preserved"),
        # The golden suite cannot see this one: that is what the example is for.
        Expected("golden_gap", 0, "preserved"),
    ],
    ids=lambda e: e.example,
)
def test_examples_pass_the_golden_tests(cli, expected: Expected) -> None:
    grade(cli, EXERCISE, expected)


def test_the_exercise_is_several_modules_and_its_tests_a_package() -> None:
    from refactor_check import exercise

    loaded = exercise.load(GOLDEN_REPOS / EXERCISE)
    assert loaded.modules == tuple(MODULES)
    assert sorted(p.name for p in ORIGINAL.iterdir() if p.suffix == ".py") == sorted(
        f"{m}.py" for m in MODULES
    )
    assert (GOLDEN_REPOS / EXERCISE / "tests" / "__init__.py").is_file()
    assert sum(len((ORIGINAL / f"{m}.py").read_text().splitlines()) for m in MODULES) >= 300


def test_moving_functions_behind_the_old_import_paths_is_preserved_and_mapped(cli) -> None:
    result = cli("run", EXAMPLES / EXERCISE / "moves_functions", *FAST)

    assert result.code == 0, result.stdout + result.stderr
    complexity = result.report["complexity"]
    moved = {
        (f["original"], f["candidate"]) for f in complexity["functions"] if f["how"] == "moved"
    }
    assert moved == {
        ("notices.money", "members.money"),
        ("notices.fine_if_returned", "desk.fine_if_returned"),
    }
    changes = {(c["name"], c["change"]) for c in complexity["api"]["changes"]}
    assert changes == {("desk.fine_if_returned", "added"), ("members.money", "added")}
    # The duplicated fine rule is gone: one copy fewer of its branches.
    assert complexity["candidate"]["cc_total"] < complexity["original"]["cc_total"]
    assert result.report["candidate"]["added_modules"] == []


def test_deleting_a_module_callers_import_is_a_finding_that_names_it(cli) -> None:
    result = cli("run", EXAMPLES / EXERCISE / "deletes_module", *FAST)

    assert result.code == 1, result.stdout + result.stderr
    report = result.report
    assert report["verdict"] == "changed"
    assert report["candidate"]["removed_modules"] == ["catalog"]
    removed = [f for f in report["findings"] if f["kind"] == "module_removed"]
    assert len(removed) == 1 and "module 'catalog' of the original" in removed[0]["message"]
    assert any("No module named 'catalog'" in f["message"] for f in report["findings"])


def test_the_golden_gap_in_a_sibling_module_is_found_by_the_differential_run(cli) -> None:
    result = cli("run", EXAMPLES / EXERCISE / "golden_gap", "--no-mutation")

    assert result.code == 1, result.stdout + result.stderr
    report = result.report
    assert all(t["outcome"] == t["expected"] for t in report["golden"]["tests"])
    found = [f for f in report["findings"] if f["kind"] == "differential_mismatch"]
    assert found and {f["message"].split(":")[0] for f in found} <= {
        "members.Member.standing",
        "members.Member.can_borrow",
    }
    calls = [c["call"] for c in report["differential"]["counterexamples"]]
    assert calls and all("balance=500" in call for call in calls)


def test_the_golden_gap_change_is_visible_to_a_caller() -> None:
    assert python_call(ORIGINAL, OWES_THE_LIMIT) == "blocked (False, 'blocked')\n"
    changed = python_call(EXAMPLES / EXERCISE / "golden_gap", OWES_THE_LIMIT)
    assert changed == "owes (True, 'ok')\n"


@pytest.mark.slow
def test_a_clean_refactor_that_extracts_modules_is_graded_across_them(cli) -> None:
    """The extracted modules are the candidate's code as much as the exercise's four are.
    Mutation testing of an extracted module is shown on a small fixture
    (test_multi_module.py); this exercise's full pipeline, mutation included, is graded by
    benchmarks/examples.py."""
    result = cli("run", EXAMPLES / EXERCISE / "clean_refactor", "--no-mutation")

    assert result.code == 0, result.stdout + result.stderr
    report = result.report
    assert report["verdict"] == "preserved" and report["findings"] == []
    assert report["exercise"]["modules"] == MODULES
    assert report["candidate"]["added_modules"] == ["due_dates.py", "fines.py"]
    # The differential run covered the public names of every module of the exercise.
    compared = {t["path"].split(".")[0] for t in report["differential"]["targets"] if t["calls"]}
    assert compared == set(MODULES)
    complexity = report["complexity"]
    assert complexity["original"]["cc_total"] == 117
    assert not [c for c in complexity["api"]["changes"] if c["change"] == "removed"]
    before = max(f["cc_before"] for f in complexity["functions"])
    after = max(f["largest_after"] or 0 for f in complexity["functions"])
    assert after < before


def test_the_clean_refactors_tests_were_written_against_the_original(tmp_path: Path) -> None:
    # A tests/ package: pytest puts the folder that holds it on sys.path, so the tests must
    # sit beside the original's modules, not beside the example's.
    for module in ORIGINAL.glob("*.py"):
        shutil.copy(module, tmp_path)
    shutil.copytree(EXAMPLES / EXERCISE / "clean_refactor" / "tests", tmp_path / "tests")
    completed = subprocess.run(
        [sys.executable, "-P", "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stdout
    assert "29 passed" in completed.stdout
