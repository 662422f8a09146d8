"""Temporary copies that untrusted runs work in; the submission directory is only ever read.

Every run of untrusted code gets a fresh run directory of its own, built from the sources
(not from an earlier run's leftovers), so nothing one run writes can change what the next one
sees. Only the run directory is writable when the sandbox is in force.
"""

from __future__ import annotations

import itertools
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .audit import AuditPolicy
from .sources import PackageSource, iter_tree

# A package file by this name would be honoured by the interpreter (*.pth) or by pytest
# (conftest.py) instead of being code under test, so it is never copied into a run.
_NEVER_COPIED_SUFFIXES = (".pth",)
_NEVER_COPIED_NAMES = frozenset({"conftest.py"})

# The configuration pytest is started with: an explicit, empty ini file makes pytest ignore
# every pytest.ini / tox.ini / setup.cfg / pyproject.toml it would otherwise discover.
_PYTEST_INI = "[pytest]\n"


@dataclass(frozen=True)
class RunDir:
    """The directory one untrusted process runs in."""

    name: str
    root: Path  # cwd and pytest rootdir; the only writable place under the sandbox
    # Holds the package under test and is prepended to sys.path. It is the run's root, so
    # tracebacks name the package's files by the same relative paths as the submission.
    packages: Path
    tests: Path  # the test files of this run
    home: Path
    tmp: Path
    ini: Path
    junit: Path  # pytest's JUnit XML, one of the result channels; outside root
    stdout: Path  # outside root: written by the parent's file descriptors only
    stderr: Path
    # Set when the run hosts the candidate's package: what its processes' audit hook reports.
    audit: AuditPolicy | None = None


@dataclass
class Workspace:
    """A private temporary directory; ``close()`` removes it unless asked to keep it."""

    root: Path
    keep: bool = False
    # The candidate's package and its audit policy: every run that copies that package is
    # audited (see ``audit``), whichever check starts it.
    audited: tuple[PackageSource, AuditPolicy] | None = None
    # next() on a count is atomic: checks that run side by side in threads get distinct runs.
    _numbers: Iterator[int] = field(default_factory=lambda: itertools.count(1), repr=False)

    def new_run(
        self,
        name: str,
        package: PackageSource,
        tests: Path | None,
        leave_out: frozenset[str] = frozenset(),
    ) -> RunDir:
        """A fresh run directory holding a copy of ``package`` and of the ``tests`` tree,
        without the files ``leave_out`` names (posix paths relative to ``tests``)."""
        number = next(self._numbers)
        label = f"{number:02d}-{name}"
        # The directory the untrusted process sees is named by number only: its path must
        # not tell code under test which kind of run it is in (golden, mutation, ...).
        root = self.root / "runs" / f"{number:02d}"
        logs = self.root / "logs"
        packages = root
        for directory in (root / ".home", root / ".tmp", logs):
            directory.mkdir(parents=True, exist_ok=True)
        copy_package(package, packages)
        test_dir = root / "tests"
        if tests is not None:
            copy_tree(tests, test_dir, leave_out)
        else:
            test_dir.mkdir()
        ini = root / ".pytest.ini"
        ini.write_text(_PYTEST_INI, encoding="utf-8")
        return RunDir(
            name=label,
            root=root,
            packages=packages,
            tests=test_dir,
            home=root / ".home",
            tmp=root / ".tmp",
            ini=ini,
            junit=logs / f"{label}.junit.xml",
            stdout=logs / f"{label}.stdout",
            stderr=logs / f"{label}.stderr",
            audit=self.audited[1] if self.audited and package is self.audited[0] else None,
        )

    def close(self) -> None:
        if not self.keep:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def prepare(keep: bool = False) -> Workspace:
    # A neutral name for the same reason: code under test can see this path.
    root = Path(tempfile.mkdtemp(prefix="work-"))
    return Workspace(root=root, keep=keep)


def _copyable(path: Path) -> bool:
    return path.name not in _NEVER_COPIED_NAMES and not path.name.endswith(_NEVER_COPIED_SUFFIXES)


def copy_package(package: PackageSource, destination: Path) -> None:
    """Copy the package's regular files, and its siblings' (links and special files are left
    behind)."""
    files = [f for location in package.locations for f in iter_tree(location)[0]]
    for source in files:
        if not _copyable(source):
            continue
        target = destination / source.relative_to(package.root)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)


def copy_tree(source: Path, destination: Path, leave_out: frozenset[str] = frozenset()) -> None:
    """Copy a tests tree as it is (trusted golden tests keep their conftest.py and data),
    but for the files ``leave_out`` names."""
    files, _skipped = iter_tree(source)
    destination.mkdir(parents=True, exist_ok=True)
    for path in files:
        if path.relative_to(source).as_posix() in leave_out:
            continue
        target = destination / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
