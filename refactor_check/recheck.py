"""A re-check is free: grading the same submission again reads the whole report from the cache.

A grading is a function of what it read and how it was told to read it, so its report is kept
under a digest of all of that (``key``):

- the submission: every file the grading could read (the walk that skips environments and
  caches, with what it skipped and why) and where it lies (the report names the path);
- its git history when it is read: the repository's path and its refs (``HEAD``,
  ``packed-refs``, ``refs/``, ``shallow``, grafts). Objects are named by their content, so the
  same refs name the same commits;
- the exercise (its golden repo's content hash) and every setting the run resolved (the command
  line, the mutation profile, the differential budgets, the gates);
- the tool: its own code, the Python version (``Cache.key``) and the versions of the libraries
  whose behaviour is graded with (mutmut, pytest, hypothesis, ...).

Nothing is invalidated: a change to any of them is another key. A report is kept only when
it is complete (``incomplete``): one that a time ceiling cut, or that says the tool failed,
would freeze what a busy moment left out, so it is graded afresh next time. A submission too
large to hash cheaply is graded every time.

A kept report is a verdict handed back without looking, so only bubblewrap's gradings keep
one: it hides the cache from the candidate's code. Without it (``--sandbox none``, or no
bubblewrap on the host) the candidate's processes run as the same user and could plant a
report for their own key; such a grading keeps nothing and, once its processes are gone,
forgets every kept report (``forget``), so nothing planted during it is ever read back.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
import json
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from . import sources
from .cache import Cache
from .errors import BadInputError
from .report import Report, read_json
from .results import Status
from .results.differential import DifferentialResult
from .results.run import Recheck
from .suite import NOT_RUN, TIMEOUT

NAMESPACE = "recheck"
# The isolation under which the cache is hidden from the candidate's processes.
HIDDEN_FROM_CANDIDATE = "bwrap"
# Reading more than this to key a grading costs more than a re-check saves.
MAX_HASHED_BYTES = 64 * 1024 * 1024
_MAX_REF_FILES = 10_000
# The libraries a grading's outcome depends on, beyond the tool's own code.
_LIBRARIES = (
    "mutmut",
    "pytest",
    "hypothesis",
    "coverage",
    "libcst",
    "radon",
    "griffe",
    "dulwich",
)
# The refs and their companions that decide which commits a history walk meets.
_REF_FILES = ("HEAD", "packed-refs", "shallow", "info/grafts")


def key(
    cache: Cache,
    candidate_dir: Path,
    history_repository: Path | None,
    exercise_hash: str,
    settings: dict[str, Any],
) -> str | None:
    """The grading's key, or None when the submission is too large to hash cheaply.
    ``settings``: every resolved setting of the run, JSON-able."""
    if cache.root is None:
        return None
    submission = _submission_digest(candidate_dir)
    if submission is None:
        return None
    history = ""
    if history_repository is not None:
        found = _refs_digest(history_repository)
        if found is None:
            return None
        history = found
    return cache.key(
        NAMESPACE,
        exercise_hash,
        submission,
        history,
        json.dumps(settings, sort_keys=True, default=str),
        json.dumps(_environment(), sort_keys=True),
    )


def recall(cache: Cache, grading_key: str | None) -> Report | None:
    """The report kept under ``grading_key``, its ``recheck`` saying it was read back."""
    if grading_key is None:
        return None
    data = cache.get(NAMESPACE, grading_key)
    isolation = data.get("isolation") if isinstance(data, dict) else None
    if not isinstance(isolation, dict) or isolation.get("mode") != HIDDEN_FROM_CANDIDATE:
        return None  # not a report, or never kept so: not ours
    try:
        kept = read_json(data, "a kept report")
    except BadInputError:
        return None  # another schema's, or damaged: graded afresh
    return dataclasses.replace(kept, recheck=Recheck(from_cache=True, key=grading_key, kept=True))


def keep(cache: Cache, grading_key: str | None, report: Report) -> Report:
    """Keep a complete report for the next grading of the same submission; the report, with
    its ``recheck`` saying what was done."""
    if grading_key is None:
        why = "caching is off (--no-cache)" if cache.root is None else "too large to key"
        done = Recheck(from_cache=False, key=None, kept=False, why_not_kept=why)
        return dataclasses.replace(report, recheck=done)
    why_not = incomplete(report)
    if report.isolation.mode != HIDDEN_FROM_CANDIDATE:
        why_not = "graded without bubblewrap, which hides the cache from the candidate's code"
    if why_not is None:
        cache.put(NAMESPACE, grading_key, report.to_dict())
    done = Recheck(from_cache=False, key=grading_key, kept=why_not is None, why_not_kept=why_not)
    return dataclasses.replace(report, recheck=done)


def forget(cache: Cache) -> None:
    """Drop every kept report: after a grading whose untrusted processes could reach the
    cache (see the module's docstring)."""
    if cache.root is not None:
        shutil.rmtree(cache.root / NAMESPACE, ignore_errors=True)


def incomplete(report: Report) -> str | None:
    """Why the report must be graded afresh next time, or None when it is complete.

    A report is incomplete when a time limit, not a count, decided part of it (such a limit
    hits on a busy machine first), or when the tool itself failed somewhere.
    """
    if report.pending:
        return "a partial report"
    if report.verdict.verdict == "error":
        return "the verdict is an error"
    for check in report.checks:
        if check.status is Status.ERROR:
            return f"the {check.check} check failed"
    golden = report.golden
    if golden is not None and any(t.outcome in (TIMEOUT, NOT_RUN) for t in golden.tests):
        return "a golden test hit its time limit or never reported"
    differential = report.check("differential")
    if isinstance(differential, DifferentialResult):
        if differential.time_budget_hit:
            return "the differential search was cut by its time ceiling"
        if differential.comparison_logs_cut:
            return "a comparison-feedback run was cut by its time ceiling"
        found = differential.probes
        if found is not None and (found.cut_short or found.not_searched):
            return "the probe search was cut by its time ceiling"
    mutation = report.check("mutation")
    scores = [
        getattr(mutation, name, None)
        for name in ("golden_on_original", "candidate_tests", "candidate_tests_on_original")
    ]
    if any(score is not None and score.not_checked for score in scores):
        return "a mutation run hit its time limit before every mutant was checked"
    if report.history is not None and report.history.cut_short is not None:
        return f"the history was cut short: {report.history.cut_short}"
    return None


def _submission_digest(candidate_dir: Path) -> str | None:
    """What the grading reads of the submission, or None past ``MAX_HASHED_BYTES``."""
    root = candidate_dir.resolve()
    tree = sources.walk(root)
    digest = hashlib.sha256(str(root).encode("utf-8") + b"\0")
    total = 0
    for path in tree.files:
        try:
            size = path.stat().st_size
            total += size
            if total > MAX_HASHED_BYTES:
                return None
            content = hashlib.sha256(path.read_bytes()).digest()
        except OSError:
            return None  # a file that cannot be read now may be readable at grading
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0" + content)
    for skipped in tree.skipped:
        digest.update(b"skipped\0" + skipped.relative_to(root).as_posix().encode("utf-8"))
    for ignored in tree.ignored:
        digest.update(f"ignored\0{ignored.path}\0{ignored.why}".encode())
    return digest.hexdigest()


def _refs_digest(repository: Path) -> str | None:
    """The repository's path and the files that name its commits; None when there are too
    many to read. Symbolic links are never followed (the history reader refuses them too)."""
    git = repository.resolve() / ".git"
    digest = hashlib.sha256(str(git).encode("utf-8") + b"\0")
    files = [git / name for name in _REF_FILES]
    refs = git / "refs"
    if refs.is_dir() and not refs.is_symlink():
        listed = sources.walk(refs).files
        if len(listed) > _MAX_REF_FILES:
            return None
        files += listed
    for path in files:
        _update(digest, git, path)
    return digest.hexdigest()


def _update(digest: Any, git: Path, path: Path) -> None:
    name = path.relative_to(git).as_posix().encode("utf-8")
    if path.is_symlink() or not path.is_file():
        digest.update(name + b"\0absent\0")
        return
    try:
        digest.update(name + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    except OSError:
        digest.update(name + b"\0unreadable\0")


def _environment() -> dict[str, Any]:
    """What outside the tool's code can change a grading: library versions, the sandbox."""
    return {
        "libraries": dict(_versions(_LIBRARIES)),
        "bwrap": shutil.which("bwrap"),
    }


def _versions(names: Iterable[str]) -> Iterable[tuple[str, str | None]]:
    for name in names:
        try:
            yield name, importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            yield name, None
