"""What the end-to-end tests of the built-in exercises share, and the checks every one gets.

Each exercise's own module (test_exercises_<name>.py) declares its examples' expected
outcomes and a call a caller can make to see its golden_gap change. Nothing here imports
exercise code into the test process: candidate and original code runs in subprocesses (the
CLI's sandboxed runner, or a plain `python -P` for a caller's view).
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from refactor_check import exercise as exercise_mod
from refactor_check.authoring import starter

from .conftest import EXAMPLES, GOLDEN_REPOS

# Grading without the slow stages: mutation testing and differential testing are tested
# in their own modules; here the golden check decides.
FAST = ("--no-mutation", "--no-differential")
# The exercises written with the authoring commands (invoice predates them).
AUTHORED = ("ratelimit", "logreport")


@dataclass(frozen=True)
class Expected:
    example: str
    code: int
    verdict: str
    failing: frozenset[str] = frozenset()  # golden test ids the example fails


def grade(cli, exercise: str, expected: Expected) -> None:
    result = cli("run", EXAMPLES / exercise / expected.example, *FAST)
    assert result.code == expected.code, result.stdout + result.stderr
    report = result.report
    assert report["exercise"]["name"] == exercise  # from the example's .refactor-check.toml
    assert report["verdict"] == expected.verdict
    failed = {f["test_id"] for f in report["findings"]}
    assert failed == expected.failing
    assert {f["kind"] for f in report["findings"]} <= {"golden_test_failed"}
    golden = report["golden"]
    assert golden["passed"] == golden["total"] - len(expected.failing)


def python_call(package_root: Path, script: str) -> str:
    """What `script` prints with the package at `package_root` importable (a caller's view)."""
    completed = subprocess.run(
        [sys.executable, "-P", "-c", script],
        env={**os.environ, "PYTHONPATH": str(package_root)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


def own_tests_on_original(exercise: str, example: str) -> subprocess.CompletedProcess[str]:
    """The example's own tests run against the original package (characterization)."""
    return subprocess.run(
        [sys.executable, "-P", "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=EXAMPLES / exercise / example,
        env={**os.environ, "PYTHONPATH": str(GOLDEN_REPOS / exercise / "original")},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("exercise", AUTHORED)
def test_the_module_is_gnarly_sized_and_standard_library_only(exercise: str) -> None:
    loaded = exercise_mod.load(GOLDEN_REPOS / exercise)
    files = sorted((loaded.original / loaded.package).rglob("*.py"))
    imported: set[str] = set()
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    assert 200 <= max(len(p.read_text().splitlines()) for p in files) <= 400
    assert imported <= set(sys.stdlib_module_names)
    assert "random" not in imported and "time" not in imported  # deterministic


@pytest.mark.parametrize("exercise", ["invoice", *AUTHORED, "lending"])
def test_a_starter_handed_back_untouched_passes(cli, exercise: str, tmp_path: Path) -> None:
    """Graded by the exercise's name (its .refactor-check.toml), and by its practice repo."""
    repo = starter.export_dir(GOLDEN_REPOS / exercise, tmp_path / "starter")
    result = cli("run", repo.root, *FAST)
    assert result.code == 0, result.stdout + result.stderr
    golden = result.report["golden"]
    assert golden["passed"] == golden["total"] >= 25
    practice = cli("run", repo.root, "--golden", repo.root / starter.PRACTICE, *FAST)
    assert practice.code == 0, practice.stdout + practice.stderr


@pytest.mark.parametrize("exercise", AUTHORED)
def test_the_examples_readme_gives_every_example_a_verdict(exercise: str) -> None:
    readme = (EXAMPLES / exercise / "README.md").read_text(encoding="utf-8")
    examples = sorted(p.name for p in (EXAMPLES / exercise).iterdir() if p.is_dir())
    assert {"clean_refactor", "breaks_golden", "golden_gap"} <= set(examples)
    for example in examples:
        row = next(line for line in readme.splitlines() if line.startswith(f"| `{example}`"))
        assert "**" in row, f"{example}: no expected verdict in its README row"
