"""The runner's limits, on real processes: every way a child can misbehave ends bounded."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from refactor_check import importable, isolation, sources, workspace
from refactor_check.dependencies import Dependencies
from refactor_check.errors import BadInputError, ToolFailure
from refactor_check.limits import Limits
from refactor_check.runner import Ending, Runner

from .conftest import write_files

FAST = Limits(wall_seconds=20, stall_seconds=None, memory_mb=512, output_mb=1)


@pytest.fixture(params=["none", "bwrap"])
def sandbox(request: pytest.FixtureRequest) -> isolation.Sandbox:
    try:
        return isolation.probe(request.param)
    except BadInputError as exc:  # no bwrap here; CI installs it, so CI runs both
        pytest.skip(str(exc))


@pytest.fixture
def run_script(tmp_path: Path, sandbox: isolation.Sandbox):
    """Run a little script through the runner in a fresh run directory."""
    write_files(tmp_path / "src", {"toy.py": "X = 1\n"})
    package = sources.load_package(tmp_path / "src", "toy")
    assert package is not None
    ws = workspace.prepare()

    def run(body: str, limits: Limits = FAST, runner: Runner | None = None):
        script = tmp_path / f"script{time.monotonic_ns()}.py"
        prelude = "import os, sys, time\nFD = int(sys.argv[sys.argv.index('--channel-fd') + 1])\n"
        script.write_text(prelude + textwrap.dedent(body))
        run_dir = ws.new_run("t", package, None)
        runner = runner or Runner(limits=limits, sandbox=sandbox)
        return runner.run_python(script, [], run_dir), run_dir

    yield run
    ws.close()


def test_environment_is_an_allow_list(run_script, monkeypatch) -> None:
    monkeypatch.setenv("SECRET_TOKEN", "hunter2")
    result, run_dir = run_script(
        """
        import json
        os.write(FD, (json.dumps(dict(os.environ)) + "\\n").encode())
        """
    )
    import json

    env = json.loads(result.messages[0])
    assert "SECRET_TOKEN" not in env and "hunter2" not in result.messages[0]
    assert env["HOME"] == str(run_dir.home) and env["TMPDIR"] == str(run_dir.tmp)
    assert env["PYTHONHASHSEED"] == "0"
    assert result.ending is Ending.EXITED and result.exit_code == 0


def test_a_run_imports_the_standard_library_and_what_it_is_given_only(run_script) -> None:
    # libcst, click and rich are installed beside refactor-check; a run must not see them, or
    # a candidate's code could work here and fail where they are missing.
    result, run_dir = run_script(
        """
        import importlib, json
        names = ["json", "decimal", "pytest", "hypothesis", "libcst", "click", "rich",
                 "refactor_check", "mutmut"]
        found = []
        for name in names:
            try:
                importlib.import_module(name)
                found.append(name)
            except ImportError:
                pass
        seen = [found, callable(exit), callable(quit), sys.argv[1:3], __name__]
        os.write(FD, (json.dumps(seen) + "\\n").encode())
        """
    )
    import json

    assert result.exit_code == 0, result.stderr_tail
    found, has_exit, has_quit, argv, name = json.loads(result.messages[0])
    assert found == ["json", "decimal", "pytest", "hypothesis"]
    # What site would have given any program is still there, and the script is __main__.
    assert has_exit and has_quit and name == "__main__" and argv[0] == "--channel-fd"
    # Nothing in the run directory leads into the grader's installation: code that rewrites
    # every file it can reach there (without bwrap) must not reach site-packages.
    assert not [p for p in run_dir.root.rglob("*") if p.is_symlink()]


def test_a_declared_distribution_is_importable_with_what_it_requires(
    run_script, sandbox: isolation.Sandbox
) -> None:
    # rich requires pygments and markdown-it-py: declaring rich brings them too.
    given = importable.for_tests(Dependencies(package=("rich",)))
    assert {"rich", "pygments", "markdown-it-py"} <= set(given.distributions)
    result, _run_dir = run_script(
        """
        import markdown_it, rich.text
        os.write(FD, b"imported\\n")
        """,
        runner=Runner(limits=FAST, sandbox=sandbox, importable=given),
    )
    assert result.messages == ("imported",), result.stderr_tail


def test_a_declared_distribution_that_is_not_installed_is_listed_as_missing() -> None:
    given = importable.for_tests(Dependencies(package=("refactor-check-nowhere-installed",)))
    assert given.missing == ("refactor-check-nowhere-installed",)
    assert "pytest" in given.distributions


def test_the_fixed_hash_seed_is_honoured(run_script, monkeypatch) -> None:
    # -I would imply -E and ignore PYTHONHASHSEED: each run would hash strings its own way.
    monkeypatch.setenv("PYTHONHASHSEED", "123")  # the parent's own seed must not leak in
    seen = set()
    for _ in range(2):
        result, _run_dir = run_script(
            """
            import json
            f = sys.flags
            seen = [hash("refactor"), f.hash_randomization, f.no_user_site, f.ignore_environment]
            os.write(FD, (json.dumps(seen) + "\\n").encode())
            """
        )
        seen.add(result.messages[0])
    expected = subprocess.run(
        [sys.executable, "-c", "print(hash('refactor'))"],
        env={**os.environ, "PYTHONHASHSEED": "0"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert seen == {f"[{expected}, 0, 1, 0]"}


def test_limits_that_cannot_be_set_are_the_tools_failure_not_the_runs(run_script) -> None:
    # The launcher sets the limits before the run's command starts; when it cannot, the run
    # never starts, and nothing of it can be held against the code under test.
    impossible = Limits(wall_seconds=20, stall_seconds=None, open_files=2**40)
    with pytest.raises(ToolFailure, match="could not start a run under its limits: ValueError"):
        run_script("os.write(FD, b'started\\n')\n", impossible)


def test_wall_clock_limit_kills_a_sleeper(run_script) -> None:
    started = time.monotonic()
    result, _ = run_script("time.sleep(600)\n", Limits(wall_seconds=1.5, stall_seconds=None))
    assert result.ending is Ending.TIMEOUT
    assert time.monotonic() - started < 10


def test_stall_limit_needs_messages_to_keep_coming(run_script) -> None:
    result, _ = run_script(
        "os.write(FD, b'one\\n')\ntime.sleep(600)\n",
        Limits(wall_seconds=60, stall_seconds=1.0),
    )
    assert result.ending is Ending.STALLED
    assert result.messages == ("one",)


def test_output_flood_is_cut_off(run_script) -> None:
    result, run_dir = run_script("while True:\n    sys.stdout.write('x' * 65536)\n")
    assert result.ending is Ending.OUTPUT_LIMIT
    assert run_dir.stdout.stat().st_size <= 1024 * 1024
    assert len(result.stdout_tail) <= 64 * 1024


def test_memory_limit_stops_a_hog(run_script) -> None:
    result, _ = run_script("hog = bytearray(4 * 1024 ** 3)\n")
    assert result.ending is Ending.EXITED and result.exit_code != 0
    assert "MemoryError" in result.stderr_tail


def test_stragglers_in_the_process_group_are_killed(
    run_script, tmp_path: Path, sandbox: isolation.Sandbox
) -> None:
    if sandbox.bwrap:
        pytest.skip("pids inside bwrap's pid namespace are not the host's (see test_attacks)")
    pid_file = tmp_path / "grandchild.pid"
    result, _ = run_script(
        f"""
        import subprocess
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
        open({str(pid_file)!r}, "w").write(str(child.pid))
        """
    )
    assert result.ending is Ending.EXITED
    pid = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.05)
    assert not _alive(pid)


def test_partial_last_line_is_not_a_message(run_script) -> None:
    result, _ = run_script("os.write(FD, b'whole\\npartial')\n")
    assert result.messages == ("whole",)


def test_bwrap_hides_data_and_cuts_the_network(run_script, sandbox, tmp_path: Path) -> None:
    if not sandbox.bwrap:
        pytest.skip("bwrap only")
    import socket

    secret = write_files(tmp_path / "secret", {"key.txt": "s3cret"})
    listener = socket.create_server(("127.0.0.1", 0))  # reachable from the host, not the sandbox
    port = listener.getsockname()[1]
    result, run_dir = run_script(
        f"""
        import socket
        seen = os.path.exists({str(secret / "key.txt")!r})
        try:
            socket.create_connection(("127.0.0.1", {port}), timeout=1)
            net = "open"
        except OSError as exc:
            net = type(exc).__name__
        try:
            open("planted.txt", "w")
            writable = True
        except OSError:
            writable = False
        os.write(FD, f"{{seen}} {{net}} {{writable}}\\n".encode())
        """
    )
    listener.close()
    seen, net, writable = result.messages[0].split()
    assert (seen, writable) == ("False", "False")
    assert net != "open"
    assert not (run_dir.root / "planted.txt").exists()


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split(") ")[1][0] != "Z"
    except FileNotFoundError:
        return False
