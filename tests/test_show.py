"""`refactor-check show`: one finding or one mutant of a written report, on real report
directories, through the command line's entry point."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from refactor_check import cli
from refactor_check.report import Report
from refactor_check.reports import json_report, show, view
from refactor_check.results.mutation import Mutant

from . import made_reports
from .conftest import CliResult
from .test_reports import INVOICE, run_cli, toy_run

__all__ = ["breaks_golden_run", "golden_gap_run", "toy_run"]  # fixtures, used by name

# One grading per example for the whole session: the show, repro and Markdown tests share it.
_GRADED: dict[str, CliResult] = {}


def _graded(factory: pytest.TempPathFactory, example: str, *options: str) -> CliResult:
    if example not in _GRADED:
        root = factory.mktemp(example)
        _GRADED[example] = run_cli(root, "run", INVOICE / example, "--no-mutation", *options)
    run = _GRADED[example]
    assert run.code == 1, run.stdout + run.stderr
    return run


@pytest.fixture(scope="session")
def golden_gap_run(tmp_path_factory: pytest.TempPathFactory) -> CliResult:
    """golden_gap passes every golden test; differential testing finds its one counterexample
    (a shipped probe finds it first, so no random programs are needed)."""
    return _graded(tmp_path_factory, "golden_gap", "--differential-examples", "0")


@pytest.fixture(scope="session")
def breaks_golden_run(tmp_path_factory: pytest.TempPathFactory) -> CliResult:
    """breaks_golden fails golden tests, with pytest's assertion text for each."""
    return _graded(tmp_path_factory, "breaks_golden", "--no-differential")


Shown = tuple[int, str, str]  # exit code, stdout, stderr


@pytest.fixture
def show_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Shown]:
    """``refactor-check show ...`` through ``main``, as the console script runs it."""

    def invoke(*args: str | Path) -> Shown:
        try:
            cli.main(["show", *map(str, args)])
            code = 0
        except SystemExit as exit_info:
            code = int(exit_info.code or 0)
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return invoke


