"""Golden repo loading: the contract's layout, settings, and one clear line per problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from refactor_check import exercise
from refactor_check.errors import BadInputError
from refactor_check.limits import Limits

from .conftest import write_files


def test_minimal_layout_loads_with_defaults(toy_golden: Path) -> None:
    loaded = exercise.load(toy_golden)
    assert (loaded.name, loaded.package) == ("toy", "toy")
    assert loaded.tests == toy_golden / "tests"
    assert loaded.limits == Limits()
    assert len(loaded.content_hash) == 64


def test_limits_override_from_exercise_toml(toy_golden: Path) -> None:
    (toy_golden / "exercise.toml").write_text(
        '[exercise]\npackage = "toy"\n[limits]\nwall_seconds = 12.5\nmemory_mb = 512\n'
    )
    loaded = exercise.load(toy_golden)
    assert loaded.limits.wall_seconds == 12.5
    assert loaded.limits.memory_mb == 512
    assert loaded.name == "golden"  # defaults to the directory name


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda g: (g / "exercise.toml").unlink(), "has no exercise.toml"),
        (lambda g: (g / "exercise.toml").write_text("[exercise\n"), "is not valid TOML"),
        (lambda g: (g / "exercise.toml").write_text("[exercise]\npackage=3\n"), "must set package"),
        (
            # Without package or modules the code is what original/ holds: here, nothing.
            lambda g: (
                (g / "exercise.toml").write_text('[exercise]\nname="x"\n'),
                (g / "original" / "toy.py").unlink(),
            ),
            "original/ holds no module to take instead",
        ),
        (lambda g: (g / "exercise.toml").write_text("name = 1\n"), "needs an [exercise] table"),
        (
            lambda g: (g / "exercise.toml").write_text('[exercise]\npackage = "a.b"\n'),
            "not a valid Python import name",
        ),
        (
            lambda g: (g / "exercise.toml").write_text('[exercise]\npackage = "pytest"\n'),
            "would shadow the test machinery",
        ),
        (
            lambda g: (g / "exercise.toml").write_text(
                '[exercise]\npackage = "toy"\n[limits]\nwall_seconds = -1\n'
            ),
            "must be a positive number",
        ),
        (
            lambda g: (g / "exercise.toml").write_text(
                '[exercise]\npackage = "toy"\n[limits]\nwal_seconds = 3\n'
            ),
            "unknown setting [limits] wal_seconds",
        ),
        (lambda g: (g / "original" / "toy.py").unlink(), "original/ holds no package 'toy'"),
        (lambda g: (g / "tests" / "test_toy.py").unlink(), "holds no test_*.py files"),
    ],
)
def test_malformed_golden_repo_is_one_clear_line(toy_golden: Path, mutate, expected: str) -> None:
    mutate(toy_golden)
    with pytest.raises(BadInputError) as excinfo:
        exercise.load(toy_golden)
    message = str(excinfo.value)
    assert expected in message
    assert "\n" not in message


def test_missing_golden_dir(tmp_path: Path) -> None:
    with pytest.raises(BadInputError, match="does not exist"):
        exercise.load(tmp_path / "nope")


def test_content_hash_changes_with_any_file_but_not_bytecode(toy_golden: Path) -> None:
    before = exercise.content_hash(toy_golden)
    write_files(toy_golden, {"tests/__pycache__/x.pyc": "junk"})
    assert exercise.content_hash(toy_golden) == before
    write_files(toy_golden, {"tests/data.txt": "x"})
    assert exercise.content_hash(toy_golden) != before


def test_resolution_order(tmp_path: Path, toy_golden: Path, monkeypatch) -> None:
    monkeypatch.setenv("REFACTOR_CHECK_EXERCISES", str(tmp_path / "builtins"))
    write_files(tmp_path / "builtins" / "alpha", {"exercise.toml": "[exercise]\n"})
    candidate = write_files(tmp_path / "cand", {".refactor-check.toml": 'exercise = "alpha"\n'})
    # --golden wins over everything
    assert exercise.resolve(toy_golden, "alpha", candidate) == toy_golden
    # then --exercise
    assert exercise.resolve(None, "alpha", tmp_path) == tmp_path / "builtins" / "alpha"
    # then the candidate's .refactor-check.toml
    assert exercise.resolve(None, None, candidate) == tmp_path / "builtins" / "alpha"


def test_resolution_errors_list_the_builtins(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("REFACTOR_CHECK_EXERCISES", str(tmp_path / "builtins"))
    write_files(tmp_path / "builtins" / "alpha", {"exercise.toml": "[exercise]\n"})
    with pytest.raises(BadInputError, match=r"unknown exercise 'beta' \(built-in exercises: alpha"):
        exercise.resolve(None, "beta", tmp_path)
    with pytest.raises(BadInputError, match=r"no exercise given.*alpha"):
        exercise.resolve(None, None, tmp_path)
    bad = write_files(tmp_path / "cand", {".refactor-check.toml": "exercise = 3\n"})
    with pytest.raises(BadInputError, match='must set exercise = "NAME"'):
        exercise.resolve(None, None, bad)
