"""End to end through the real command line, on throwaway golden repos and candidates."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import TOY_CLEAN, snapshot, write_files


def assert_one_line_error(result, code: int, *fragments: str) -> None:
    assert result.code == code, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("refactor-check: error: ")
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_version_and_help(cli) -> None:
    assert cli("--version").stdout.strip() == "refactor-check, version 0.1.0"
    help_text = cli("run", "--help").stdout
    assert "--golden" in help_text and "Examples:" in help_text


def test_clean_candidate_on_minimal_golden_repo(cli, toy_golden: Path, make_candidate) -> None:
    candidate = make_candidate({"toy.py": TOY_CLEAN, "tests/test_mine.py": "def test_x(): pass\n"})
    before = snapshot(candidate)
    result = cli("run", candidate, "--golden", toy_golden)
    assert result.code == 0, result.stdout + result.stderr
    report = result.report
    assert report["schema_version"] == 1
    assert report["verdict"] == "preserved" and report["findings"] == []
    assert report["golden"]["passed"] == report["golden"]["total"] == 5
    # Their one test asserts nothing, so it kills no mutant of their code.
    own = report["mutation"]["candidate_tests"]
    assert own["killed"] == 0 and own["total"] > 0 and own["score"] == 0.0
    # price 3, __init__ 1, bump 1 + its closure 2; the candidate folds the closure away.
    assert report["complexity"]["original"]["cc_total"] == 7
    assert report["complexity"]["candidate"]["cc_total"] == 6
    assert "verdict: PRESERVED" in result.stdout
    assert str(result.out / "report.json") in result.stdout
    assert snapshot(candidate) == before


def test_broken_candidate_names_the_failing_test(cli, toy_golden: Path, make_candidate) -> None:
    candidate = make_candidate({"toy.py": TOY_CLEAN.replace("must be positive", "is too small")})
    # Differential testing would find the changed message too; this test is about golden.
    result = cli("run", candidate, "--golden", toy_golden, "--no-differential")
    assert result.code == 1
    report = result.report
    assert report["verdict"] == "changed"
    (finding,) = report["findings"]
    assert finding["kind"] == "golden_test_failed"
    assert finding["test_id"] == "tests/test_toy.py::test_price_rejects_zero"
    assert "Regex pattern did not match" in finding["message"]
    assert "[golden_test_failed] tests/test_toy.py::test_price_rejects_zero" in result.stdout


def test_syntax_error_is_a_finding_with_file_and_line(
    cli, toy_golden: Path, make_candidate
) -> None:
    candidate = make_candidate(
        {"toy/__init__.py": "from .core import *\n", "toy/core.py": "def price(qty, unit)\n"}
    )
    result = cli("run", candidate, "--golden", toy_golden)
    assert result.code == 1
    (finding,) = result.report["findings"]
    assert finding["kind"] == "syntax_error"
    assert (finding["file"], finding["line"]) == ("toy/core.py", 1)
    checks = {c["check"]: c["status"] for c in result.report["checks"]}
    assert checks["golden"] == "skipped"


def test_a_package_too_large_to_grade_is_a_finding(cli, toy_golden: Path, make_candidate) -> None:
    # The candidate is to blame for what they submit: exit 1 with a finding, not a usage error.
    padding = "# " + "x" * 1000 + "\n"
    files = {"toy/__init__.py": "from .core import *\n", "toy/core.py": TOY_CLEAN}
    files |= {f"toy/pad{i}.py": padding * 1100 for i in range(5)}  # 5.5 MB in all
    result = cli("run", make_candidate(files), "--golden", toy_golden)
    assert result.code == 1, result.stderr
    (finding,) = result.report["findings"]
    assert finding["kind"] == "submission_too_large"
    assert "limits 500 files, 5242880 bytes" in finding["message"]
    checks = {c["check"]: c["status"] for c in result.report["checks"]}
    assert checks["syntax"] == "failed"
    assert checks["golden"] == checks["mutation"] == checks["differential"] == "skipped"


def test_raising_at_import_exits_1(cli, toy_golden: Path, make_candidate) -> None:
    result = cli("run", make_candidate({"toy.py": "1/0\n"}), "--golden", toy_golden)
    assert result.code == 1
    assert [f["kind"] for f in result.report["findings"]] == ["import_failed"]
    assert "ZeroDivisionError" in result.report["findings"][0]["message"]


def test_empty_tests_dir_is_a_note_not_an_error(cli, toy_golden: Path, make_candidate) -> None:
    candidate = make_candidate()
    (candidate / "tests").mkdir()
    result = cli("run", candidate, "--golden", toy_golden)
    assert result.code == 0
    assert result.report["candidate"]["own_tests"] == []
    assert any("no test_*.py" in n for n in result.report["candidate"]["notes"])


def test_same_inputs_give_the_same_report(cli, toy_golden: Path, make_candidate) -> None:
    candidate = make_candidate({"toy.py": TOY_CLEAN.replace("qty >= ", "qty > ")})
    first = cli("run", candidate, "--golden", toy_golden).report
    second = cli("run", candidate, "--golden", toy_golden, "--no-cache").report
    # What differs: how long each took, and whether each was kept for a re-check.
    assert first.pop("timing") and second.pop("timing")
    assert first.pop("recheck")["kept"] and not second.pop("recheck")["kept"]
    assert first == second


def test_exercise_named_in_candidate_config(
    cli, tmp_path: Path, toy_golden: Path, make_candidate, monkeypatch
) -> None:
    builtins = tmp_path / "builtins"
    builtins.mkdir()
    (builtins / "toy").symlink_to(toy_golden)
    monkeypatch.setenv("REFACTOR_CHECK_EXERCISES", str(builtins))
    candidate = make_candidate({"toy.py": TOY_CLEAN, ".refactor-check.toml": 'exercise = "toy"\n'})
    assert cli("run", candidate).code == 0
    assert cli("run", make_candidate(), "--exercise", "toy").code == 0


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["run", "missing"], ["candidate directory missing does not exist"]),
        (["run", "{empty}"], ["no package 'toy'", "pass the submission's root directory"]),
        (["run", "{cand}", "--exercise", "nope"], ["unknown exercise 'nope'"]),
        (["run", "{cand}", "--golden", "{cand}"], ["has no exercise.toml"]),
        (["run", "{cand}", "--bogus"], ["No such option '--bogus'"]),
        (["run", "{cand}", "--out", "{cand}/report"], ["inside the submission directory"]),
        (["run", "{cand}", "--mutation-profile", "nosuch"], ["--mutation-profile: unknown"]),
        (["run", "{cand}", "--shard", "1/2", "--no-mutation"], ["nothing to shard"]),
    ],
)
def test_bad_invocations_are_one_line_exit_2(
    cli, tmp_path: Path, toy_golden: Path, make_candidate, args, fragments
) -> None:
    cand = make_candidate()
    empty = tmp_path / "empty"
    empty.mkdir()
    values = {"cand": str(cand), "empty": str(empty)}
    argv = [a.format(**values) for a in args]
    if "--golden" not in argv and "--exercise" not in argv and argv[-1] != "--bogus":
        argv += ["--golden", str(toy_golden)]
    result = cli(*argv)
    assert_one_line_error(result, 2, *fragments)
    assert not (cand / "report").exists()


def test_a_missing_submission_is_named_before_its_exercise_is_looked_for(cli) -> None:
    result = cli("run", "/nonexistent/submission")
    assert_one_line_error(result, 2, "candidate directory /nonexistent/submission does not exist")


def test_no_exercise_lists_the_builtins(cli, make_candidate) -> None:
    result = cli("run", make_candidate())
    assert_one_line_error(result, 2, "no exercise given", "invoice")


@pytest.mark.parametrize(
    ("files", "fragment"),
    [
        ({"exercise.toml": "this is not toml"}, "is not valid TOML"),
        ({"exercise.toml": "[exercise]\nname = 'x'\npackage = ''\n"}, "must set package"),
        ({"tests/test_more.py": "def test_bad():\n    assert False\n"}, "test_more.py::test_bad"),
        ({"tests/test_toy.py": "import toy\n"}, "collected none"),
        # The import error that explains it is in the line, with what to do.
        (
            {"tests/test_toy.py": "import toy_helpers\n\ndef test_x():\n    pass\n"},
            "tests/test_toy.py: ModuleNotFoundError: No module named 'toy_helpers'",
        ),
    ],
)
def test_broken_golden_repo_is_exit_2(cli, toy_golden: Path, make_candidate, files, fragment):
    write_files(toy_golden, files)
    result = cli("run", make_candidate(), "--golden", toy_golden)
    assert_one_line_error(result, 2, fragment)


def test_golden_repo_missing_parts(cli, toy_golden: Path, make_candidate) -> None:
    import shutil

    shutil.rmtree(toy_golden / "tests")
    assert_one_line_error(
        cli("run", make_candidate(), "--golden", toy_golden), 2, "has no tests/ directory"
    )
    shutil.rmtree(toy_golden / "original")
    assert_one_line_error(
        cli("run", make_candidate(), "--golden", toy_golden), 2, "has no original/ directory"
    )


def test_a_crash_of_the_tool_is_exit_3_with_an_error_report(
    toy_golden: Path, make_candidate, tmp_path: Path, monkeypatch, capsys
) -> None:
    from refactor_check import cli as cli_module
    from refactor_check.checks import complexity

    def broken(ctx):
        raise RuntimeError("radon exploded")

    monkeypatch.setattr(complexity, "run", broken)
    out = tmp_path / "report"
    with pytest.raises(SystemExit) as exit_info:
        cli_module.main(
            [
                "run",
                str(make_candidate()),
                "--golden",
                str(toy_golden),
                "--out",
                str(out),
                "--no-mutation",
            ]
        )
    assert exit_info.value.code == 3
    import json

    report = json.loads((out / "report.json").read_text())
    assert report["verdict"] == "error"
    assert [f["kind"] for f in report["findings"]] == ["check_error"]
    assert "radon exploded" in report["findings"][0]["message"]


SLOW_TEST = "import time\n\ndef test_slow():\n    time.sleep(120)\n"


@pytest.mark.parametrize(
    ("files", "options", "stage"),
    [
        # The candidate hangs at import: the interrupt lands while the golden run waits.
        ({"toy.py": "import time\ntime.sleep(120)\n"}, ["--no-mutation"], "golden"),
        # Their own test hangs: mutation testing waits on it while differential testing runs
        # beside it in another thread; both must stop.
        (
            {"toy.py": TOY_CLEAN, "tests/test_slow.py": SLOW_TEST},
            ["--mutation-profile", "quick"],
            "differential",
        ),
    ],
    ids=["golden", "side-by-side"],
)
def test_ctrl_c_stops_the_run_with_130_and_leaves_no_process(
    tmp_path: Path, toy_golden: Path, make_candidate, files, options, stage
) -> None:
    candidate = make_candidate(files)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    argv = [sys.executable, "-m", "refactor_check", "run", str(candidate), *options]
    argv += ["--golden", str(toy_golden), "--out", str(tmp_path / "out")]
    # A user's Ctrl-C reaches a run started from a terminal. A test suite started in the
    # background of a script (`pytest &`) ignores SIGINT, and an ignored SIGINT is inherited:
    # the run would rightly ignore it too (as under nohup). A handler is not inherited, so the
    # run starts with Python's own whatever the suite was started with.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        process = subprocess.Popen(
            argv,
            env={**os.environ, "TMPDIR": str(scratch)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    finally:
        signal.signal(signal.SIGINT, previous)
    assert process.stdout is not None
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # progress lines: until the stage has started
        line = process.stdout.readline()
        if not line or line.startswith(f"refactor-check: {stage} ..."):
            break
    # Then until the same child has run in the workspace for a second.
    steady: set[int] = set()
    while not steady and time.monotonic() < deadline:
        before = set(_processes_mentioning(str(scratch)))
        time.sleep(1.0)
        steady = before & set(_processes_mentioning(str(scratch)))
    if not steady:
        process.kill()
        rest, stderr = process.communicate()
        raise AssertionError(f"the run never started a child; it said:\n{rest}\n{stderr}")
    process.send_signal(signal.SIGINT)
    try:
        # A ceiling, not a speed check: on a loaded 2-core machine the interpreter's clean-up
        # after the interrupt has been seen to take more than 30 s.
        _, stderr = process.communicate(timeout=90)
    except subprocess.TimeoutExpired:
        process.kill()
        _, stderr = process.communicate()
        raise AssertionError(f"still running 90 s after SIGINT; its stderr:\n{stderr}") from None
    assert process.returncode == 130
    assert stderr.strip().splitlines()[-1] == "refactor-check: interrupted"
    assert "Traceback" not in stderr
    assert _processes_mentioning(str(scratch)) == []


def _processes_mentioning(text: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if text in cmdline:
            found.append(int(entry.name))
    return found
