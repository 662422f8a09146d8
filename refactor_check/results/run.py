"""What a grading ran on and how: the exercise, the submission, the isolation in force.

The Report states these facts; it needs none of the loaders that found them (``exercise``,
``candidate``, ``sources``) or the sandbox that probed the isolation, so each is built once
by the module that knows it and handed on as plain data.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from .codec import pairs, structure


@dataclass(frozen=True)
class ExerciseFacts:
    name: str
    package: str  # the first of ``modules``: the name reports show for the code
    modules: tuple[str, ...]
    title: str
    content_hash: str
    # The original package's files as read, (path, text): every human report can be rebuilt
    # from report.json alone.
    texts: tuple[tuple[str, str], ...] = ()
    # exercise.toml's [scorecard] table as written: a shard's report carries it so merge can
    # score the joined mutation scores as the exercise says.
    scorecard_settings: Any = None


@dataclass(frozen=True)
class IgnoredFolder:
    path: str  # relative to the submission's root
    why: str


@dataclass(frozen=True)
class SubmissionFacts:
    path: str  # the submission's root, absolute
    package: str  # where its package is, relative to ``path``
    # The package's files, (path relative to ``package``'s folder, text), in reading order.
    texts: tuple[tuple[str, str], ...] = ()
    added_modules: tuple[str, ...] = ()  # modules beside the package, relative to ``path``
    removed_modules: tuple[str, ...] = ()  # the exercise's modules the submission lacks
    own_tests: tuple[str, ...] = ()
    starter_tests: tuple[str, ...] = ()  # the starter's test files, unchanged: not theirs
    ignored: tuple[IgnoredFolder, ...] = ()  # environments, caches, ...: never read
    notes: tuple[str, ...] = ()

    @property
    def files(self) -> tuple[str, ...]:
        return tuple(path for path, _ in self.texts)


@dataclass(frozen=True)
class Isolation:
    """What was in force for the untrusted runs, as the report shows it."""

    mode: str  # "bwrap" or "rlimits"
    process_limit: str  # "cgroup", "rlimit" or "none"
    notes: tuple[str, ...] = ()

    @property
    def description(self) -> str:
        walls = {
            "bwrap": "bwrap sandbox (read-only root, private HOME and /tmp, no network, "
            "own pid namespace)",
            "rlimits": "no namespace sandbox: rlimits, a scrubbed environment and a process "
            "group only",
        }[self.mode]
        count = {
            "cgroup": "process count capped by a pids cgroup",
            "rlimit": "process count capped by RLIMIT_NPROC",
            "none": "process count NOT capped",
        }[self.process_limit]
        return f"{walls}; {count}"


@dataclass(frozen=True)
class Recheck:
    """The ``recheck`` block of report.json: where this report came from, and whether the
    next grading of the same submission will read it back."""

    from_cache: bool
    key: str | None  # None: nothing of this grading is kept (--no-cache, or too large)
    kept: bool
    why_not_kept: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


# The JSON form. Both packages' texts are written apart, under report.json's ``sources``, so
# the exercise and candidate blocks stay short to read; reading joins them again.


def exercise_json(facts: ExerciseFacts) -> dict[str, Any]:
    return {
        "name": facts.name,
        "package": facts.package,
        "modules": list(facts.modules),
        "title": facts.title,
        "content_hash": facts.content_hash,
    }


def exercise_from_json(
    data: dict[str, Any], texts: dict[str, str], scorecard_settings: Any
) -> ExerciseFacts:
    return structure(
        {**data, "texts": pairs(texts), "scorecard_settings": scorecard_settings}, ExerciseFacts
    )


def submission_json(facts: SubmissionFacts) -> dict[str, Any]:
    return {
        "path": facts.path,
        "package": facts.package,
        "files": list(facts.files),
        "added_modules": list(facts.added_modules),
        "removed_modules": list(facts.removed_modules),
        "own_tests": list(facts.own_tests),
        "starter_tests": list(facts.starter_tests),
        "ignored": [{"path": i.path, "why": i.why} for i in facts.ignored],
        "notes": list(facts.notes),
    }


def submission_from_json(data: dict[str, Any], texts: dict[str, str]) -> SubmissionFacts:
    return structure({**data, "texts": pairs(texts)}, SubmissionFacts)


def isolation_json(isolation: Isolation) -> dict[str, Any]:
    return {
        "mode": isolation.mode,
        "process_limit": isolation.process_limit,
        "description": isolation.description,
        "notes": list(isolation.notes),
    }
