"""Locating and parsing packages: libcst plus the compiler, links refused, problems located."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from refactor_check import candidate, exercise, sources
from refactor_check.errors import BadInputError

from .conftest import write_files


def test_directory_package_wins_and_files_are_sorted(tmp_path: Path) -> None:
    write_files(tmp_path, {"pkg/__init__.py": "", "pkg/b.py": "x = 1\n", "pkg/a.py": "y = 2\n"})
    write_files(tmp_path, {"pkg.py": "z = 3\n"})
    package = sources.load_package(tmp_path, "pkg")
    assert package is not None and not package.is_module
    assert [f.path for f in package.files] == ["pkg/__init__.py", "pkg/a.py", "pkg/b.py"]
    assert all(f.tree is not None and f.problem is None for f in package.files)


def test_syntax_error_is_located(tmp_path: Path) -> None:
    write_files(tmp_path, {"pkg/__init__.py": "", "pkg/core.py": "x = 1\ndef f(:\n    pass\n"})
    package = sources.load_package(tmp_path, "pkg")
    assert package is not None
    (problem,) = package.problems
    assert (problem.path, problem.line) == ("pkg/core.py", 2)


def test_compiler_catches_what_libcst_accepts(tmp_path: Path) -> None:
    # libcst parses this; the compiler rejects it.
    write_files(tmp_path, {"mod.py": "x = 1\nreturn x\n"})
    package = sources.load_package(tmp_path, "mod")
    assert package is not None
    (problem,) = package.problems
    assert problem.line == 2 and "outside function" in problem.message


def test_non_utf8_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "mod.py").write_bytes(b"x = 1\ny = '\xff'\n")
    package = sources.load_package(tmp_path, "mod")
    assert package is not None
    (problem,) = package.problems
    assert problem.line == 2 and "UTF-8" in problem.message


def test_links_are_skipped_not_followed(tmp_path: Path) -> None:
    secret = write_files(tmp_path / "outside", {"secret.py": "TOKEN = 1\n"})
    write_files(tmp_path / "sub", {"pkg/__init__.py": ""})
    os.symlink(secret / "secret.py", tmp_path / "sub" / "pkg" / "leak.py")
    package = sources.load_package(tmp_path / "sub", "pkg")
    assert package is not None
    assert [f.path for f in package.files] == ["pkg/__init__.py"]
    assert package.skipped == ("pkg/leak.py",)


def test_candidate_load_finds_own_tests_and_notes_an_empty_tests_dir(
    toy_golden: Path, tmp_path: Path
) -> None:
    ex = exercise.load(toy_golden)
    with_tests = write_files(
        tmp_path / "a", {"toy.py": "", "tests/test_x.py": "", "tests/helper.py": ""}
    )
    loaded = candidate.load(with_tests, ex)
    assert loaded.test_files == ("tests/test_x.py",)
    assert loaded.tests == with_tests / "tests"
    empty = write_files(tmp_path / "b", {"toy.py": ""})
    (empty / "tests").mkdir()
    loaded = candidate.load(empty, ex)
    assert loaded.tests is None and loaded.test_files == ()
    assert any("no test_*.py" in note for note in loaded.notes)


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        (lambda root: None, "does not exist"),
        (lambda root: root.write_text("x"), "is not a directory"),
        (lambda root: root.mkdir(), "no package 'toy'"),
    ],
)
def test_candidate_bad_input(toy_golden: Path, tmp_path: Path, setup, expected: str) -> None:
    root = tmp_path / "cand"
    setup(root)
    with pytest.raises(BadInputError, match=expected):
        candidate.load(root, exercise.load(toy_golden))