def assert_bad_input(shown: Shown, *fragments: str) -> None:
    code, out, err = shown
    assert code == 2, (out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("refactor-check: error: ")
    assert "Traceback" not in err and out == ""
    for fragment in fragments:
        assert fragment in lines[0]


def copy_report(run: CliResult, tmp_path: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    """A report directory holding run's report.json as ``change`` leaves it."""
    data = json.loads(json.dumps(run.report))
    change(data)
    out = tmp_path / "changed"
    out.mkdir()
    (out / "report.json").write_text(json.dumps(data), encoding="utf-8")
    return out


def copy_typed(run: CliResult, tmp_path: Path, change: Callable[[Report], Report]) -> Path:
    """A report directory holding run's report as ``change`` leaves it, written as a run
    writes one (so it reads back as written)."""
    out = tmp_path / "changed"
    out.mkdir()
    json_report.write(change(Report.from_json(run.report)), out)
    return out


# The list ----------------------------------------------------------------------------------


def test_list_numbers_the_findings(golden_gap_run: CliResult, show_cli) -> None:
    code, out, err = show_cli(golden_gap_run.out)
    assert code == 0 and err == ""
    (finding,) = golden_gap_run.report["findings"]
    assert f"  1  [differential_mismatch] {finding['message'][:60]}" in out
    assert f"refactor-check show {golden_gap_run.out} --finding N" in out
    assert "mutation testing: not run" in out
    assert "\x1b[" not in out  # no colour off a terminal


def test_list_names_the_mutants_each_score_leaves_alive(toy_run: CliResult, show_cli) -> None:
    code, out, _ = show_cli(toy_run.out / "report.json")  # the file itself will do too
    assert code == 0
    assert "verdict: PRESERVED" in out and "no findings" in out
    mutation = toy_run.report["mutation"]
    for key, _, label in show.SCORES:
        score = mutation[key]
        survivors = [m["key"] for m in score["mutants"] if m["status"] == "survived"]
        detected = score["killed"] + score["timeout"]
        line = next(x for x in out.splitlines() if x.startswith(f"  {label}: "))
        assert f"{detected} of {score['total']} detected" in line
        assert f"{len(survivors)} survived: {survivors[0]}" in line
    assert "--mutant KEY" in out


# One finding ------------------------------------------------------------------------------


def test_a_counterexample_shows_the_call_and_both_behaviours(
    golden_gap_run: CliResult, show_cli
) -> None:
    code, out, _ = show_cli(golden_gap_run.out, "--finding", "1")
    assert code == 0
    (example,) = golden_gap_run.report["differential"]["counterexamples"]
    lines = out.splitlines()
    assert lines[0] == "finding 1 of 1: differential_mismatch (check: differential)"
    assert f"    {example['call']}" in lines  # the input
    for where, original, candidate in example["differences"]:
        at = lines.index(f"differs at {where}:")
        assert lines[at + 1 : at + 3] == [
            f"    original:  {original}",
            f"    candidate: {candidate}",
        ]
    for side in ("original", "candidate"):
        at = lines.index(f"{side}:")
        assert lines[at + 1 : at + 1 + len(example[side]["lines"])] == [
            f"    {line}" for line in example[side]["lines"]
        ]
    at = lines.index("reproduce, with the package importable:")
    assert lines[at + 1 : at + 4] == [
        "    import billing",
        "    import datetime; from decimal import Decimal; from fractions import Fraction",
        f"    {example['call']}",
    ]
    assert "--finding 1 --repro-out repro.py" in out


def test_a_golden_failure_shows_the_test_and_its_assertion(
    breaks_golden_run: CliResult, show_cli
) -> None:
    run = breaks_golden_run
    finding = run.report["findings"][0]
    assert finding["kind"] == "golden_test_failed"
    code, out, _ = show_cli(run.out, "--finding", "1")
    assert code == 0
    assert out.startswith(f"finding 1 of {len(run.report['findings'])}: golden_test_failed")
    assert f"test: {finding['test_id']}\non the original: passed; on the candidate: failed\n" in out
    assertion = out.split("assertion:\n", 1)[1]
    assert assertion.splitlines() == [f"    {line}" for line in finding["evidence"].splitlines()]


def test_text_of_the_submission_cannot_drive_the_terminal(
    golden_gap_run: CliResult, tmp_path: Path, show_cli
) -> None:
    def hostile(data: dict[str, Any]) -> None:
        data["findings"][0]["message"] = "\x1b]0;owned\x07\x1b[2J cleared"

    code, out, _ = show_cli(copy_report(golden_gap_run, tmp_path, hostile), "--finding", "1")
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out
    assert "\\x1b]0;owned\\x07\\x1b[2J cleared" in out


def test_colour_only_on_a_terminal(golden_gap_run: CliResult) -> None:
    args = ["show", str(golden_gap_run.out), "--finding", "1"]
    plain = CliRunner().invoke(cli.cli, args)
    coloured = CliRunner().invoke(cli.cli, args, color=True)  # as click does on a terminal
    assert plain.exit_code == coloured.exit_code == 0
    assert "\x1b[" not in plain.output
    assert "\x1b[36m\x1b[1mfinding 1 of 1" in coloured.output
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured.output) == plain.output


# One mutant -------------------------------------------------------------------------------


def _mutant(run: CliResult, score: str, key: str) -> dict[str, Any]:
    return next(m for m in run.report["mutation"][score]["mutants"] if m["key"] == key)


def test_a_mutant_of_both_codes_shows_each_score_and_diff(toy_run: CliResult, show_cli) -> None:
    key = "toy.x_price__mutmut_4"
    code, out, _ = show_cli(toy_run.out, "--mutant", key)
    assert code == 0
    theirs, ours = out.split("\n\n", 1)  # their code's mutant, then the original's
    mutant = _mutant(toy_run, "candidate_tests", key)
    assert theirs.startswith(
        f"mutant {key} of the candidate's code: toy.price at toy.py:{mutant['line']}\n"
        f"  the candidate's tests, on their code: {mutant['status']}\n"
        "      tests: the candidate's tests (tests/test_mine.py)\n"
    )
    golden = _mutant(toy_run, "golden_on_original", key)
    on_original = _mutant(toy_run, "candidate_tests_on_original", key)
    assert f"  the golden suite, on the original: {golden['status']}\n" in ours
    assert f"  the candidate's tests, on the original: {on_original['status']}\n" in ours
    assert "tests/test_mine.py::test_bulk_price" in ours  # the tests that score ran
    _assert_file_diff(theirs, _source(toy_run), mutant)
    _assert_file_diff(ours, toy_run.report["sources"]["original"]["toy.py"], golden)


def _assert_file_diff(block: str, source: str, mutant: dict[str, Any]) -> None:
    """The diff is against the file: its headers name it, its hunk counts the file's lines,
    and its removed line is the file's line the mutant changes, as indented there."""
    diff = block[block.index("--- a/") :].splitlines()
    assert diff[:2] == [f"--- a/{mutant['file']}", f"+++ b/{mutant['file']}"]
    start = int(re.match(r"@@ -(\d+),", diff[2])[1])
    body = diff[3:]
    removed = [i for i, line in enumerate(body) if line.startswith("-")]
    old_lines = [line for line in body if line[:1] in (" ", "-")]
    first_removed = sum(1 for line in body[: removed[0]] if line[:1] in (" ", "-"))
    assert start + first_removed == mutant["line"]
    file_lines = source.splitlines()
    assert [line[1:] for line in old_lines] == file_lines[start - 1 : start - 1 + len(old_lines)]
    stored_added = [line[1:].strip() for line in mutant["diff"].splitlines()[2:] if line[:1] == "+"]
    assert [line[1:].strip() for line in body if line[:1] == "+"] == stored_added


def test_a_method_mutant_is_indented_as_in_the_file(toy_run: CliResult, show_cli) -> None:
    key = "toy.xǁCounterǁbump__mutmut_1"
    code, out, _ = show_cli(toy_run.out, "--mutant", key)
    assert code == 0
    assert "-    def bump(self, by=1):\n+    def bump(self, by=2):\n" in out
    assert "killed it is not recorded" in out  # the golden suite killed it: by which test, unknown
    _assert_file_diff(
        out.split("\n\n")[0], _source(toy_run), _mutant(toy_run, "candidate_tests", key)
    )


def _source(run: CliResult) -> str:
    return run.report["mutation"]["candidate_tests"]["source_files"]["toy.py"]


def test_a_mutant_without_its_file_shows_the_stored_diff(
    toy_run: CliResult, tmp_path: Path, show_cli
) -> None:
    def without_sources(report: Report) -> Report:
        result = view.mutation(report)
        assert result is not None
        bare = {}
        for key, _, _ in show.SCORES:
            score = getattr(result, key)
            assert score is not None and score.source_files
            bare[key] = replace(score, source_files=())
        report = replace(
            report,
            exercise=replace(report.exercise, texts=()),
            candidate=replace(report.candidate, texts=()),
        )
        return made_reports.with_check(report, replace(result, **bare))

    key = "toy.x_price__mutmut_4"
    code, out, _ = show_cli(copy_typed(toy_run, tmp_path, without_sources), "--mutant", key)
    assert code == 0
    mutant = _mutant(toy_run, "candidate_tests", key)
    assert "the text of toy.py is not in report.json: the diff below is numbered from" in out
    assert mutant["diff"] in out


def test_file_diff_refuses_a_diff_that_does_not_match_the_file() -> None:
    mutant = Mutant(
        key="m.x_f__mutmut_1",
        file="m.py",
        function="m.f",
        line=2,
        status="survived",
        diff="--- m.py\n+++ m.py\n@@ -1,2 +1,2 @@\n"
        " def f(x):\n-    return x < 1\n+    return x <= 1",
    )
    diff, note = show.file_diff(mutant, "def f(x):\n    return x > 1\n")
    assert note and "does not match m.py" in note
    assert diff == mutant.diff.splitlines()
    diff, note = show.file_diff(mutant, "import os\n\ndef f(x):\n    return x < 1\n")
    assert note and diff == mutant.diff.splitlines()  # the line points elsewhere
    diff, note = show.file_diff(
        replace(mutant, line=4), "import os\n\ndef f(x):\n    return x < 1\n"
    )
    assert note is None
    assert diff[2:] == [
        "@@ -1,4 +1,4 @@",
        " import os",
        " ",
        " def f(x):",
        "-    return x < 1",
        "+    return x <= 1",
    ]


# Bad input: one line on stderr, exit 2 ---------------------------------------------------


def test_a_directory_without_report_json(tmp_path: Path, show_cli) -> None:
    assert_bad_input(show_cli(tmp_path), f"no report.json in {tmp_path}", "--out directory")
    assert_bad_input(show_cli(tmp_path / "nowhere"), "does not exist")


def test_a_batch_directory_points_at_a_candidate(
    golden_gap_run: CliResult, tmp_path: Path, show_cli
) -> None:
    shutil.copytree(golden_gap_run.out, tmp_path / "batch" / "alice")
    assert_bad_input(show_cli(tmp_path / "batch"), "batch", str(tmp_path / "batch" / "alice"))


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b'{"schema_version": 1, "findings": [', "is not valid JSON"),
        (b"\xff\xfe{", "cannot read"),  # not UTF-8
        (b"[]", "is not a refactor-check report"),
        (b'{"verdict": "changed"}', "is not a refactor-check report"),
        (b'{"schema_version": 1, "findings": {}}', "is not a complete refactor-check report"),
        # Another schema's report: this version says which one it reads.
        (
            b'{"schema_version": 2, "tool": {"version": "9.0"}, "findings": []}',
            "has schema_version 2 (written by refactor-check 9.0)",
        ),
    ],
)
def test_a_report_json_that_cannot_be_shown(
    tmp_path: Path, show_cli, content: bytes, fragment: str
) -> None:
    (tmp_path / "report.json").write_bytes(content)
    assert_bad_input(show_cli(tmp_path), fragment)


