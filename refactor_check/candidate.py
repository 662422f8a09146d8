"""Loading a submission: where its package is, its parsed files, its own tests.

Nothing here runs the candidate's code. A submission that cannot be parsed is still loaded:
its syntax errors become findings, so the interviewer sees file and line.

What is graded is the package and the candidate's own tests. A real submission folder holds
more: a virtual environment, caches, build output, editor and CI folders, the starter's own
files. Those are listed as ignored (``sources.ignored_because`` says why each one) and never
read again. Test files the starter shipped, unchanged, are the exercise's, not the
candidate's: they are matched by content and never count as the candidate's work.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import sources
from .authoring import starter
from .errors import BadInputError
from .exercise import Exercise

# What a candidate may submit at most; beyond it the submission is rejected as a finding.
MAX_PACKAGE_FILES = 500
MAX_PACKAGE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Candidate:
    root: Path
    package: sources.PackageSource
    tests: Path | None  # root/tests when it holds at least one test file of the candidate's
    test_files: tuple[str, ...]  # the candidate's own, relative to root, posix style
    notes: tuple[str, ...]  # facts worth showing that are not findings
    # Why the package was not read at all (too large to grade): the syntax check makes it a
    # finding, and nothing of it runs. The package then has no files.
    rejected: str | None = None
    # Folders of the submission that are not graded (environments, caches, ...), and why.
    ignored: tuple[sources.IgnoredDir, ...] = ()
    # Test files under tests/ that are the starter's, unchanged: never run as theirs.
    starter_tests: tuple[str, ...] = ()

    @property
    def tests_not_theirs(self) -> frozenset[str]:
        """The starter's test files, relative to ``tests``: left out of the runs of their tests."""
        return frozenset(path.removeprefix("tests/") for path in self.starter_tests)


def load(candidate_dir: Path, exercise: Exercise) -> Candidate:
    if not candidate_dir.exists():
        raise BadInputError(f"candidate directory {candidate_dir} does not exist")
    if not candidate_dir.is_dir():
        raise BadInputError(f"candidate path {candidate_dir} is not a directory")
    name = exercise.package
    location = sources.locate(candidate_dir, name)
    too_large = _too_large(location, name) if location is not None else None
    if location is not None and too_large is not None:
        empty = sources.PackageSource(root=candidate_dir, name=name, location=location, files=())
        return Candidate(candidate_dir, empty, None, (), (), rejected=too_large)
    package = sources.load_package(candidate_dir, name)
    if package is None:
        raise BadInputError(
            f"no package {name!r} in {candidate_dir} (expected {name}/ or {name}.py there): "
            "pass the submission's root directory"
        )
    notes: list[str] = []
    tests_dir = candidate_dir / "tests"
    test_files: tuple[str, ...] = ()
    shipped: tuple[str, ...] = ()
    if tests_dir.is_dir() and not tests_dir.is_symlink():
        files, _ = sources.iter_tree(tests_dir)
        found = [p for p in files if _is_test_file(p)]
        starters = _starter_texts(exercise)
        shipped = tuple(
            p.relative_to(candidate_dir).as_posix() for p in found if _text(p) in starters
        )
        test_files = tuple(
            p.relative_to(candidate_dir).as_posix()
            for p in found
            if p.relative_to(candidate_dir).as_posix() not in shipped
        )
        if shipped:
            notes.append(
                f"{', '.join(shipped)}: the starter's test file(s), unchanged; the exercise's "
                "work, not the candidate's (not scored as their tests)"
            )
        if not found:
            notes.append("tests/ holds no test_*.py or *_test.py files: no own tests to score")
        elif not test_files:
            notes.append("tests/ holds only the starter's tests: no own tests to score")
    keep = {location.name if location is not None else name, "tests"}
    return Candidate(
        root=candidate_dir,
        package=package,
        tests=tests_dir if test_files else None,
        test_files=test_files,
        notes=tuple(notes),
        ignored=sources.walk(candidate_dir, frozenset(keep)).ignored,
        starter_tests=shipped,
    )


def _text(path: Path) -> str | None:
    """A file's text as compared with the starter's: line endings and trailing blanks, which
    editors and git change on their own, do not make a file the candidate's work."""
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    lines = [line.rstrip() for line in text.splitlines()]
    return "\n".join(lines).strip("\n")


def _starter_texts(exercise: Exercise) -> set[str]:
    """The normalised texts of the test files the exercise's starter ships."""
    chosen = starter.visible_tests(exercise, starter.settings(exercise))
    texts = {_text(test.source) for test in chosen}
    return {t for t in texts if t}


def _is_test_file(path: Path) -> bool:
    return path.suffix == ".py" and (path.name.startswith("test_") or path.stem.endswith("_test"))


def _too_large(location: Path, name: str) -> str | None:
    """Why the package at ``location`` is too large to grade, or None. A submission is the
    candidate's to keep within bounds, so this is their finding, not a usage error."""
    files, _ = sources.iter_tree(location)
    total = sum(p.stat().st_size for p in files)
    if len(files) > MAX_PACKAGE_FILES or total > MAX_PACKAGE_BYTES:
        return (
            f"package {name!r} is too large to grade ({len(files)} files, {total} bytes; "
            f"limits {MAX_PACKAGE_FILES} files, {MAX_PACKAGE_BYTES} bytes)"
        )
    return None
