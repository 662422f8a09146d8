"""Settings of the differential stage: defaults here, next to their meaning; an exercise's
``[differential]`` table overrides them; the command line comes last (``--seed``,
``--differential-examples``, ``--differential-seconds``).

    [differential]
    seed = 0                  # the same seed gives the same verdict and the same report
    sweep_calls = 1500        # single-change calls per public function or class (the sweep)
    constant_calls = 300      # the same, with the candidate's own constants and re-cased
                              # or re-spaced code strings of both versions (``literals``)
    comparison_calls = 300    # calls steered onto what the code compares, per function
                              # (``cmplog``: a sum meeting a limit, a remainder of zero)
    comparison_rounds = 2     # rounds of that, after the recorded calls', steering again
                              # what reached a branch no earlier input reached; 0: one round
    examples = 50             # random programs per public function or class (hypothesis)
    seconds = 600             # wall-clock ceiling of the whole stage (budgets are counts)
    call_timeout = 2.0        # one program on one side
    focus_factor = 2          # budget multiplier where golden tests leave mutants alive
    max_steps = 6             # method calls in one generated program for a class
    shrink_attempts = 300     # re-runs spent making one counterexample minimal
    long_steps = 400          # calls replayed in one process, in order (state across calls)
    probe_seconds = 60        # ceiling of the search per mutant the golden tests leave alive
    probe_total_seconds = 600 # ceiling of all of that search, once per exercise; 0: none
    probe_examples = 100      # random programs per target in that search
    entry_points = []         # public paths to test (default: the whole public surface)
    exclude = []              # public paths to leave alone (slow, needs a network, ...)
    strategies = "differential_strategies.py"   # optional file in the golden repo

A strategies file (trusted: it comes with the exercise) defines ``STRATEGIES``, a dict from
public path to a dict from parameter name to a hypothesis strategy of plain data (None,
numbers, str, bytes, Decimal, dates and times, lists, tuples, sets, dicts) for inputs no
inference can guess.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from ..errors import BadInputError


@dataclass(frozen=True)
class DifferentialSettings:
    seed: int = 0
    sweep_calls: int = 1500
    constant_calls: int = 300
    comparison_calls: int = 300
    # Two: on the fixture of tests/test_search_techniques.py a remainder behind a string
    # comparison needs one round after the recorded calls'; a second costs little (only what
    # reached new branches is steered again) and reaches one condition deeper.
    comparison_rounds: int = 2
    examples: int = 50
    # A ceiling, not a budget: what is searched is decided by the counts (sweep_calls,
    # examples, long_steps, ...); a search the ceiling cuts says so and warns.
    seconds: float = 600.0
    call_timeout: float = 2.0
    # Twice, not four times: measured by benchmarks/catch_rate.py, with the exercise's shipped
    # probes four times the budget caught no survivor of the built-in exercises' golden suites
    # that twice did not, at twice the cost (docs/performance.md).
    focus_factor: int = 2
    max_steps: int = 6
    shrink_attempts: int = 300
    # The recording and the sweep replayed in one process (``sequence``); 0: none.
    long_steps: int = 400
    # Probes (``probes``): searched once per exercise, whatever the command line says.
    probe_seconds: float = 60.0
    probe_total_seconds: float = 600.0
    probe_examples: int = 100
    entry_points: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    strategies: Path | None = None


_NUMBERS = {
    "seconds": (int, float),
    "call_timeout": (int, float),
    "probe_seconds": (int, float),
    "probe_total_seconds": (int, float),
}
# Counts that can switch a phase off.
_MAY_BE_ZERO = (
    "examples",
    "sweep_calls",
    "constant_calls",
    "comparison_calls",
    "comparison_rounds",
    "probe_examples",
    "long_steps",
)
_COUNTS = (
    "sweep_calls",
    "constant_calls",
    "comparison_calls",
    "comparison_rounds",
    "examples",
    "focus_factor",
    "max_steps",
    "shrink_attempts",
    "probe_examples",
    "long_steps",
)


def load(
    table: object,
    golden_root: Path,
    seed: int | None = None,
    examples: int | None = None,
    seconds: float | None = None,
) -> DifferentialSettings:
    """The exercise's ``[differential]`` table over the defaults, then the command line."""
    where = f"{golden_root / 'exercise.toml'}"
    if not isinstance(table, dict):
        raise BadInputError(f"{where}: [differential] must be a table")
    known = {f.name for f in fields(DifferentialSettings)}
    overrides: dict[str, Any] = {}
    for name, value in table.items():
        if name not in known:
            choices = ", ".join(sorted(known))
            raise BadInputError(
                f"{where}: unknown setting [differential] {name} (known: {choices})"
            )
        overrides[name] = _checked(name, value, where, golden_root)
    settings = replace(DifferentialSettings(), **overrides)
    command_line: dict[str, Any] = {"seed": seed, "examples": examples, "seconds": seconds}
    return replace(settings, **{k: v for k, v in command_line.items() if v is not None})


def _checked(name: str, value: object, where: str, golden_root: Path) -> object:
    if name == "seed":
        if isinstance(value, bool) or not isinstance(value, int):
            raise BadInputError(f"{where}: [differential] seed must be an integer")
        return value
    if name in _COUNTS:
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or value < (0 if name in _MAY_BE_ZERO else 1)
        ):
            raise BadInputError(f"{where}: [differential] {name} must be a positive integer")
        return value
    if name in _NUMBERS:
        # Only the probe search can be switched off (an exercise that ships its probes).
        may_be_zero = name == "probe_total_seconds"
        if isinstance(value, bool) or not isinstance(value, _NUMBERS[name]):
            value = -1  # reported as out of range below
        if value < 0 or (value == 0 and not may_be_zero):
            kind = "a number, 0 or more" if may_be_zero else "a positive number"
            raise BadInputError(f"{where}: [differential] {name} must be {kind}")
        return float(value)
    if name in ("entry_points", "exclude"):
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise BadInputError(f"{where}: [differential] {name} must be a list of dotted names")
        return tuple(value)
    # strategies: a file inside the golden repo
    if not isinstance(value, str) or not value:
        raise BadInputError(f"{where}: [differential] strategies must name a file")
    path = (golden_root / value).resolve()
    if not path.is_file() or not path.is_relative_to(golden_root.resolve()):
        raise BadInputError(
            f"{where}: [differential] strategies file {value!r} not found in the golden repo"
        )
    return path
