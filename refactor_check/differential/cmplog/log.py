"""The log an instrumented step answers with: what it compared, and which way it branched.

Both come from a worker's process, the candidate's included, and can say anything: only
entries of a valid shape are read, and no more of them than the worker logs
(``MAX_LOGGED``, ``MAX_BRANCHES``, the same ceilings as ``diff_worker``'s).
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from ..values import Value
from .numeric import NUMERIC, as_number

ROUND = "round"  # a logged rounding: (value, the unit: a Decimal quantum or round()'s digits)
TIE = "tie"  # two neighbouring sort keys: (one key's first unequal part, the other's)
OPERATORS: dict[type[ast.cmpop], str] = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
}
MAX_LOGGED = 256  # comparisons of one step read (diff_worker's _MAX_COMPARISONS)
MAX_BRANCHES = 1024  # branches of one step read (diff_worker's _MAX_BRANCHES)


@dataclass(frozen=True)
class Comparison:
    op: str  # "==", "<", ..., "in" (a substring), "%" (a remainder)
    left: Value
    right: Value


def parse_log(observation: object) -> list[Comparison]:
    """The comparisons of one step's observation, those of a valid shape (it is untrusted)."""
    found = observation.get("comparisons") if isinstance(observation, dict) else None
    out = []
    # The worker logs at most as many; a longer list is forged, and only its head is read.
    for entry in found[:MAX_LOGGED] if isinstance(found, list) else []:
        if (
            isinstance(entry, list)
            and len(entry) == 3
            and entry[0] in (*OPERATORS.values(), "in", "%", ROUND, TIE)
            and all(_operand(x) for x in entry[1:])
        ):
            out.append(Comparison(entry[0], entry[1], entry[2]))
    return out


def _operand(value: object) -> bool:
    if not (
        isinstance(value, list)
        and len(value) == 2
        and isinstance(value[1], str)
        and len(value[1]) <= 100
    ):
        return False
    return value[0] == "str" or (value[0] in NUMERIC and as_number(value) is not None)


@dataclass(frozen=True)
class StepLog:
    """What a step (or a whole history) compared, on both sides (the original's first), and
    the branches it took: (side, site, way)."""

    comparisons: list[Comparison]
    branches: frozenset[tuple[str, str, bool]]
    per_step: list[list[Comparison]]  # a history's comparisons, step by step

    EMPTY: ClassVar[StepLog]

    @classmethod
    def joined(cls, logs: Sequence[StepLog]) -> StepLog:
        """A history's steps as one log: every branch any of its steps took."""
        comparisons = [c for log in logs for c in log.comparisons]
        branches = frozenset().union(*(log.branches for log in logs))
        return cls(comparisons, branches, [log.comparisons for log in logs])


StepLog.EMPTY = StepLog([], frozenset(), [])


def parse_branches(side: str, observation: object) -> frozenset[tuple[str, str, bool]]:
    """The branches of one step's observation, those of a valid shape (it is untrusted)."""
    found = observation.get("branches") if isinstance(observation, dict) else None
    out = set()
    for entry in found[:MAX_BRANCHES] if isinstance(found, list) else []:
        if (
            isinstance(entry, list)
            and len(entry) == 2
            and isinstance(entry[0], str)
            and len(entry[0]) <= 300
            and isinstance(entry[1], bool)
        ):
            out.add((side, entry[0], entry[1]))
    return frozenset(out)
