"""refactor-check batch through the real command line, on a cohort of toy-exercise submissions.

Every submission kind a hiring team meets: a clean refactor, a broken one, one that does not
parse, one that hangs, one with no package at all. Mutation and differential testing are off
(their columns are filled in test_shard.py's batch test); the golden repo's limits are short
so that the hang costs seconds.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import TOY_CLEAN, CliResult, write_files

ATTACKS = Path(__file__).resolve().parent / "attacks"
SHORT_LIMITS = "\n[limits]\nstall_seconds = 2\nwall_seconds = 30\n"
FAST = ("--no-mutation", "--no-differential")

COHORT = {
    "clean": {"toy.py": TOY_CLEAN},
    "broken": {"toy.py": TOY_CLEAN.replace("must be positive", "is too small")},
    "syntax_error": {"toy.py": "def price(qty, unit)\n"},
    "hanging": {"toy.py": (ATTACKS / "infinite_loop" / "toy.py").read_text(encoding="utf-8")},
    "no_package": {"README.md": "I ran out of time.\n"},
}
LEADING = [
    "candidate",
    "verdict",
    "golden_passed",
    "golden_total",
    "differential_mismatches",
    "mutation_score",
    "complexity_delta",
]


def batch_cli(root: Path, *args: str | Path, out: Path | None = None) -> CliResult:
    """``refactor-check batch`` in a subprocess from ``root``, with its cache there: for
    module-scoped cohorts, graded once and read by many tests (a batch into the same --out
    resumes, so running it again with other output options grades nothing)."""
    out = out or root / "out"
    completed = subprocess.run(
        [sys.executable, "-m", "refactor_check", "batch", *map(str, args), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=root,
        env={**os.environ, "NO_COLOR": "1", "REFACTOR_CHECK_CACHE": str(root / "cache")},
    )
    return CliResult(completed.returncode, completed.stdout, completed.stderr, out)


def make_cohort(root: Path, names: list[str]) -> Path:
    for name in names:
        write_files(root / name, COHORT[name])
    return root


def read_csv(out: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(out / "cohort.csv", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def report_mtimes(out: Path) -> dict[str, int]:
    return {p.parent.name: p.stat().st_mtime_ns for p in out.glob("*/report.json")}


@pytest.fixture
def short_golden(toy_golden: Path) -> Path:
    with open(toy_golden / "exercise.toml", "a", encoding="utf-8") as handle:
        handle.write(SHORT_LIMITS)
    return toy_golden


def test_a_cohort_is_graded_ranked_and_resumed(cli, tmp_path: Path, short_golden: Path) -> None:
    subs = make_cohort(tmp_path / "cohort", list(COHORT))
    out = tmp_path / "out"
    batch = ("batch", subs, "--golden", short_golden, "--out", out, *FAST, "--jobs", "2")

    first = cli(*batch)
    assert first.code == 0, first.stdout + first.stderr
    header, table = read_csv(out)
    # The hiring committee's order: preserved, then changed (fewest golden failures, then the
    # larger complexity cut; a suite that never ran last), then the ungradable.
    assert [r["candidate"] for r in table] == [
        "clean",
        "broken",
        "hanging",
        "syntax_error",
        "no_package",
    ]
    verdicts = {r["candidate"]: r["verdict"] for r in table}
    assert verdicts == {
        "clean": "preserved",
        "broken": "changed",
        "hanging": "changed",
        "syntax_error": "changed",
        "no_package": "error",
    }
    rows = {r["candidate"]: r for r in table}
    assert (rows["clean"]["golden_passed"], rows["clean"]["golden_total"]) == ("5", "5")
    assert (rows["broken"]["golden_passed"], rows["broken"]["golden_total"]) == ("4", "5")
    assert rows["syntax_error"]["golden_passed"] == ""  # the suite never ran
    assert rows["clean"]["complexity_delta"] == "-1"
    assert "golden_test_failed" in rows["broken"]["reason"]
    assert "golden_test_timeout" in rows["hanging"]["reason"]
    assert "syntax_error" in rows["syntax_error"]["reason"]
    assert "no package 'toy'" in rows["no_package"]["reason"]
    # Stages that did not run leave their columns blank, not 0.
    assert all(r["differential_mismatches"] == r["mutation_score"] == "" for r in table)

    # Columns: candidate and verdict first, the figures, the scorecard's levels when the
    # reports have a scorecard, then time and reason.
    clean_report = json.loads((out / "clean" / "report.json").read_text(encoding="utf-8"))
    card = clean_report.get("scorecard")
    levels = (
        [f"{d['name']}_level" for d in card["dimensions"]] + ["scorecard_total"] if card else []
    )
    assert header == [*LEADING, *levels, "history", "seconds", "reason", "ranking_note"]
    assert table[0]["ranking_note"].startswith("ranked by verdict, then preserved by")
    assert clean_report["verdict"] == "preserved"
    hanging_report = json.loads((out / "hanging" / "report.json").read_text(encoding="utf-8"))
    assert "golden_test_timeout" in {f["kind"] for f in hanging_report["findings"]}
    assert (out / "hanging" / "grading.log").is_file()
    assert not (out / "no_package").exists()
    page = (out / "cohort.html").read_text(encoding="utf-8")
    assert '<a href="clean/' in page and "no_package" in page and page.count("<script") == 1
    # The terminal shows the table itself, in the same order, and the ranking note.
    listed = [line.split()[1] for line in first.stdout.splitlines() if line[:3].strip().isdigit()]
    assert listed == [r["candidate"] for r in table]
    assert "order: ranked by verdict" in first.stdout

    # Nothing changed: nothing is graded again.
    before = report_mtimes(out)
    second = cli(*batch)
    assert second.code == 0
    assert "0 to grade, 5 unchanged" in second.stdout
    assert report_mtimes(out) == before
    assert read_csv(out) == (header, table)

    # One submission changed: only it is graded again.
    with open(subs / "broken" / "toy.py", "a", encoding="utf-8") as handle:
        handle.write("\n# tidied\n")
    third = cli(*batch)
    assert third.code == 0
    assert "1 to grade, 4 unchanged" in third.stdout and "[1/1] broken: changed" in third.stdout
    after = report_mtimes(out)
    assert after["broken"] != before["broken"]
    assert {k: v for k, v in after.items() if k != "broken"} == {
        k: v for k, v in before.items() if k != "broken"
    }


def test_a_grading_that_overruns_is_stopped_and_the_others_finish(
    cli, tmp_path: Path, toy_golden: Path
) -> None:
    # The exercise's own limits (a 30 s stall) are longer than the batch lets one grading run.
    subs = make_cohort(tmp_path / "cohort", ["clean", "hanging"])
    out = tmp_path / "out"
    result = cli(
        "batch",
        subs,
        "--golden",
        toy_golden,
        "--out",
        out,
        *FAST,
        "--jobs",
        "2",
        "--grading-timeout",
        "12",  # a clean grading takes a few seconds, even on a busy machine
    )
    assert result.code == 3, result.stdout + result.stderr
    rows = {r["candidate"]: r for r in read_csv(out)[1]}
    assert rows["clean"]["verdict"] == "preserved"
    assert rows["hanging"]["verdict"] == "error"
    assert "did not finish within 12 s" in rows["hanging"]["reason"]
    assert float(rows["hanging"]["seconds"]) < 30  # stopped, well before its own limits


def test_a_golden_repo_that_fails_on_its_original_is_bad_input(
    cli, tmp_path: Path, toy_golden: Path
) -> None:
    write_files(toy_golden, {"tests/test_more.py": "def test_bad():\n    assert False\n"})
    subs = make_cohort(tmp_path / "cohort", ["clean"])
    out = tmp_path / "out"
    result = cli("batch", subs, "--golden", toy_golden, "--out", out, *FAST)
    assert result.code == 2, result.stdout + result.stderr
    (row,) = read_csv(out)[1]
    assert row["verdict"] == "error" and "test_more.py::test_bad" in row["reason"]


@pytest.mark.parametrize(
    ("layout", "args", "fragment"),
    [
        ("none", ["batch", "{tmp}/missing", "--golden", "{golden}"], "does not exist"),
        ("empty", ["batch", "{subs}", "--golden", "{golden}"], "no submission folders"),
        ("cohort", ["batch", "{subs}"], "pass --golden DIR or --exercise NAME"),
        ("cohort", ["batch", "{subs}", "--golden", "{golden}", "--out", "{subs}/x"], "overlap"),
        ("foreign", ["batch", "{subs}", "--golden", "{golden}", "--out", "{tmp}/mine"], "holds"),
        ("cohort", ["batch", "{subs}", "--golden", "{golden}", "--shard", "3/2"], "does not exist"),
    ],
)
def test_bad_batch_invocations_are_one_line_exit_2(
    cli, tmp_path: Path, toy_golden: Path, layout: str, args: list[str], fragment: str
) -> None:
    subs = tmp_path / "cohort"
    subs.mkdir()
    if layout == "cohort":
        make_cohort(subs, ["clean"])
    if layout == "foreign":
        make_cohort(subs, ["clean"])
        write_files(tmp_path / "mine", {"notes.txt": "not a batch's\n"})
    values = {"tmp": str(tmp_path), "subs": str(subs), "golden": str(toy_golden)}
    argv = [a.format(**values) for a in args]
    if "--out" not in argv:
        argv += ["--out", str(tmp_path / "out")]
    result = cli(*argv)
    assert result.code == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("refactor-check: error: ")
    assert fragment in lines[0]
    if layout == "foreign":
        assert (tmp_path / "mine" / "notes.txt").exists()  # nobody else's files are touched


def test_the_exercises_first_grading_runs_alone_so_its_mutation_score_is_paid_once(
    tmp_path: Path, toy_golden: Path
) -> None:
    subs = make_cohort(tmp_path / "cohort", ["clean", "broken"])
    args = ("--golden", toy_golden, "--mutation-profile", "quick", "--no-differential")
    first = batch_cli(tmp_path, subs, *args, "--no-history", "--jobs", "2")
    assert first.code == 0, first.stdout + first.stderr

    def computed(out: Path) -> list[str]:
        """The submissions whose grading ran the golden suite's mutmut run itself."""
        reports = {
            p.parent.name: json.loads(p.read_text("utf-8")) for p in out.glob("*/report.json")
        }
        assert len(reports) == 2
        return [n for n, r in reports.items() if not r["mutation"]["golden_on_original"]["cached"]]

    # Side by side from a cold cache, both gradings would miss it and both would run it.
    assert len(computed(first.out)) == 1
