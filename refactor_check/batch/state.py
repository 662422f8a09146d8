"""What a batch remembers between runs, so that it can resume.

Each finished candidate leaves ``OUT/.state/<candidate>.json``: its row and the key it was
graded under. The key is a digest of everything that can change the result: the submission's
content, the golden repo's content, the settings that change grading (mutation on or off, the
resolved mutation profile, the suite time limit, the sandbox mode) and the versions of
refactor-check, Python and mutmut. A later batch reuses the row when the key is the same, and
grades again otherwise; a row is written only after the candidate's reports are in place, so
a batch stopped half-way resumes where it stopped.

``OUT/batch.json`` describes the whole output (exercise, shard, every row); merge reads it,
and its presence marks a directory as a batch's own, the only kind a batch writes into.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from .. import __version__
from .rows import FINAL, Row

STATE_DIR = ".state"
MANIFEST = "batch.json"
MANIFEST_VERSION = 1


def key(submission_hash: str, settings: dict[str, Any]) -> str:
    material = json.dumps(
        {
            "submission": submission_hash,
            "settings": settings,
            "tool": __version__,
            "python": sys.version,
        },
        sort_keys=True,
        default=str,  # paths in settings (a strategies file: its content is the golden repo's)
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def reusable(out: Path, candidate: str, current_key: str) -> Row | None:
    """The row of an earlier grading under the same key, when it is final."""
    try:
        data = json.loads((out / STATE_DIR / f"{candidate}.json").read_text(encoding="utf-8"))
        if data.get("key") != current_key:
            return None
        row = Row.from_json(data["row"])
    except (OSError, ValueError, KeyError, TypeError):
        return None  # never graded, or a torn or foreign file: grade again
    return row if row.status in FINAL else None


def save(out: Path, candidate: str, current_key: str, row: Row) -> None:
    _write_json(out / STATE_DIR / f"{candidate}.json", {"key": current_key, "row": row.to_json()})


def write_manifest(out: Path, manifest: dict[str, Any]) -> Path:
    path = out / MANIFEST
    _write_json(path, {"schema_version": MANIFEST_VERSION, **manifest})
    return path


def read_manifest(directory: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and "candidates" in data else None


def _write_json(path: Path, data: dict[str, Any]) -> None:
    # Write then rename: an interrupted batch leaves the old file or the new one, never half.
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        os.chmod(tmp, 0o644)  # as readable as the reports beside it (mkstemp makes 0600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2, sort_keys=True)
            handle.write("\n")
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
