"""A grading's settings are resolved once, in one order: defaults, the exercise, the command
line; a bad table is one line that names it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from refactor_check import exercise, level_gate, settings
from refactor_check.errors import BadInputError

from .conftest import FIXTURES


def _golden(tmp_path: Path, tables: str) -> exercise.Exercise:
    golden = Path(shutil.copytree(FIXTURES / "toy", tmp_path / "golden"))
    with open(golden / "exercise.toml", "a", encoding="utf-8") as handle:
        handle.write(tables)
    return exercise.load(golden)


def test_the_exercise_sets_over_the_defaults_and_the_command_line_over_both(
    tmp_path: Path,
) -> None:
    toy = _golden(
        tmp_path,
        "\n[differential]\nexamples = 7\ncomparison_rounds = 1\n"
        '\n[mutation]\nprofile = "quick"\n'
        "\n[ci]\nfail_under_level = { verification = 2 }\n",
    )
    plain = settings.resolve(toy)
    assert (plain.differential.examples, plain.differential.comparison_rounds) == (7, 1)
    assert plain.differential.sweep_calls == 1500  # a default the exercise left alone
    assert plain.mutation.name == "quick"
    assert plain.gates == (level_gate.Gate("verification", 2),)
    assert plain.gate_source == "exercise.toml [ci]"

    given = settings.CommandLine(
        mutation_profile="thorough",
        seed=4,
        differential_examples=3,
        gates=(level_gate.Gate("stewardship", 3),),
    )
    chosen = settings.resolve(toy, given)
    assert (chosen.differential.examples, chosen.differential.seed) == (3, 4)
    assert chosen.differential.comparison_rounds == 1  # the command line does not set it
    assert chosen.mutation.name == "thorough"
    assert chosen.gates == (level_gate.Gate("stewardship", 3),)
    assert chosen.gate_source == level_gate.OPTION


def test_without_tables_every_part_has_its_defaults(tmp_path: Path) -> None:
    resolved = settings.resolve(_golden(tmp_path, ""))
    assert resolved.differential == settings.DifferentialSettings()
    assert resolved.mutation.name == "default"
    assert resolved.scoring.source == "defaults"
    assert (resolved.gates, resolved.gate_source) == ((), None)


@pytest.mark.parametrize(
    ("tables", "named"),
    [
        ("\n[differential]\ncomparison_rounds = -1\n", "[differential] comparison_rounds"),
        ("\n[differential]\nrounds = 2\n", "unknown setting [differential] rounds"),
        ('\n[mutation]\nprofile = "nope"\n', "nope"),
        ("\n[ci]\nfail_under_level = 3\n", "[ci]"),
    ],
)
def test_a_bad_table_is_one_line_that_names_it(tmp_path: Path, tables: str, named: str) -> None:
    with pytest.raises(BadInputError) as raised:
        settings.resolve(_golden(tmp_path, tables))
    message = str(raised.value)
    assert named in message and "\n" not in message, message
