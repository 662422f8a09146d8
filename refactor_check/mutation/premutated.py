"""The original's mutants, generated once per exercise and laid into every later run on it.

Generating mutants is most of a ``mutmut run``'s set-up (about 8 s of CPU for the 300-line
invoice exercise's 825 mutants, against about 4 s for everything else before the first
mutant runs), and the original's mutants are the same for every candidate: the golden
suite's run generates them, and the runs of a candidate's tests on the original (their last
tests, and the tests their history pinned first) only differ in the tests. So the golden
run's generated files are kept with its score, and laid into those runs' ``mutants/``
folder before mutmut starts: mutmut 3.8 regenerates a file only when the source is newer
than its mutated copy (``create_mutants_for_file``), and otherwise reads the mutants'
names from the copy's ``.meta`` file.

The files kept are the golden run's, read after it ended, so its per-mutant results are
taken out of each ``.meta`` (``scrub``): every mutant starts unchecked, as after generation.
They come only from a run of the original and the golden tests (trusted code), never from a
run that hosted a candidate's code.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

# A larger package is generated again each time: the cache entry would cost more to read.
MAX_BYTES = 32 * 1024 * 1024
# Each mutated file has these beside it (mutmut 3.8's layout under mutants/).
_SUFFIXES = (".py", ".py.meta", ".py.spans")
# What a .meta file holds about one run's results, not about generation.
_PER_RUN = ("durations_by_key", "type_check_error_by_key", "estimated_durations_by_key")


def collect(root: Path, locations: tuple[str, ...]) -> dict[str, str] | None:
    """The generated files of the package at ``locations`` (names under the run root, e.g.
    ``billing`` or ``fees.py``), by path under ``mutants/``; None when there is none or it
    is too large to keep."""
    base = root / "mutants"
    files: dict[str, str] = {}
    total = 0
    for name in locations:
        if name.endswith(".py"):
            found = [base / f"{name}{suffix.removeprefix('.py')}" for suffix in _SUFFIXES]
        else:
            found = sorted((base / name).rglob("*"))
        for path in found:
            if not path.is_file() or path.is_symlink() or not path.name.endswith(_SUFFIXES):
                continue
            text = path.read_text(encoding="utf-8")
            total += len(text)
            if total > MAX_BYTES:
                return None
            relative = path.relative_to(base).as_posix()
            files[relative] = scrub(text) if relative.endswith(".meta") else text
    if not any(p.endswith(".meta") for p in files):
        return None
    return files


def scrub(meta: str) -> str:
    """A .meta file as generation leaves it: every mutant unchecked, no durations."""
    data: dict[str, Any] = json.loads(meta)
    data["exit_code_by_key"] = {key: None for key in data.get("exit_code_by_key", {})}
    for name in _PER_RUN:
        if name in data:
            data[name] = {}
    return json.dumps(data)


def lay(root: Path, files: Mapping[str, str]) -> None:
    """Write ``files`` under ``root/mutants``, dated after every source file of the run so
    mutmut takes them as generated and does not mutate again."""
    base = root / "mutants"
    newest = max(
        (p.stat().st_mtime for p in root.rglob("*.py") if base not in p.parents), default=0.0
    )
    for relative, text in files.items():
        path = base / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        os.utime(path, (newest + 10, newest + 10))


def valid(files: object) -> dict[str, str] | None:
    """A cache entry's files, or None when it does not have the expected shape."""
    if not isinstance(files, dict) or not files:
        return None
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
        return None
    # Paths stay inside mutants/: the entry names where it writes.
    if any(k.startswith("/") or ".." in Path(k).parts for k in files):
        return None
    return files
