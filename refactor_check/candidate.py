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

from . import dependencies, importable, sources
from .authoring import starter
from .errors import BadInputError
from .exercise import Exercise
from .results.run import IgnoredFolder, SubmissionFacts

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
    # Top-level modules the candidate added beside the exercise's (part of ``package``).
    added_modules: tuple[str, ...] = ()
    # The exercise's modules the submission no longer has: each is a finding.
    removed_modules: tuple[str, ...] = ()

    def facts(self) -> SubmissionFacts:
        """What the report states about the submission."""
        folder = self.package.location
        return SubmissionFacts(
            path=str(self.root.resolve()),
            package=folder.relative_to(self.root).as_posix(),
            texts=tuple((f.path, f.text) for f in self.package.files),
            # Modules the candidate added beside the package, graded as part of it.
            added_modules=tuple(
                p.relative_to(self.root).as_posix()
                for p in self.package.siblings
                if p.name.removesuffix(".py") in self.added_modules
            ),
            removed_modules=self.removed_modules,
            own_tests=self.test_files,
            starter_tests=self.starter_tests,
            ignored=tuple(IgnoredFolder(i.path, i.why) for i in self.ignored),
            notes=self.notes,
        )

    @property
    def tests_not_theirs(self) -> frozenset[str]:
        """The starter's test files, relative to ``tests``: left out of the runs of their tests."""
        return frozenset(path.removeprefix("tests/") for path in self.starter_tests)


def check_dir(candidate_dir: Path) -> None:
    """Bad input unless ``candidate_dir`` is a directory.

    Checked before anything else reads the submission: a mistyped path is named as such, not
    reported as whatever looking inside it found missing (its exercise config, say).
    """
    if not candidate_dir.exists():
        raise BadInputError(f"candidate directory {candidate_dir} does not exist")
    if not candidate_dir.is_dir():
        raise BadInputError(f"candidate path {candidate_dir} is not a directory")


def load(candidate_dir: Path, exercise: Exercise) -> Candidate:
    check_dir(candidate_dir)
    present = [m for m in exercise.modules if sources.locate(candidate_dir, m) is not None]
    if not present:
        name = exercise.package
        expected = (
            f"expected {name}/ or {name}.py there"
            if len(exercise.modules) == 1
            else f"expected any of {', '.join(exercise.modules)} there"
        )
        raise BadInputError(
            f"no package {name!r} in {candidate_dir} ({expected}): "
            "pass the submission's root directory"
        )
    name, location = present[0], sources.locate(candidate_dir, present[0])
    assert location is not None
    removed = tuple(m for m in exercise.modules if m not in present)
    notes: list[str] = []
    test_paths = _test_paths(candidate_dir)
    places = [p for m in present if (p := sources.locate(candidate_dir, m)) is not None]
    added = _siblings(candidate_dir, exercise, places, test_paths, notes)
    siblings = (*present[1:], *added)
    too_large = _too_large(candidate_dir, name, siblings)
    if too_large is not None:
        empty = sources.PackageSource(root=candidate_dir, name=name, location=location, files=())
        return Candidate(candidate_dir, empty, None, (), (), rejected=too_large)
    package = sources.load_package(candidate_dir, name, siblings)
    assert package is not None  # located above
    if added:
        listed = ", ".join(p.name for p in package.siblings if p.name.removesuffix(".py") in added)
        notes.append(
            f"modules the candidate added beside the package, graded as part of it: {listed}"
        )
    starters = _starter_texts(exercise)
    shipped = tuple(
        p.relative_to(candidate_dir).as_posix() for p in test_paths if _text(p) in starters
    )
    test_files = tuple(
        p.relative_to(candidate_dir).as_posix()
        for p in test_paths
        if p.relative_to(candidate_dir).as_posix() not in shipped
    )
    if shipped:
        notes.append(
            f"{', '.join(shipped)}: the starter's test file(s), unchanged; the exercise's "
            "work, not the candidate's (not scored as their tests)"
        )
    tests_dir = candidate_dir / "tests"
    if tests_dir.is_dir() and not test_paths:
        notes.append("tests/ holds no test_*.py or *_test.py files: no own tests to score")
    elif test_paths and not test_files:
        notes.append("tests/ holds only the starter's tests: no own tests to score")
    keep = {package.location.name, "tests", *(p.name for p in package.siblings)}
    return Candidate(
        root=candidate_dir,
        package=package,
        tests=tests_dir if test_files else None,
        test_files=test_files,
        notes=tuple(notes),
        ignored=sources.walk(candidate_dir, frozenset(keep)).ignored,
        starter_tests=shipped,
        added_modules=added,
        removed_modules=removed,
    )


def _test_paths(candidate_dir: Path) -> list[Path]:
    tests_dir = candidate_dir / "tests"
    if not tests_dir.is_dir() or tests_dir.is_symlink():
        return []
    files, _ = sources.iter_tree(tests_dir)
    return [p for p in files if _is_test_file(p)]


def _siblings(
    root: Path,
    exercise: Exercise,
    places: list[Path],
    test_paths: list[Path],
    notes: list[str],
) -> tuple[str, ...]:
    """Modules and packages the candidate added beside the package (extracting a module is the
    most ordinary refactor there is): those the package or their tests import, and what those
    import in turn. A name the runs already provide (the standard library, pytest, a declared
    distribution) or that would shadow the test machinery is never taken: copied into a run,
    it would replace that module for the golden tests too."""
    provided = set(importable.for_tests(exercise.dependencies).modules)
    readable = [p for place in places for p in sources.iter_tree(place)[0] if p.suffix == ".py"]
    wanted = sources.imported_top_levels([*readable, *test_paths])
    taken: list[str] = []
    seen = set(exercise.modules)
    while wanted - seen:
        name = min(wanted - seen)
        seen.add(name)
        place = sources.locate(root, name)
        if place is None or sources.ignored_because(place, top_level=True) is not None:
            continue
        if (
            dependencies.is_standard_library(name)
            or name in provided
            or sources.check_package_name(name) is not None
        ):
            notes.append(
                f"{place.name} beside the package is not graded: {name!r} is a module the runs "
                "already provide (the standard library, pytest or a declared dependency) or a "
                "reserved name, and the code imports that one"
            )
            continue
        taken.append(name)
        files = [p for p in sources.iter_tree(place)[0] if p.suffix == ".py"]
        wanted |= sources.imported_top_levels(files)
    return tuple(sorted(taken))


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


def _too_large(root: Path, name: str, siblings: tuple[str, ...]) -> str | None:
    """Why the package (and the modules beside it) is too large to grade, or None. A
    submission is the candidate's to keep within bounds, so this is their finding, not a
    usage error."""
    places = [p for n in (name, *siblings) if (p := sources.locate(root, n)) is not None]
    files = [f for place in places for f in sources.iter_tree(place)[0]]
    total = sum(p.stat().st_size for p in files)
    if len(files) > MAX_PACKAGE_FILES or total > MAX_PACKAGE_BYTES:
        return (
            f"package {name!r} is too large to grade ({len(files)} files, {total} bytes; "
            f"limits {MAX_PACKAGE_FILES} files, {MAX_PACKAGE_BYTES} bytes)"
        )
    return None
