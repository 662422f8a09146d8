"""`refactor-check show DIR --finding N --repro`: a script that replays a counterexample on
the original and on the candidate, run here as a person would run it."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import CliResult, snapshot
from .test_show import assert_bad_input, breaks_golden_run, copy_report, golden_gap_run, show_cli

__all__ = ["breaks_golden_run", "golden_gap_run", "show_cli"]  # fixtures, used by name

GOLDEN_ORIGINAL = Path(__file__).resolve().parent.parent / "golden_repos" / "invoice" / "original"


def write_script(show_cli, report_dir: Path, path: Path, number: int = 1) -> Path:
    code, out, err = show_cli(report_dir, "--finding", str(number), "--repro-out", path)
    assert code == 0, err
    assert out.startswith(f"wrote {path} (it runs the candidate's code unsandboxed)")
    return path


def run_script(script: Path, *args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(script), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
    )


def sections(output: str) -> dict[str, list[str]]:
    """The script's output by "== " heading: each side's transcript, what the report says."""
    found: dict[str, list[str]] = {}
    current: list[str] = []
    for line in output.splitlines():
        if line.startswith("== "):
            current = found.setdefault(line[3:].split(":")[0], [])
        else:
            current.append(line)
    return found


def test_the_script_shows_both_behaviours_as_the_report_does(
    golden_gap_run: CliResult, show_cli, tmp_path: Path
) -> None:
    script = write_script(show_cli, golden_gap_run.out, tmp_path / "repro.py")
    submission = Path(golden_gap_run.report["candidate"]["path"])
    before = snapshot(submission)
    done = run_script(script, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr  # 0: the sides differ
    (example,) = golden_gap_run.report["differential"]["counterexamples"]
    found = sections(done.stdout)
    call = f">>> {example['call']}"
    for side in ("original", "candidate"):
        transcript = found[side]
        assert transcript[0] == ">>> import billing"
        # The differing call, then what it did: the very line report.json has for it.
        assert transcript[transcript.index(call) + 1] == example[side]["summary"]
    assert found["original"] != found["candidate"]
    assert "the two sides behave differently" in found
    assert found["report.json recorded"] == [
        *["original:", *(f"    {x}" for x in example["original"]["lines"])],
        *["candidate:", *(f"    {x}" for x in example["candidate"]["lines"])],
    ]
    # The defaults: the original from the code embedded, the candidate from its directory.
    assert "== original: the original's code as report.json holds it" in done.stdout
    assert f"== candidate: {golden_gap_run.report['candidate']['path']}" in done.stdout
    assert snapshot(submission) == before  # run with -B: no .pyc written into it


def test_the_script_warns_and_reads_alone(
    golden_gap_run: CliResult, show_cli, tmp_path: Path
) -> None:
    code, printed, _ = show_cli(golden_gap_run.out, "--finding", "1", "--repro")
    assert code == 0
    written = write_script(show_cli, golden_gap_run.out, tmp_path / "repro.py").read_text("utf-8")
    assert printed == written  # stdout or a file: the same script
    header = written.split("\nfrom __future__", 1)[0]
    assert "WARNING: this runs the candidate's code, which is untrusted" in header
    assert "no\n# sandbox" in header
    tree = ast.parse(written)
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    }
    assert "refactor_check" not in imported  # it needs Python only


def test_directories_given_on_the_command_line(
    golden_gap_run: CliResult, show_cli, tmp_path: Path
) -> None:
    script = write_script(show_cli, golden_gap_run.out, tmp_path / "repro.py")
    # The original against itself: no difference, exit 1.
    same = run_script(
        script, "--original", GOLDEN_ORIGINAL, "--candidate", GOLDEN_ORIGINAL, cwd=tmp_path
    )
    assert same.returncode == 1, same.stdout + same.stderr
    assert f"== original: {GOLDEN_ORIGINAL}" in same.stdout
    assert "the two sides behaved the same here" in same.stdout
    missing = run_script(script, "--candidate", tmp_path / "gone", cwd=tmp_path)
    assert missing.returncode == 2
    assert missing.stdout == ""  # nothing ran
    assert f"--candidate {tmp_path / 'gone'} is not a directory" in missing.stderr


def test_a_candidate_directory_gone_falls_back_on_the_report(
    golden_gap_run: CliResult, show_cli, tmp_path: Path
) -> None:
    def moved(data: dict[str, Any]) -> None:
        data["candidate"]["path"] = str(tmp_path / "moved-away")

    report = copy_report(golden_gap_run, tmp_path, moved)
    done = run_script(write_script(show_cli, report, tmp_path / "repro.py"), cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (
        f"== candidate: the candidate's code as report.json holds it; {tmp_path / 'moved-away'} "
        "no longer holds it"
    ) in done.stdout


def test_text_of_the_report_stays_data(golden_gap_run: CliResult, show_cli, tmp_path: Path) -> None:
    hostile = "x\nimport os; os.system('touch pwned')\n'''\"\"\"\r\u2028"

    def hostile_text(data: dict[str, Any]) -> None:
        data["findings"][0]["message"] = hostile
        data["candidate"]["path"] = hostile
        data["differential"]["counterexamples"][0]["original"]["lines"] = [hostile]

    report = copy_report(golden_gap_run, tmp_path, hostile_text)
    script = write_script(show_cli, report, tmp_path / "repro.py")
    text = script.read_text("utf-8")
    tree = ast.parse(text)
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr == "system"]
    assert calls == []  # the message is a comment and a string, never code
    assert "#   finding:   x\\nimport os; os.system('touch pwned')\\n" in text
    done = run_script(script, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert not (tmp_path / "pwned").exists()


def test_repro_of_what_is_not_a_counterexample(breaks_golden_run: CliResult, show_cli) -> None:
    run = breaks_golden_run
    assert_bad_input(
        show_cli(run.out, "--finding", "1", "--repro"),
        "finding 1 is golden_test_failed, not a differential counterexample",
    )
    assert_bad_input(show_cli(run.out, "--finding", "99", "--repro"), "no finding 99")


@pytest.mark.parametrize("path", ["../outside.py", "/etc/evil.py"])
def test_repro_refuses_code_paths_outside_the_package(
    golden_gap_run: CliResult, show_cli, tmp_path: Path, path: str
) -> None:
    def escaping(data: dict[str, Any]) -> None:
        data["sources"]["candidate"][path] = "print('escaped')\n"
        data["candidate"]["files"].append(path)  # as a run lists its files: it reads back

    report = copy_report(golden_gap_run, tmp_path, escaping)
    assert_bad_input(show_cli(report, "--finding", "1", "--repro"), f"hold {path!r}")


def test_repro_out_that_cannot_be_written(
    golden_gap_run: CliResult, show_cli, tmp_path: Path
) -> None:
    target = tmp_path / "no" / "such" / "dir" / "repro.py"
    assert_bad_input(
        show_cli(golden_gap_run.out, "--finding", "1", "--repro-out", target), "cannot write"
    )
    assert json.loads((golden_gap_run.out / "report.json").read_text("utf-8"))  # untouched
