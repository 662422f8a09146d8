"""Finding and parsing a package's source files (the original's or a candidate's).

Parsing happens here, in the trusted process, with ``compile()`` and libcst: nothing is ever
imported or run. ``compile()`` is the last word on whether the running Python accepts a file
(libcst accepts some code the compiler rejects, such as ``return`` outside a function, and
locates errors less precisely); libcst gives the concrete syntax tree later stages work on.
"""

from __future__ import annotations

import ast
import keyword
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import libcst as cst

# Folders that are never code under test or tests, wherever they sit: bytecode, tools'
# caches, version control. None of these names is importable, so skipping them can never
# hide a module a run would need. They are never read, scanned or copied into a workspace.
IGNORED_DIRS: dict[str, str] = {
    "__pycache__": "bytecode cache",
    ".pytest_cache": "pytest's cache",
    ".mypy_cache": "mypy's cache",
    ".ruff_cache": "ruff's cache",
    ".hypothesis": "hypothesis's example database",
    ".ipynb_checkpoints": "notebook checkpoints",
    ".git": "version control",
    ".hg": "version control",
    ".svn": "version control",
    ".tox": "a tox environment",
    ".nox": "a nox environment",
    ".venv": "a virtual environment",
    ".eggs": "setuptools' downloads",
    ".idea": "editor settings",
    ".vscode": "editor settings",
    ".vs": "editor settings",
    ".fleet": "editor settings",
    ".history": "editor history",
    ".direnv": "direnv's environment",
}
# More folders that are not the submission when they sit at its top level (beside the
# package): build output, reports and the like. Inside a package the same names may be real
# subpackages (``billing/build/``), so there they are code like any other.
IGNORED_TOP_LEVEL_DIRS: dict[str, str] = {
    "venv": "a virtual environment",
    "build": "build output",
    "dist": "build output",
    "htmlcov": "a coverage report",
    "node_modules": "JavaScript packages",
    "mutants": "mutation testing's working copy",
    "refactor-check-report": "refactor-check's own report",
}

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
    """A package as files on disk: a directory package or a single-file module, and the
    modules a candidate added beside it (``siblings``), which are their code as much as the
    package is: copied into every run, scanned, mutated and measured with it."""

    root: Path  # the directory that holds the package (what goes on sys.path)
    name: str
    location: Path  # root/<name>/ or root/<name>.py
    files: tuple[SourceFile, ...]
    # Entries that are not plain files or directories (symlinks, devices): never copied or read.
    skipped: tuple[str, ...] = ()
    # Top-level modules and packages beside the package that are part of the code, each
    # root/<name>/ or root/<name>.py; their files are in ``files`` too.
    siblings: tuple[Path, ...] = ()

    @property
    def is_module(self) -> bool:
        return self.location.suffix == ".py"

    @property
    def locations(self) -> tuple[Path, ...]:
        """Every top-level module and package of the code: the package, then its siblings."""
        return (self.location, *self.siblings)

    @property
    def module_names(self) -> tuple[str, ...]:
        """The top-level import names of the code: the package's, then its siblings'."""
        return tuple(location.name.removesuffix(".py") for location in self.locations)

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


def ignored_because(directory: Path, top_level: bool = False) -> str | None:
    """Why ``directory`` is not part of a package, its tests or a submission, or None.

    A virtual environment is known by its ``pyvenv.cfg`` (or conda's ``conda-meta/``), so it
    is recognised under any name; ``top_level`` adds the names that are only safe to skip
    beside the package (see ``IGNORED_TOP_LEVEL_DIRS``). Every reason names what the folder
    is, for the report's list of what was ignored.
    """
    name = directory.name
    if name in IGNORED_DIRS:
        return IGNORED_DIRS[name]
    if name.endswith(".egg-info") or name.endswith(".dist-info"):
        return "packaging metadata"
    if (directory / "pyvenv.cfg").is_file() or (directory / "conda-meta").is_dir():
        return "a virtual environment"
    if top_level:
        if name in IGNORED_TOP_LEVEL_DIRS:
            return IGNORED_TOP_LEVEL_DIRS[name]
        if name.startswith("."):
            # Not importable, so never the package or a module of it: tool and CI state
            # (.github/, the starter's .refactor-check/ practice copy, ...).
            return "a hidden folder (tooling or CI state)"
    return None


@dataclass(frozen=True)
class IgnoredDir:
    """A folder left out of a tree, and why; ``path`` is relative to the tree's root."""

    path: str
    why: str


@dataclass(frozen=True)
class Tree:
    """A directory tree as the grader reads it: sorted, so that everything derived from it is
    independent of directory order."""

    files: tuple[Path, ...]  # regular files
    skipped: tuple[Path, ...]  # links and special files: never followed, copied or read
    ignored: tuple[IgnoredDir, ...] = ()


def walk(root: Path, keep_top_level: frozenset[str] = frozenset()) -> Tree:
    """Every regular file under ``root``, outside the folders that are not the submission.

    At the top level, names in ``keep_top_level`` (the package's own) are never ignored.
    """
    if root.is_file():
        return Tree((root,), ())
    files: list[Path] = []
    skipped: list[Path] = []
    ignored: list[IgnoredDir] = []
    stack = [root]
    while stack:
        directory = stack.pop()
        for entry in sorted(directory.iterdir()):
            if entry.is_symlink():
                skipped.append(entry)
            elif entry.is_dir():
                top = directory == root and entry.name not in keep_top_level
                why = ignored_because(entry, top_level=top)
                if why is None:
                    stack.append(entry)
                else:
                    ignored.append(IgnoredDir(entry.relative_to(root).as_posix() + "/", why))
            elif entry.is_file():
                files.append(entry)
            else:
                skipped.append(entry)
    return Tree(tuple(sorted(files)), tuple(sorted(skipped)), tuple(sorted(ignored, key=_by_path)))


def _by_path(entry: IgnoredDir) -> str:
    return entry.path


def iter_tree(location: Path) -> tuple[list[Path], list[Path]]:
    """Every regular file of a package tree, and every entry skipped (links, special files)."""
    tree = walk(location)
    return list(tree.files), list(tree.skipped)


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
        undecodable = SyntaxProblem(relative, line, 1, f"not valid UTF-8 ({exc.reason})")
        return SourceFile(relative, "", None, undecodable)
    tree, problem = parse(relative, text)
    return SourceFile(relative, text, tree, problem)


def load_package(root: Path, name: str, siblings: tuple[str, ...] = ()) -> PackageSource | None:
    """Read and parse every .py file of package ``name`` under ``root`` (and of the
    ``siblings`` beside it); None when the package is absent."""
    location = locate(root, name)
    if location is None:
        return None
    beside = tuple(found for n in siblings if (found := locate(root, n)) is not None)
    paths: list[Path] = []
    skipped: list[Path] = []
    for place in (location, *beside):
        more, links = iter_tree(place)
        paths += more
        skipped += links
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
        siblings=beside,
    )


def imported_top_levels(paths: Iterable[Path]) -> set[str]:
    """The top-level names the files import absolutely (``import a.b``, ``from a import b``),
    read from their syntax trees (nothing is run): the modules code may need beside itself.
    A file that does not read or parse imports nothing here; the syntax check reports it."""
    found: set[str] = set()
    for path in paths:
        try:
            tree = ast.parse(path.read_bytes())
        except (OSError, SyntaxError, ValueError, RecursionError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".", 1)[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".", 1)[0])
    return found
