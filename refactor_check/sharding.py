"""Shards: split work over machines with no coordination between them.

``--shard I/N`` (1-based) gives machine I the names whose stable hash falls in bucket I of N.
Every machine computes the same split from the names alone, so a CI matrix needs to share
nothing but the shard number; the names are submission folder names for ``batch`` and mutant
keys for the mutation stage of ``run``. The hash is SHA-256, never Python's ``hash()``, which
differs between processes.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .errors import BadInputError

_SPEC = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


@dataclass(frozen=True)
class Shard:
    index: int  # 1..count
    count: int

    def __post_init__(self) -> None:
        if not 1 <= self.index <= self.count:
            raise BadInputError(
                f"shard {self.index}/{self.count} does not exist: use I/N with 1 <= I <= N"
            )

    @classmethod
    def parse(cls, text: str) -> Shard:
        match = _SPEC.match(text)
        if match is None:
            raise BadInputError(f"--shard {text!r} is not of the form I/N (for example 2/4)")
        return cls(int(match.group(1)), int(match.group(2)))

    def owns(self, name: str) -> bool:
        return bucket(name, self.count) == self.index - 1

    def select(self, names: Iterable[str]) -> list[str]:
        return [n for n in names if self.owns(n)]

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def bucket(name: str, count: int) -> int:
    """Which of ``count`` buckets ``name`` falls in: the same on every machine and run."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count


def digest(names: Iterable[str]) -> str:
    """One digest of a set of names: shards that saw the same set agree on it."""
    return hashlib.sha256("\n".join(sorted(names)).encode("utf-8")).hexdigest()


def check_complete(shards: Sequence[tuple[int, int]]) -> list[int]:
    """Positions of ``shards`` ((index, count) pairs) in shard order, when they are all N.

    Bad input unless they come from one split into N and hold each of 1..N exactly once.
    """
    counts = sorted({count for _, count in shards})
    if len(counts) != 1:
        listed = ", ".join(str(c) for c in counts)
        raise BadInputError(f"the shards come from different splits ({listed} shards)")
    count = counts[0]
    indexes = [index for index, _ in shards]
    twice = sorted({i for i in indexes if indexes.count(i) > 1})
    if twice:
        raise BadInputError(f"shard {twice[0]}/{count} is given more than once")
    missing = sorted(set(range(1, count + 1)) - set(indexes))
    if missing:
        listed = ", ".join(f"{i}/{count}" for i in missing)
        raise BadInputError(f"missing shard(s) {listed}: merge needs all {count}")
    return sorted(range(len(shards)), key=lambda position: indexes[position])
