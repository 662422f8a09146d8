"""Pipeline gates on scorecard levels: ``--fail-under-level verification=3``.

A gate names a scorecard dimension and the least level a submission must reach on it, as
diff-cover's ``--fail-under`` does for coverage. A level that was not measured (mutation
testing off, a package that does not parse) is below every gate: a pipeline must not pass on
a figure nobody measured, as the scorecard never awards a level on one.

Gates come from the command line, or from the exercise's ``[ci]`` table when none is given
there::

    [ci]
    fail_under_level = { verification = 3 }

Every problem with a gate is one line that lists what is valid.

A run's report.json holds its gates and what they found (``section``), so a pipeline reads
why a preserved verdict exited 1, and ``merge`` re-applies them to the joined scorecard.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import BadInputError
from .scorecard import DEFAULT_RULES, LEVELS

OPTION = "--fail-under-level"
CI_TABLE = "ci"
CI_KEY = "fail_under_level"
DIMENSIONS: tuple[str, ...] = tuple(DEFAULT_RULES)
_RANGE = f"{LEVELS[0]} to {LEVELS[-1]}"
_EXAMPLE = f"{DIMENSIONS[0]}={LEVELS[-2]}"


@dataclass(frozen=True)
class Gate:
    dimension: str  # one of DIMENSIONS
    level: int  # the least level that passes, within LEVELS

    def __str__(self) -> str:
        return f"{self.dimension}={self.level}"


@dataclass(frozen=True)
class Failure:
    gate: Gate
    actual: int | None  # the level reached; None: not measured

    def __str__(self) -> str:
        """'verification level 2, needs 3' or 'verification not measured, needs level 3'."""
        needs = self.gate.level
        if self.actual is None:
            return f"{self.gate.dimension} not measured, needs level {needs}"
        return f"{self.gate.dimension} level {self.actual}, needs {needs}"

    def to_json(self) -> dict[str, Any]:
        return {"dimension": self.gate.dimension, "needs": self.gate.level, "actual": self.actual}


def parse(text: str) -> Gate:
    """``"verification=3"`` as a gate; anything else is a one-line BadInputError."""
    where = f"{OPTION} {text!r}"
    name, sep, value = text.partition("=")
    name, value = name.strip(), value.strip()
    if not sep or not name or not value:
        raise BadInputError(
            f"{where}: expected DIMENSION=LEVEL, e.g. {_EXAMPLE} (dimensions: {_known()})"
        )
    return _gate(name, value, where)


def parse_all(texts: Iterable[str]) -> tuple[Gate, ...]:
    """Every gate of a repeated option; a dimension given twice is an error, not a guess."""
    return _unique([parse(text) for text in texts], OPTION)


def from_ci_table(table: object, where: str = "exercise.toml [ci]") -> tuple[Gate, ...]:
    """The gates of an exercise's ``[ci]`` table (none when it has no such table)."""
    if table is None:
        return ()
    if not isinstance(table, Mapping):
        raise BadInputError(f"{where} must be a table")
    unknown = sorted(set(table) - {CI_KEY})
    if unknown:
        raise BadInputError(f"{where}: unknown key {unknown[0]!r} (known: {CI_KEY})")
    gates = table.get(CI_KEY, {})
    if not isinstance(gates, Mapping):
        raise BadInputError(
            f"{where}: {CI_KEY} must be a table of dimension = level, "
            f"e.g. {CI_KEY} = {{ {DIMENSIONS[0]} = {LEVELS[-2]} }} (dimensions: {_known()})"
        )
    return tuple(
        _gate(str(name), level, f"{where} {CI_KEY}.{name}") for name, level in gates.items()
    )


def failed_levels(gates: Sequence[Gate], levels: Mapping[str, int | None]) -> list[Failure]:
    """The gates ``levels`` (dimension -> level, None or absent: not measured) are below."""
    failures = []
    for gate in gates:
        actual = levels.get(gate.dimension)
        if actual is None or actual < gate.level:
            failures.append(Failure(gate, actual))
    return failures


def section(
    gates: Sequence[Gate], source: str | None, below: Sequence[Failure] | None
) -> dict[str, Any]:
    """report.json's ``gates``: the gates, where they came from, and those the run is below.

    ``below`` is null while no scorecard exists (a partial report, or a run that errored
    before one): nothing is decided yet, which is not the same as every gate reached.
    """
    return {
        "fail_under_level": {g.dimension: g.level for g in gates},
        "from": source if gates else None,
        "below": None if below is None else [f.to_json() for f in below],
    }


def from_section(data: Mapping[str, Any]) -> tuple[tuple[Gate, ...], str | None]:
    """The gates (and their source) a report.json's ``gates`` section names; none if absent."""
    gates = data.get("gates")
    if not isinstance(gates, Mapping):
        return (), None
    table = gates.get("fail_under_level")
    named = from_ci_table({CI_KEY: table}, "report.json gates") if table else ()
    source = gates.get("from")
    return named, source if isinstance(source, str) else None


def _gate(name: str, value: object, where: str) -> Gate:
    if name not in DIMENSIONS:
        raise BadInputError(f"{where}: unknown dimension {name!r} (dimensions: {_known()})")
    level = _level(value)
    if level is None or level not in LEVELS:
        raise BadInputError(f"{where}: the level must be a whole number from {_RANGE}")
    return Gate(name, level)


def _level(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    return None


def _unique(gates: list[Gate], where: str) -> tuple[Gate, ...]:
    seen: set[str] = set()
    for gate in gates:
        if gate.dimension in seen:
            raise BadInputError(f"{where}: {gate.dimension} is given more than once")
        seen.add(gate.dimension)
    return tuple(gates)


def _known() -> str:
    return ", ".join(DIMENSIONS)
