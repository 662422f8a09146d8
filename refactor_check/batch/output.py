"""A batch's output directory: claiming it, placing a candidate's reports, publishing the table.

    OUT/cohort.csv, OUT/cohort.html   the cohort table
    OUT/cohort.json                   the same for pipelines (what ``--format json`` prints)
    OUT/batch.json                    the exercise, the shard, every row (merge reads it)
    OUT/<candidate>/                  that candidate's reports and grading.log
    OUT/.state/, OUT/.work/           resume keys; gradings in progress

A batch replaces candidates' folders when it grades them again, so it writes only into a new
or empty directory or one a batch made (it has batch.json), and never into the submissions.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .. import outlock
from ..errors import BadInputError
from ..level_gate import Gate
from . import cohort_csv, cohort_html, cohort_json, gates, state
from .ranking import Ranking

WORK_DIR = ".work"
LOG_NAME = "grading.log"
# Folder names a candidate cannot have here: the batch's own files sit beside their folders.
RESERVED = frozenset(
    {cohort_csv.FILENAME, cohort_html.FILENAME, cohort_json.FILENAME, state.MANIFEST}
)


def claim(out: Path, submissions: Path | None = None) -> None:
    """Make ``out`` ready for a batch, or say in one line why it cannot be used."""
    if submissions is not None:
        out_abs, subs_abs = out.resolve(), submissions.resolve()
        if out_abs == subs_abs or subs_abs in out_abs.parents or out_abs in subs_abs.parents:
            raise BadInputError(
                f"--out {out} and the submissions directory {submissions} overlap; "
                "pass an --out outside the submissions"
            )
    if out.exists() and not out.is_dir():
        raise BadInputError(f"--out {out} is a file; pass a directory")
    # The lock file of a batch starting in a fresh directory beside this one is no file of ours.
    busy = out.is_dir() and any(p.name != outlock.LOCK_NAME for p in out.iterdir())
    if busy and state.read_manifest(out) is None:
        raise BadInputError(
            f"--out {out} holds files no batch wrote; pass a new or empty directory "
            "(or the --out of an earlier batch, to resume it)"
        )
    out.mkdir(parents=True, exist_ok=True)


def staging(out: Path, candidate: str) -> Path:
    """Where a grading writes while it runs: the candidate's folder is replaced only after."""
    return out / WORK_DIR / candidate


def place(out: Path, candidate: str, log: Path | None) -> None:
    """Move a finished grading's reports (and its log) into OUT/<candidate>/."""
    source = staging(out, candidate)
    source.mkdir(parents=True, exist_ok=True)
    if log is not None and log.exists():
        log.replace(source / LOG_NAME)
    clear(out, candidate)
    source.rename(out / candidate)


def clear(out: Path, candidate: str) -> None:
    """Remove an earlier grading's folder: a rejected submission must not keep old reports."""
    target = out / candidate
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)


def publish(
    out: Path,
    ranked: Ranking,
    title: str,
    manifest: dict[str, Any],
    gated: Sequence[Gate] = (),
) -> tuple[Path, ...]:
    """Write cohort.csv, cohort.html, cohort.json and batch.json for the ranked rows."""
    shutil.rmtree(out / WORK_DIR, ignore_errors=True)
    below = gates.below(ranked.rows, gated)
    candidates = [r.to_json() for r in ranked.rows]
    return (
        cohort_csv.write(ranked, out),
        cohort_html.write(ranked, out, title),
        cohort_json.write(cohort_json.document(ranked, out, title, gated, below), out),
        state.write_manifest(out, {**manifest, "candidates": candidates}),
    )
