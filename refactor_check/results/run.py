"""What a grading ran on and how: the exercise, the submission, the isolation in force.

The Report states these facts; it needs none of the loaders that found them (``exercise``,
``candidate``, ``sources``) or the sandbox that probed the isolation, so each is built once
by the module that knows it and handed on as plain data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


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
