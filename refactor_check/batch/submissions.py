"""Finding the submissions of a cohort: every immediate subfolder is one candidate.

Hidden folders (``.git``, ``.cache``) are not candidates, and neither are files or links: a
link could point anywhere, and a submission is graded from what is in the folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import exercise
from ..errors import BadInputError


@dataclass(frozen=True)
class Submission:
    name: str  # the folder's name: the candidate's name in every table
    path: Path


def discover(root: Path) -> list[Submission]:
    """The submission folders under ``root``, sorted by name."""
    if not root.is_dir():
        raise BadInputError(f"submissions directory {root} does not exist or is not a directory")
    found = [
        Submission(entry.name, entry)
        for entry in sorted(root.iterdir())
        if entry.is_dir() and not entry.is_symlink() and not entry.name.startswith(".")
    ]
    if not found:
        raise BadInputError(
            f"no submission folders in {root}: put each candidate's submission in a folder of "
            "its own there"
        )
    return found


def content_hash(submission: Submission) -> str:
    """A digest of every file in the folder: any change to the submission changes it."""
    return exercise.content_hash(submission.path)
