"""``run --fail-under-level`` and the exercise's ``[ci]`` table, through the real command line.

A pipeline that grades one submission holds it to scorecard levels as a batch does: a
preserved verdict below a gate exits 1, the gate is named on the terminal and in
summary.md, and report.json's ``gates`` says which gates and what they found. Runs here skip
mutation testing and the random differential search, so each takes seconds; the candidate
ships no tests of its own, so its verification level is the floor, 1.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import TOY_CLEAN, CliResult

FAST = ("--no-mutation", "--differential-examples", "0")


def grade(cli, golden: Path, candidate: Path, *args: str) -> CliResult:
    return cli("run", candidate, "--golden", golden, *FAST, *args)


def test_a_preserved_run_below_a_gate_exits_1_and_says_which(
    cli, toy_golden: Path, make_candidate
) -> None:
    result = grade(cli, toy_golden, make_candidate(), "--fail-under-level", "verification=2")
    assert result.code == 1, result.stdout + result.stderr
    report = result.report
    assert report["verdict"] == "preserved"  # the verdict is behaviour's alone
    assert report["gates"] == {
        "fail_under_level": {"verification": 2},
        "from": "--fail-under-level",
        "below": [{"dimension": "verification", "needs": 2, "actual": 1}],
    }
    line = "gates (--fail-under-level): verification=2: below: verification level 1, needs 2"
    assert line in result.stdout.splitlines()
    summary = (result.out / "summary.md").read_text(encoding="utf-8")
    assert "**Gates** gates (--fail-under-level): verification=2: below:" in summary


def test_a_gate_reached_exits_0(cli, toy_golden: Path, make_candidate) -> None:
    result = grade(cli, toy_golden, make_candidate(), "--fail-under-level", "stewardship=1")
    assert result.code == 0, result.stdout + result.stderr
    level = next(
        d["level"] for d in result.report["scorecard"]["dimensions"] if d["name"] == "stewardship"
    )
    assert level >= 1  # measured, so the gate can be checked against it
    assert result.report["gates"]["below"] == []
    assert "gates (--fail-under-level): stewardship=1: every gate reached" in result.stdout


def test_without_gates_the_section_is_empty_and_nothing_is_printed(
    cli, toy_golden: Path, make_candidate
) -> None:
    result = grade(cli, toy_golden, make_candidate(), "--quiet")
    assert (result.code, result.stdout) == (0, "verdict: preserved\n"), result.stderr
    assert result.report["gates"] == {"fail_under_level": {}, "from": None, "below": []}


def test_the_exercises_ci_table_is_the_default_and_the_option_overrides_it(
    cli, toy_golden: Path, make_candidate
) -> None:
    with open(toy_golden / "exercise.toml", "a", encoding="utf-8") as handle:
        handle.write("\n[ci]\nfail_under_level = { verification = 3 }\n")
    candidate = make_candidate()
    from_table = grade(cli, toy_golden, candidate, "--quiet")
    assert from_table.code == 1, from_table.stdout + from_table.stderr
    assert from_table.stdout.splitlines() == [
        "verdict: preserved",
        "below gate: verification level 1, needs 3",
    ]
    assert from_table.report["gates"]["from"] == "exercise.toml [ci]"

    overridden = grade(cli, toy_golden, candidate, "--fail-under-level", "stewardship=1")
    assert overridden.code == 0, overridden.stdout + overridden.stderr
    assert overridden.report["gates"]["fail_under_level"] == {"stewardship": 1}


def test_a_changed_run_exits_1_with_its_gates_still_reported(
    cli, toy_golden: Path, make_candidate
) -> None:
    broken = make_candidate({"toy.py": TOY_CLEAN.replace(">= BULK_QTY", "> BULK_QTY")})
    result = grade(cli, toy_golden, broken, "--fail-under-level", "stewardship=1")
    assert result.code == 1 and result.report["verdict"] == "changed", result.stderr
    assert result.report["gates"]["below"] == []  # a gate reached never excuses a change


def test_format_json_carries_the_gates_in_the_report(cli, toy_golden: Path, make_candidate) -> None:
    result = grade(
        cli,
        toy_golden,
        make_candidate(),
        "--format",
        "json",
        "--fail-under-level",
        "verification=2",
    )
    assert result.code == 1, result.stderr
    printed = json.loads(result.stdout)
    assert printed["gates"] == result.report["gates"]
    assert printed["gates"]["below"][0]["dimension"] == "verification"


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("fail_under_level = { verification = 7 }", "the level must be a whole number from 1 to 4"),
        ("fail_under_level = { speed = 2 }", "unknown dimension 'speed'"),
        ("threshold = 3", "unknown key 'threshold' (known: fail_under_level)"),
    ],
)
def test_a_bad_ci_table_is_one_line_exit_2_before_grading(
    cli, toy_golden: Path, make_candidate, table: str, message: str
) -> None:
    with open(toy_golden / "exercise.toml", "a", encoding="utf-8") as handle:
        handle.write(f"\n[ci]\n{table}\n")
    result = grade(cli, toy_golden, make_candidate())
    assert result.code == 2, result.stdout + result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert f"{toy_golden / 'exercise.toml'} [ci]" in line and message in line
    assert not (result.out / "report.json").exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("verification=0", "the level must be a whole number from 1 to 4"),
        ("stewardship", "expected DIMENSION=LEVEL"),
        ("taste=3", "unknown dimension 'taste' (dimensions: verification, stewardship)"),
    ],
)
def test_a_bad_gate_option_is_one_line_exit_2(
    cli, toy_golden: Path, make_candidate, value: str, message: str
) -> None:
    result = grade(cli, toy_golden, make_candidate(), "--fail-under-level", value)
    assert result.code == 2, result.stdout + result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("refactor-check: error: --fail-under-level") and message in line
    assert result.stdout == "" and not (result.out / "report.json").exists()
