"""Find the submission's repository and read its history, in a bounded process of its own.

The repository is hostile input. Nothing of it runs: git is never started (its config could
name programs: fsmonitor, filters, hooks), the objects are parsed by dulwich in ``reader.py``,
and that process has a memory, CPU, file-size and wall-clock ceiling. A repository that
borrows objects from elsewhere on the machine (alternates, a worktree's commondir, a ``.git``
file pointing away) is not read at all: its history is not the submission's to give.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..exercise import Exercise
from ..limits import Limits
from ..runner import Ending, run_trusted
from .model import BY_CONTENT, BY_SINCE, Commit, GitHistory, Touched
from .reader import is_exercise_file, package_digest

_READER = Path(__file__).resolve().parent / "reader.py"
_CEILING = "reading it took longer than its"


def is_ceiling(why: str) -> bool:
    """Whether ``read``'s reason for no history is its time ceiling (not the repository)."""
    return why.startswith(_CEILING)


@dataclass(frozen=True)
class ReadLimits:
    """How much of a history is read. The defaults keep a hostile repository cheap."""

    max_commits: int = 50  # commits graded after the starter; later ones are listed only
    max_walk: int = 1000  # commits read back from HEAD while looking for the starter
    max_entries: int = 20_000  # entries in one commit's tree
    max_file_bytes: int = 5 * 1024 * 1024  # as candidate.MAX_PACKAGE_BYTES
    max_tree_bytes: int = 50 * 1024 * 1024  # one commit's files together
    seconds: float = 120.0  # the reading process's wall clock (a ceiling; it says so)
    # Checking the commits, all together: a ceiling on a history of hanging commits.
    grading_seconds: float = 900.0
    memory_mb: int = 1024


@dataclass(frozen=True)
class Located:
    repository: Path  # the work tree that holds .git
    subdir: str  # where the submission lies inside it, posix ("" at its root)


def locate(candidate_dir: Path, history: Path | None) -> Located | str:
    """The repository to read, or one line saying why there is none to read."""
    root = (history or candidate_dir).resolve()
    candidate = candidate_dir.resolve()
    git = root / ".git"
    if git.is_symlink():
        return f"{git} is a symbolic link: not followed"
    if git.is_file():
        return (
            f"{git} is a file pointing elsewhere (a worktree or submodule): pass --history "
            "the repository itself"
        )
    if not git.is_dir():
        if history is not None:
            return f"--history {history}: not a git repository (no .git directory)"
        return "the submission is not a git repository"
    for borrowed in ("objects/info/alternates", "commondir"):
        if (git / borrowed).exists():
            return f"the repository borrows objects from elsewhere ({borrowed}): not read"
    linked = _linked_objects(git)
    if linked is not None:
        return f"the repository borrows objects from elsewhere ({linked} is a link): not read"
    subdir = ""
    if candidate != root:
        if root not in candidate.parents:
            return f"--history {history}: the submission {candidate_dir} is not inside it"
        subdir = candidate.relative_to(root).as_posix()
    return Located(root, subdir)


def _linked_objects(git: Path) -> str | None:
    """The first symbolic link among the object store and what lies directly in it."""
    objects = git / "objects"
    if objects.is_symlink():
        return "objects"
    for directory in (objects, objects / "pack"):  # a linked pack was found in objects
        if not directory.is_dir():
            continue
        with os.scandir(directory) as listing:
            for entry in listing:
                if entry.is_symlink():
                    return Path(entry.path).relative_to(git).as_posix()
    return None


def original_digest(exercise: Exercise) -> str:
    """``package_digest`` of the exercise's original, as its files lie on disk."""
    base = exercise.original
    files = [
        (path.relative_to(base).as_posix(), path.read_bytes())
        for path in sorted(base.rglob("*.py"))
        if path.is_file() and not path.is_symlink()
    ]
    return package_digest((p, d) for p, d in files if is_exercise_file(p, exercise.modules))


