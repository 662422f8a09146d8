"""--fail-under-level gates: parsing them, the [ci] table, and holding a report to them."""

from __future__ import annotations

import pytest

from refactor_check import cli, level_gate, scorecard
from refactor_check.batch import rows
from refactor_check.errors import BadInputError
from refactor_check.level_gate import Failure, Gate


def test_the_dimensions_and_levels_are_the_scorecards() -> None:
    assert (
        level_gate.DIMENSIONS
        == tuple(scorecard.DEFAULT_RULES)
        == (
            "verification",
            "stewardship",
        )
    )
    assert level_gate.parse("verification=3") == Gate("verification", 3)
    assert level_gate.parse(" stewardship = 1 ") == Gate("stewardship", 1)
    assert str(Gate("stewardship", 4)) == "stewardship=4"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("nosuch=3", "unknown dimension 'nosuch' (dimensions: verification, stewardship)"),
        ("verification=99", "the level must be a whole number from 1 to 4"),
        ("verification=0", "the level must be a whole number from 1 to 4"),
        ("verification=-1", "the level must be a whole number from 1 to 4"),
        ("verification=2.5", "the level must be a whole number from 1 to 4"),
        ("verification=three", "the level must be a whole number from 1 to 4"),
        ("verification=٣", "the level must be a whole number from 1 to 4"),
        ("verification", "expected DIMENSION=LEVEL, e.g. verification=3"),
        ("verification=", "expected DIMENSION=LEVEL"),
        ("=3", "expected DIMENSION=LEVEL"),
        ("", "expected DIMENSION=LEVEL"),
        ("Verification=3", "unknown dimension 'Verification'"),
    ],
)
def test_a_bad_gate_is_one_line_naming_what_is_valid(text: str, message: str) -> None:
    with pytest.raises(BadInputError) as caught:
        level_gate.parse(text)
    said = str(caught.value)
    assert message in said and "\n" not in said
    assert said.startswith(f"--fail-under-level {text!r}: ")


def test_a_dimension_given_twice_is_refused() -> None:
    assert level_gate.parse_all(["verification=2", "stewardship=3"]) == (
        Gate("verification", 2),
        Gate("stewardship", 3),
    )
    with pytest.raises(BadInputError, match="verification is given more than once"):
        level_gate.parse_all(["verification=2", "verification=3"])


def test_the_ci_table_gives_the_default_gates() -> None:
    assert level_gate.from_ci_table(None) == ()
    assert level_gate.from_ci_table({}) == ()
    table = {"fail_under_level": {"verification": 3, "stewardship": 2}}
    assert level_gate.from_ci_table(table) == (Gate("verification", 3), Gate("stewardship", 2))


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("yes", "exercise.toml [ci] must be a table"),
        ({"fail_under": {}}, "unknown key 'fail_under' (known: fail_under_level)"),
        ({"fail_under_level": 3}, "fail_under_level must be a table of dimension = level"),
        ({"fail_under_level": {"nosuch": 3}}, "fail_under_level.nosuch: unknown dimension"),
        ({"fail_under_level": {"verification": 5}}, "from 1 to 4"),
        ({"fail_under_level": {"verification": True}}, "from 1 to 4"),
        ({"fail_under_level": {"verification": 2.0}}, "from 1 to 4"),
    ],
)
def test_a_bad_ci_table_is_one_line(table: object, message: str) -> None:
    with pytest.raises(BadInputError) as caught:
        level_gate.from_ci_table(table)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_failed_names_each_gate_a_report_is_below_with_its_level() -> None:
    gates = level_gate.parse_all(["verification=3", "stewardship=2"])
    assert level_gate.failed_levels(gates, {"verification": 3, "stewardship": 4}) == []
    assert level_gate.failed_levels(gates, {"verification": 4, "stewardship": 2}) == []
    below = level_gate.failed_levels(gates, {"verification": 2, "stewardship": 1})
    assert below == [Failure(gates[0], 2), Failure(gates[1], 1)]
    assert [str(f) for f in below] == [
        "verification level 2, needs 3",
        "stewardship level 1, needs 2",
    ]
    assert below[0].to_json() == {"dimension": "verification", "needs": 3, "actual": 2}


@pytest.mark.parametrize(
    "levels",
    [
        {"verification": None, "stewardship": 4},  # mutation testing off
        {"stewardship": 4},  # no such dimension in the scorecard
        {},
    ],
)
def test_a_level_nobody_measured_is_below_every_gate(levels: dict[str, int | None]) -> None:
    gate = Gate("verification", 1)
    assert level_gate.failed_levels([gate], levels) == [Failure(gate, None)]
    assert str(Failure(gate, None)) == "verification not measured, needs level 1"


def test_no_gates_fail_nothing() -> None:
    assert level_gate.failed_levels([], {"verification": None}) == []


def test_the_report_section_says_not_decided_until_a_scorecard_exists() -> None:
    gates = level_gate.parse_all(["verification=3"])
    pending = level_gate.section(gates, "--fail-under-level", None)
    assert pending == {
        "fail_under_level": {"verification": 3},
        "from": "--fail-under-level",
        "below": None,
    }
    below = level_gate.section(gates, "--fail-under-level", [Failure(gates[0], 2)])
    assert below["below"] == [{"dimension": "verification", "needs": 3, "actual": 2}]
    assert level_gate.section((), "exercise.toml [ci]", [])["from"] is None


def test_bad_input_and_tool_failure_win_over_a_gate() -> None:
    def row(status: str) -> rows.Row:
        return rows.Row("x", "preserved", status, "", 1.0)

    below = {"x": [Failure(Gate("verification", 3), 1)]}
    graded, failed, bad = row(rows.GRADED), row(rows.FAILED), row(rows.BAD_INPUT)
    assert cli._batch_exit((graded,)) == 0
    assert cli._batch_exit((graded,), below) == 1
    assert cli._batch_exit((graded, failed), below) == 3
    assert cli._batch_exit((graded, failed, bad), below) == 2
