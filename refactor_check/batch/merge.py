"""Joining the outputs of ``batch --shard I/N`` (one per machine) into one cohort.

The shards must be all N of one split, of the same exercise under the same settings; each
candidate is in exactly one of them. Their folders and resume keys are copied into OUT, so
OUT is the output an unsharded batch would have written (and a later batch resumes from it).
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .. import sharding
from ..errors import BadInputError
from . import output, ranking, state
from .rows import Row


def merge_batches(
    directories: Sequence[Path], out: Path
) -> tuple[tuple[Row, ...], tuple[Path, ...]]:
    """The cohort of all shards, written to ``out``: its rows and the files written."""
    manifests = [_manifest(d) for d in directories]
    pairs = [(m["shard"]["index"], m["shard"]["count"]) for m in manifests]
    order = sharding.check_complete(pairs)
    first = manifests[order[0]]
    for key in ("exercise", "settings"):
        if any(m.get(key) != first.get(key) for m in manifests):
            raise BadInputError(f"the shards were graded with different {key}: not one batch")
    for directory in directories:
        if out.resolve() == directory.resolve():
            raise BadInputError(f"--out {out} is one of the shards; pass a new directory")
    output.claim(out)
    merged: dict[str, Row] = {}
    for position in order:
        directory = directories[position]
        for data in manifests[position]["candidates"]:
            row = Row.from_json(data)
            if row.candidate in merged:
                raise BadInputError(f"candidate {row.candidate!r} is in more than one shard")
            merged[row.candidate] = row
            _copy(directory, out, row.candidate)
    ranked = ranking.rank(merged.values())
    manifest = {key: first[key] for key in ("exercise", "settings")}
    title = f"refactor-check cohort: {first['exercise']['name']}"
    return ranked.rows, output.publish(out, ranked, title, {**manifest, "shard": None})


def _manifest(directory: Path) -> dict[str, Any]:
    manifest = state.read_manifest(directory)
    if manifest is None or not isinstance(manifest.get("shard"), dict):
        raise BadInputError(f"{directory} is not the --out of 'batch --shard I/N'")
    return manifest


def _copy(source: Path, out: Path, candidate: str) -> None:
    folder = source / candidate
    if folder.is_dir():
        output.clear(out, candidate)
        shutil.copytree(folder, out / candidate, symlinks=True)
    saved = source / state.STATE_DIR / f"{candidate}.json"
    if saved.is_file():
        (out / state.STATE_DIR).mkdir(exist_ok=True)
        shutil.copyfile(saved, out / state.STATE_DIR / saved.name)
