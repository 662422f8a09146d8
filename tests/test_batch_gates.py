"""``batch --format json`` and ``batch --fail-under-level`` through the real command line.

One toy cohort (a clean refactor and one that changes behaviour at the bulk boundary) is
graded once; every other batch here runs into the same --out, so it resumes and grades
nothing: output options and gates are not part of what a grading depends on.
"""

from __future__ import annotations

import csv
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import TOY_CLEAN, TOY_GOLDEN, CliResult, write_files
from .test_batch import batch_cli

FLAGS = ("--no-mutation", "--differential-examples", "0", "--jobs", "2")


@dataclass(frozen=True)
class ToyBatch:
    root: Path
    cohort: Path
    golden: Path
    first: CliResult

    def again(self, *args: str, out: Path | None = None) -> CliResult:
        return batch_cli(self.root, self.cohort, "--golden", self.golden, *FLAGS, *args, out=out)


@pytest.fixture(scope="module")
def toy_batch(tmp_path_factory: pytest.TempPathFactory) -> ToyBatch:
    root = tmp_path_factory.mktemp("toy-batch")
    golden = Path(shutil.copytree(TOY_GOLDEN, root / "golden"))
    cohort = root / "cohort"
    write_files(cohort / "clean", {"toy.py": TOY_CLEAN})
    write_files(cohort / "broken", {"toy.py": TOY_CLEAN.replace(">= BULK_QTY", "> BULK_QTY")})
    first = batch_cli(root, cohort, "--golden", golden, *FLAGS)
    assert first.code == 0, first.stdout + first.stderr
    return ToyBatch(root, cohort, golden, first)


def read_csv(out: Path) -> list[dict[str, str]]:
    with open(out / "cohort.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_format_json_prints_the_cohort_and_nothing_else_on_stdout(toy_batch: ToyBatch) -> None:
    result = toy_batch.again("--format", "json")
    assert result.code == 0, result.stdout + result.stderr
    data = json.loads(result.stdout)  # stdout is the document alone
    assert "0 to grade, 2 unchanged" in result.stderr  # progress went to stderr
    assert "order: ranked by verdict" in result.stderr  # and so did the table
    assert data == json.loads((result.out / "cohort.json").read_text(encoding="utf-8"))

    # The rows as cohort.csv has them, in the same order, with the note and report paths.
    table = read_csv(result.out)
    assert [r["candidate"] for r in data["rows"]] == [r["candidate"] for r in table]
    for record, row in zip(table, data["rows"], strict=True):
        for column in data["columns"]:
            value = row[column]
            assert record[column] == ("" if value is None else str(value)), column
        assert record["ranking_note"].startswith(f"ranked by verdict, then {row['verdict']} by")
        assert Path(row["report"]).is_file() and Path(row["report_html"]).is_file()
        assert row["report"] == str(result.out / row["candidate"] / "report.json")
    assert data["ranking"]["note"].startswith("ranked by verdict, then preserved by")
    assert [r["rank"] for r in data["rows"]] == [1, 2]
    clean, broken = data["rows"]
    assert (clean["candidate"], clean["verdict"], clean["counterexample"]) == (
        "clean",
        "preserved",
        None,
    )
    assert broken["verdict"] == "changed" and broken["counterexample"].startswith("toy.price(")
    assert data["fail_under_level"] == {} and broken["below_gates"] == []


def test_fail_under_level_exits_1_naming_who_is_below_which_gate(toy_batch: ToyBatch) -> None:
    # Neither wrote tests of their own: Verification level 1, Stewardship measured.
    passing = toy_batch.again("--fail-under-level", "verification=1")
    assert passing.code == 0, passing.stdout + passing.stderr
    assert "gates: --fail-under-level verification=1: every graded submission reaches them" in (
        passing.stdout
    )

    failing = toy_batch.again(
        "--fail-under-level", "verification=2", "--fail-under-level", "stewardship=1"
    )
    assert failing.code == 1, failing.stdout + failing.stderr
    assert failing.stderr == ""
    lines = failing.stdout.splitlines()
    start = lines.index(
        "gates: --fail-under-level verification=2 --fail-under-level stewardship=1: "
        "2 submission(s) below:"
    )
    assert lines[start + 1 : start + 3] == [
        "  clean: verification level 1, needs 2",
        "  broken: verification level 1, needs 2",
    ]
    data = json.loads((failing.out / "cohort.json").read_text(encoding="utf-8"))
    assert data["fail_under_level"] == {"verification": 2, "stewardship": 1}
    assert data["rows"][0]["below_gates"] == [
        {"dimension": "verification", "needs": 2, "actual": 1}
    ]

    as_json = toy_batch.again("--fail-under-level", "verification=2", "--format", "json")
    assert as_json.code == 1
    assert "2 submission(s) below" in as_json.stderr
    assert json.loads(as_json.stdout)["rows"][1]["below_gates"][0]["actual"] == 1


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (["nosuch=3"], "'nosuch=3': unknown dimension 'nosuch' (dimensions: verification, "),
        (["verification=99"], "'verification=99': the level must be a whole number from 1 to 4"),
        (["verification"], "'verification': expected DIMENSION=LEVEL, e.g. verification=3 ("),
        (["verification=2", "verification=3"], "verification is given more than once"),
    ],
)
def test_a_bad_fail_under_level_is_one_line_exit_2(
    toy_batch: ToyBatch, tmp_path: Path, values: list[str], message: str
) -> None:
    gates = [arg for value in values for arg in ("--fail-under-level", value)]
    result = toy_batch.again(*gates, out=tmp_path / "out")
    assert result.code == 2, result.stdout + result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("refactor-check: error: --fail-under-level") and message in line
    assert result.stdout == "" and not (tmp_path / "out").exists()  # stopped before grading


def test_the_exercises_ci_table_is_the_default_gate(toy_batch: ToyBatch, tmp_path: Path) -> None:
    golden = Path(shutil.copytree(toy_batch.golden, tmp_path / "golden"))
    with open(golden / "exercise.toml", "a", encoding="utf-8") as handle:
        handle.write("\n[ci]\nfail_under_level = { verification = 2 }\n")
    cohort = write_files(tmp_path / "cohort" / "clean", {"toy.py": TOY_CLEAN}).parent
    out = tmp_path / "out"
    gated = batch_cli(tmp_path, cohort, "--golden", golden, *FLAGS, out=out)
    assert gated.code == 1, gated.stdout + gated.stderr
    assert "  clean: verification level 1, needs 2" in gated.stdout
    # The option, when given, replaces the table's gates.
    eased = batch_cli(
        tmp_path, cohort, "--golden", golden, *FLAGS, "--fail-under-level", "stewardship=1", out=out
    )
    assert eased.code == 0, eased.stdout + eased.stderr
    assert "0 to grade, 1 unchanged" in eased.stdout


def test_a_bad_ci_table_stops_the_batch_before_grading(toy_batch: ToyBatch, tmp_path: Path) -> None:
    golden = Path(shutil.copytree(toy_batch.golden, tmp_path / "golden"))
    with open(golden / "exercise.toml", "a", encoding="utf-8") as handle:
        handle.write("\n[ci]\nfail_under_level = { verification = 5 }\n")
    result = batch_cli(tmp_path, toy_batch.cohort, "--golden", golden, *FLAGS)
    assert result.code == 2, result.stdout + result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert f"{golden / 'exercise.toml'} [ci] fail_under_level.verification" in line
    assert "the level must be a whole number from 1 to 4" in line
    assert not result.out.exists()
