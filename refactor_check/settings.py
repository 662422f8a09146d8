"""A grading's settings, resolved once: the exercise's tables, then the command line.

Each part has its defaults next to their reasons in the module that owns it: the mutation
profile in ``mutation/profiles.py`` (and ``mutation_configs/``), the differential search's
budgets in ``differential/settings.py``, the scorecard's rules in ``scorecard.py``, the level
gates in ``level_gate.py``. This module only puts them together, in one order for every
caller (``run``, ``batch``, the benchmarks): an exercise's ``exercise.toml`` table over the
defaults, the command line over both. Reading them all before anything runs means a bad
table is the author's mistake told at once, not after minutes of grading.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import level_gate, scorecard
from .differential import settings as differential_settings
from .differential.settings import DifferentialSettings
from .exercise import Exercise
from .mutation import profiles
from .mutation.profiles import MutationProfile


@dataclass(frozen=True)
class CommandLine:
    """What the command line may set; None leaves the exercise's (or the default) value."""

    mutation_profile: str | None = None
    jobs: int | None = None
    seed: int | None = None
    differential_examples: int | None = None
    differential_seconds: float | None = None
    gates: tuple[level_gate.Gate, ...] | None = None


@dataclass(frozen=True)
class Settings:
    mutation: MutationProfile
    differential: DifferentialSettings
    scoring: scorecard.Settings
    gates: tuple[level_gate.Gate, ...]
    gate_source: str | None  # the option, the exercise's [ci] table, or None (no gates)


def resolve(exercise: Exercise, given: CommandLine = CommandLine()) -> Settings:
    """The exercise's settings with the command line's over them; BadInputError names the
    table or the option at fault."""
    tables = exercise.sections
    gates, gate_source = _gates(exercise, given.gates)
    return Settings(
        mutation=profiles.for_exercise(
            tables.get("mutation", {}), given.mutation_profile, given.jobs
        ),
        differential=differential_settings.load(
            tables.get("differential", {}),
            exercise.root,
            seed=given.seed,
            examples=given.differential_examples,
            seconds=given.differential_seconds,
        ),
        scoring=scorecard.settings_from(tables.get("scorecard")),
        gates=gates,
        gate_source=gate_source,
    )


def _gates(
    exercise: Exercise, given: tuple[level_gate.Gate, ...] | None
) -> tuple[tuple[level_gate.Gate, ...], str | None]:
    """The run's gates and where they came from: the command line, else the exercise."""
    if given is not None:
        return given, level_gate.OPTION
    where = f"{exercise.root / 'exercise.toml'} [{level_gate.CI_TABLE}]"
    gates = level_gate.from_ci_table(exercise.sections.get(level_gate.CI_TABLE), where)
    return gates, (f"exercise.toml [{level_gate.CI_TABLE}]" if gates else None)
