"""Finding and parsing a package's source files (the original's or a candidate's).

Parsing happens here, in the trusted process, with ``compile()`` and libcst: nothing is ever
imported or run. ``compile()`` is the last word on whether the running Python accepts a file
(libcst accepts some code the compiler rejects, such as ``return`` outside a function, and
locates errors less precisely); libcst gives the concrete syntax tree later stages work on.
"""

from __future__ import annotations

import keyword
from dataclasses import dataclass
from pathlib import Path

import libcst as cst

# Files that never belong to the package under test: pytest would honour a conftest.py, the
# interpreter a *.pth; bytecode is regenerated. They are never copied into a workspace.
IGNORED_DIRS = frozenset({"__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", ".git"})

# Import names that would shadow the machinery that runs the tests in the same process.
# "tests" is where the tests sit beside the package in a run directory.
RESERVED_PACKAGE_NAMES = frozenset(
    {"refactor_check", "pytest", "_pytest", "pluggy", "conftest", "tests"}
)


@dataclass(frozen=True)
class SyntaxProblem:
    """Where and why a file does not parse. Lines and columns are 1-based."""

    path: str
    line: int
    column: int
    message: str


@dataclass(frozen=True)
class SourceFile:
    """One Python file of a package; ``path`` is relative to the submission root, posix style."""

    path: str
    text: str
    tree: cst.Module | None
    problem: SyntaxProblem | None


@dataclass(frozen=True)
class PackageSource:
    """A package as files on disk: a directory package or a single-file module."""

    root: Path  # the directory that holds the package (what goes on sys.path)
    name: str
    location: Path  # root/<name>/ or root/<name>.py
    files: tuple[SourceFile, ...]
    # Entries that are not plain files or directories (symlinks, devices): never copied or read.
    skipped: tuple[str, ...] = ()

    @property
    def is_module(self) -> bool:
        return self.location.suffix == ".py"

    @property
    def problems(self) -> tuple[SyntaxProblem, ...]:
        return tuple(f.problem for f in self.files if f.problem is not None)


def check_package_name(name: str) -> str | None:
    """Why ``name`` cannot be an exercise's import name, or None when it can."""
    if not name.isidentifier() or keyword.iskeyword(name):
        return f"package {name!r} is not a valid Python import name (one identifier, no dots)"
    if name in RESERVED_PACKAGE_NAMES:
        return f"package {name!r} would shadow the test machinery; choose another import name"
    return None


def locate(root: Path, name: str) -> Path | None:
    """The package directory or module file for ``name`` under ``root``, if present.

    A directory wins over a same-named module, as it does for the import system. Symlinks are
    refused: a link could point at the golden tests or outside the submission.
    """
    package_dir = root / name
    if package_dir.is_dir() and not package_dir.is_symlink():
        return package_dir
    module_file = root / f"{name}.py"
    if module_file.is_file() and not module_file.is_symlink():
        return module_file
    return None


def iter_tree(location: Path) -> tuple[list[Path], list[Path]]:
    """Every regular file of a package tree, and every entry skipped (links, special files).

    Sorted, so that everything derived from the listing is independent of directory order.
    """
    if location.is_file():
        return [location], []
    files: list[Path] = []
    skipped: list[Path] = []
    stack = [location]
    while stack:
        directory = stack.pop()
        for entry in sorted(directory.iterdir()):
            if entry.is_symlink():
                skipped.append(entry)
            elif entry.is_dir():
                if entry.name not in IGNORED_DIRS:
                    stack.append(entry)
            elif entry.is_file():
                files.append(entry)
            else:
                skipped.append(entry)
    return sorted(files), sorted(skipped)


def parse(path: str, text: str) -> tuple[cst.Module | None, SyntaxProblem | None]:
    """Compile first (the authority, with precise locations), then build the libcst tree.

    A file the compiler accepts but libcst cannot parse is not the candidate's fault: it gets
    no tree (later stages skip it) and no problem.
    """
    try:
        compile(text, path, "exec", dont_inherit=True)
    except SyntaxError as exc:
        return None, SyntaxProblem(path, exc.lineno or 1, exc.offset or 1, exc.msg)
    except ValueError as exc:  # e.g. NUL bytes in the source
        return None, SyntaxProblem(path, 1, 1, str(exc))
    try:
        return cst.parse_module(text), None
    except cst.ParserSyntaxError:
        return None, None


def read_source(path: Path, relative: str) -> SourceFile:
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        problem = SyntaxProblem(relative, line, 1, f"not valid UTF-8 ({exc.reason})")
        return SourceFile(relative, "", None, problem)
    tree, problem = parse(relative, text)
    return SourceFile(relative, text, tree, problem)


def load_package(root: Path, name: str) -> PackageSource | None:
    """Read and parse every .py file of package ``name`` under ``root``; None when absent."""
    location = locate(root, name)
    if location is None:
        return None
    paths, skipped = iter_tree(location)
    files = tuple(
        read_source(path, path.relative_to(root).as_posix())
        for path in paths
        if path.suffix == ".py"
    )
    return PackageSource(
        root=root,
        name=name,
        location=location,
        files=files,
        skipped=tuple(p.relative_to(root).as_posix() for p in skipped),
    )
