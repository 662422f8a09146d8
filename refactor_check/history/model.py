"""What the history stage hands on: the commits read, each one's outcome, and the facts.

Plain frozen dataclasses, so reading, grading and deriving facts can each be tested alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# How the starter commit was found.
BY_CONTENT, BY_SINCE = "content", "since"
# What replaying the golden suite's recorded calls found at a commit.
SAME, DIFFERENT, NOT_COMPARED = "same", "different", "not compared"


@dataclass(frozen=True)
class Touched:
    """The files one commit changed, by kind; at most 20 of each kind are named."""

    package: tuple[str, ...]
    tests: tuple[str, ...]
    other: tuple[str, ...]
    package_files: int
    test_files: int
    other_files: int


@dataclass(frozen=True)
class Commit:
    sha: str
    message: str  # its first line, printable characters only
    time: int  # commit time, seconds since the epoch (as the repository says: not checked)
    merge: bool  # the walk followed its first parent only
    holds_original: bool  # its package is the exercise's original, file for file
    touched: Touched
    package_lines: int  # lines of the package it changed (removed plus added, blanks apart)
    tree: str | None  # the submission directory's tree; None: the directory is not there
    directory: Path | None  # where its files were written; None: not graded (over the limit)

    @property
    def short(self) -> str:
        return self.sha[:8]


@dataclass(frozen=True)
class GitHistory:
    """The first-parent chain from the starter commit (excluded) to HEAD, as read."""

    repository: Path
    head: str
    starter: str | None  # None: no commit held the original (or --since named none)
    starter_how: str  # BY_CONTENT or BY_SINCE
    commits: tuple[Commit, ...]
    walked: int  # commits read back from HEAD
    walk_cut: bool  # the walk stopped at its limit before the root commit
    notes: tuple[str, ...]


@dataclass(frozen=True)
class StepOutcome:
    """One commit's state graded: the golden suite, their own tests, the recorded calls."""

    problem: str | None = None  # why nothing ran (package missing, does not parse, ...)
    golden_passed: int = 0
    golden_total: int = 0
    golden_failing: tuple[str, ...] = ()  # the first few golden tests that did not behave
    own_passed: int = 0
    own_total: int = 0  # 0: no tests of theirs at this commit
    own_failing: tuple[str, ...] = ()
    own_passing: tuple[str, ...] = ()  # their tests that passed (the pinned ones, first)
    behaviour: str = NOT_COMPARED  # SAME, DIFFERENT or NOT_COMPARED
    behaviour_evidence: str | None = None  # the first difference's finding message

    @property
    def golden_green(self) -> bool:
        return (
            self.problem is None
            and self.golden_total > 0
            and self.golden_passed == self.golden_total
            and self.behaviour != DIFFERENT
        )

    @property
    def own_green(self) -> bool | None:
        """None when they had no tests at this commit."""
        if self.own_total == 0:
            return None
        return self.problem is None and self.own_passed == self.own_total

    @property
    def green(self) -> bool:
        return self.golden_green and self.own_green is not False


@dataclass(frozen=True)
class Step:
    commit: Commit
    outcome: StepOutcome | None  # None: not graded (beyond the commit limit)


@dataclass(frozen=True)
class PinnedFirst:
    """Their tests that passed on the original before the package first changed."""

    commit: str  # the last commit before the package first changed
    tests: tuple[str, ...]
    mutants_killed: int | None = None  # of the original's mutants; None: not measured
    mutants_total: int | None = None
    note: str | None = None


@dataclass(frozen=True)
class Break:
    commit: str  # the first commit not green after a green one
    what: str  # what failed there, in words
    repaired_by: str | None  # the next green commit; None: never repaired in the history


@dataclass(frozen=True)
class Facts:
    first_package_change: str | None
    pinned_first: PinnedFirst | None
    pinned_note: str  # one line: what the pinned-first fact rests on
    green_commits: int  # graded commits from the first package change on that were green
    judged_commits: int  # graded commits from the first package change on
    breaks: tuple[Break, ...]
    largest_change: tuple[str, int] | None  # (commit, package lines changed)

    @property
    def green_share(self) -> float | None:
        if not self.judged_commits:
            return None
        return round(self.green_commits / self.judged_commits, 3)


@dataclass(frozen=True)
class History:
    """The stage's result: ``why`` says why there is none (the submission grades as today)."""

    why: str | None
    read: GitHistory | None = None
    steps: tuple[Step, ...] = ()
    facts: Facts | None = None
    notes: tuple[str, ...] = ()
    # What a time ceiling cut (reading, or checking the commits): a busy machine's doing, so
    # such a history is never kept for a re-check.
    cut_short: str | None = None

    @property
    def available(self) -> bool:
        return self.why is None and self.read is not None
