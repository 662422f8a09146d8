"""One refactor-check process at a time per --out: the second gets one line and exit 2."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from refactor_check import outlock
from refactor_check.errors import BadInputError

from .conftest import write_files
from .test_batch import ATTACKS, make_cohort, read_csv
from .test_cli import assert_one_line_error


def test_a_second_holder_is_refused_and_the_lock_leaves_nothing_behind(tmp_path: Path) -> None:
    out = tmp_path / "report"
    with outlock.exclusive(out):
        (out / "report.json").write_text("{}")
        # flock belongs to an open file: a second open, even in this process, is refused.
        busy = rf"in use by another .*\(pid {os.getpid()}\)"
        with pytest.raises(BadInputError, match=busy), outlock.exclusive(out):
            pass
    assert [p.name for p in out.iterdir()] == ["report.json"]
    with outlock.exclusive(out):  # released: free again
        pass


def test_a_directory_made_for_nothing_is_removed(tmp_path: Path) -> None:
    out = tmp_path / "never-written"
    with pytest.raises(RuntimeError), outlock.exclusive(out):
        raise RuntimeError("the run stopped before writing")
    assert not out.exists()
    (tmp_path / "a-file").write_text("x")
    with (
        pytest.raises(BadInputError, match="cannot use --out"),
        outlock.exclusive(tmp_path / "a-file"),
    ):
        pass


def start(argv: list[str | Path], cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "refactor_check", *map(str, argv)],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )


def wait_for_holder(out: Path, process: subprocess.Popen[str]) -> int:
    """The pid in the lock file: written only once the lock is held."""
    lock = out / outlock.LOCK_NAME
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, "the first process ended before it was caught holding"
        try:
            text = lock.read_text()
        except OSError:
            text = ""
        if text.strip():
            return int(text)
        time.sleep(0.05)
    raise AssertionError("the first process never took the lock")


# A hang costs the stall limit, the time the first process holds the lock; the second must
# start and reach the lock within it. Two seconds were seen to be too few on a loaded
# 2-core machine (the second interpreter's start alone can take longer).
HOLDING_LIMITS = "\n[limits]\nstall_seconds = 15\nwall_seconds = 60\n"


@pytest.fixture
def slow_golden(toy_golden: Path) -> Path:
    """A golden repo on which the hanging candidate holds the lock for the stall limit."""
    with open(toy_golden / "exercise.toml", "a", encoding="utf-8") as handle:
        handle.write(HOLDING_LIMITS)
    return toy_golden


def hanging_candidate(root: Path) -> Path:
    source = (ATTACKS / "infinite_loop" / "toy.py").read_text(encoding="utf-8")
    return write_files(root, {"toy.py": source})


def test_two_runs_into_one_out(cli, tmp_path: Path, slow_golden: Path) -> None:
    candidate = hanging_candidate(tmp_path / "candidate")
    out = tmp_path / "report"
    argv: list[str | Path] = ["run", candidate, "--golden", slow_golden, "--out", out]
    first = start([*argv, "--no-mutation", "--no-differential"], tmp_path)
    holder = wait_for_holder(out, first)
    assert holder == first.pid
    second = cli(*argv, "--no-mutation", "--no-differential")
    assert_one_line_error(second, 2, f"--out {out} is in use by another refactor-check process")
    assert f"(pid {first.pid})" in second.stderr
    first.communicate(timeout=120)
    assert first.returncode == 1  # the hang is a behaviour change; the first run is unharmed
    assert not (out / outlock.LOCK_NAME).exists()
    assert (out / "report.json").is_file()


def test_two_batches_into_one_out(cli, tmp_path: Path, slow_golden: Path) -> None:
    subs = make_cohort(tmp_path / "cohort", ["clean", "hanging"])
    out = tmp_path / "out"
    argv: list[str | Path] = ["batch", subs, "--golden", slow_golden, "--out", out]
    fast = ["--no-mutation", "--no-differential", "--jobs", "2"]
    first = start([*argv, *fast], tmp_path)
    wait_for_holder(out, first)
    second = cli(*argv, *fast)
    assert_one_line_error(second, 2, "is in use by another refactor-check process")
    stdout, stderr = first.communicate(timeout=180)
    assert first.returncode == 0, stdout + stderr
    assert {r["candidate"]: r["verdict"] for r in read_csv(out)[1]} == {
        "clean": "preserved",
        "hanging": "changed",
    }
    assert not any(p.name == outlock.LOCK_NAME for p in out.rglob("*"))
    again = cli(*argv, *fast)  # free again: resumes the finished batch
    assert again.code == 0 and "0 to grade, 2 unchanged" in again.stdout