def read(
    located: Located,
    exercise: Exercise,
    out: Path,
    since: str | None = None,
    limits: ReadLimits = ReadLimits(),
) -> GitHistory | str:
    """The history, or one line saying why it could not be read."""
    out.mkdir(parents=True, exist_ok=True)
    original = original_digest(exercise)
    spec = {
        "repo": str(located.repository),
        "subdir": located.subdir,
        "out": str(out),
        "modules": list(exercise.modules),
        "original_digest": original,
        "since": since,
        "max_commits": limits.max_commits,
        "max_walk": limits.max_walk,
        "max_entries": limits.max_entries,
        "max_file_bytes": limits.max_file_bytes,
        "max_tree_bytes": limits.max_tree_bytes,
    }
    spec_file = out / "spec.json"
    spec_file.write_text(json.dumps(spec), "utf-8")
    ceiling = Limits(
        wall_seconds=limits.seconds,
        stall_seconds=None,
        cpu_seconds=int(limits.seconds),
        memory_mb=limits.memory_mb,
        output_mb=max(64, limits.max_tree_bytes // (1024 * 1024) + 1),
        processes=16,
        open_files=256,
    )
    result = run_trusted(
        [sys.executable, "-I", str(_READER), str(spec_file)], out, ceiling, out / "reader.log"
    )
    if result.ending is Ending.TIMEOUT:
        return f"{_CEILING} {limits.seconds:g} s ceiling"
    manifest = _load(out / "manifest.json")
    if manifest is None:
        # Its log is not quoted: a crash's text can hold what the repository points at.
        how = f"exit {result.exit_code}" if result.signal is None else f"signal {result.signal}"
        return f"the reader stopped without an answer ({how})"
    if isinstance(manifest.get("error"), str):
        return str(manifest["error"])[:300]
    return _history(manifest, located, out, original)


def _load(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _history(
    manifest: dict[str, Any], located: Located, out: Path, original: str
) -> GitHistory | str:
    """The manifest as dataclasses; a malformed one is a failure to read, said in one line."""
    try:
        commits = tuple(_commit(c, out, original) for c in manifest["commits"])
        history = GitHistory(
            repository=located.repository,
            head=_sha(manifest["head"]),
            starter=None if manifest["starter"] is None else _sha(manifest["starter"]),
            starter_how=_one_of(manifest["starter_how"], (BY_CONTENT, BY_SINCE)),
            commits=commits,
            walked=_count(manifest["walked"]),
            walk_cut=bool(manifest["walk_cut"]),
            notes=tuple(_text(n) for n in manifest["notes"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        return f"the reader's manifest is malformed ({exc})"
    return history


def _commit(data: dict[str, Any], out: Path, original: str) -> Commit:
    touched, counts = data["touched"], data["counts"]
    directory = data["dir"]
    if directory is not None:
        path = (out / _text(directory)).resolve()
        if out.resolve() not in path.parents:
            raise ValueError(f"a commit directory outside the output: {directory!r}")
    return Commit(
        sha=_sha(data["sha"]),
        message=_text(data["message"]),
        time=_count(data["time"]),
        merge=bool(data["merge"]),
        holds_original=_text(data["package_digest"]) == original,
        touched=Touched(
            package=tuple(_text(p) for p in touched["package"]),
            tests=tuple(_text(p) for p in touched["tests"]),
            other=tuple(_text(p) for p in touched["other"]),
            package_files=_count(counts["package"]),
            test_files=_count(counts["tests"]),
            other_files=_count(counts["other"]),
        ),
        package_lines=_count(data["package_lines"]),
        tree=None if data["tree"] is None else _sha(data["tree"]),
        directory=None if directory is None else out / directory,
    )


def _sha(value: object) -> str:
    if not isinstance(value, str) or len(value) != 40 or value.strip("0123456789abcdef"):
        raise ValueError(f"not a commit id: {str(value)[:60]!r}")
    return value


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"not text: {str(value)[:60]!r}")
    return value


def _count(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"not a count: {str(value)[:60]!r}")
    return value


def _one_of(value: object, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise ValueError(f"not one of {choices}: {str(value)[:60]!r}")
    return str(value)