def _findings_not_a_list(data: dict[str, Any]) -> None:
    data["findings"] = {"1": data["findings"][0]}


def _golden_count_edited(data: dict[str, Any]) -> None:
    data["golden"]["passed"] -= 1  # no longer what its tests say


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (_findings_not_a_list, "is not a complete refactor-check report"),
        (_golden_count_edited, "does not hold what refactor-check writes at golden.passed"),
    ],
)
def test_a_report_json_edited_after_it_was_written(
    golden_gap_run: CliResult,
    tmp_path: Path,
    show_cli,
    change: Callable[[dict[str, Any]], None],
    fragment: str,
) -> None:
    """A report.json edited into what no run writes is not shown as if one had: not read
    at all, or (what it states twice disagreeing) read and refused."""
    assert_bad_input(show_cli(copy_report(golden_gap_run, tmp_path, change)), fragment)


def test_unknown_finding_numbers(golden_gap_run: CliResult, toy_run: CliResult, show_cli) -> None:
    for number in ("0", "2", "-1"):
        assert_bad_input(show_cli(golden_gap_run.out, "--finding", number), f"no finding {number}")
    assert_bad_input(
        show_cli(golden_gap_run.out, "--finding", "one"), "'one' is not a valid integer"
    )
    assert_bad_input(show_cli(toy_run.out, "--finding", "1"), "has no findings")


def test_unknown_mutant_keys(toy_run: CliResult, golden_gap_run: CliResult, show_cli) -> None:
    assert_bad_input(
        show_cli(toy_run.out, "--mutant", "toy.x_price__mutmut_99"),
        "no mutant 'toy.x_price__mutmut_99'",
        "did you mean",
    )
    assert_bad_input(show_cli(golden_gap_run.out, "--mutant", "x"), "no mutation scores")


def test_options_that_do_not_go_together(golden_gap_run: CliResult, show_cli) -> None:
    out = golden_gap_run.out
    assert_bad_input(show_cli(out, "--finding", "1", "--mutant", "k"), "give one of them")
    assert_bad_input(show_cli(out, "--repro"), "--repro needs --finding N")
    assert_bad_input(show_cli(out, "--repro-out", out / "r.py"), "--repro needs --finding N")
