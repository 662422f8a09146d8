"""A small content-addressed cache on disk for data derived from trusted inputs.

Keys are digests of everything the value depends on (a golden repo's content hash, the
tool's own code, the Python version), so an entry never needs invalidating: a change to any
input is a different key. The tool's code is its source files' digest rather than its
version number, which does not move with every change to how results are computed or stored.
Values are JSON; a corrupt or unreadable entry is a miss.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from . import __version__


def default_root() -> Path:
    override = os.environ.get("REFACTOR_CHECK_CACHE")
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "refactor-check"


@cache
def code_digest() -> str:
    """SHA-256 over refactor-check's own source files (names and bytes)."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


@dataclass(frozen=True)
class Cache:
    root: Path | None  # None: caching disabled

    def roots(self) -> list[Path]:
        return [self.root] if self.root is not None else []

    def key(self, *parts: str) -> str:
        material = "\0".join((__version__, code_digest(), sys.version, *parts))
        return hashlib.sha256(material.encode("utf-8")).hexdigest()

    def get(self, namespace: str, key: str) -> Any | None:
        if self.root is None:
            return None
        path = self.root / namespace / f"{key}.json"
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def put(self, namespace: str, key: str, value: Any) -> None:
        if self.root is None:
            return
        directory = self.root / namespace
        try:
            directory.mkdir(parents=True, exist_ok=True)
            # Write then rename, so a concurrent reader sees the old entry or the new one.
            fd, tmp = tempfile.mkstemp(dir=directory, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(value, handle, sort_keys=True)
            os.replace(tmp, directory / f"{key}.json")
        except OSError:
            pass  # a cache that cannot be written only costs time
