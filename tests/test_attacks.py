"""The attack suite: hostile submissions, each a real candidate directory graded through the
CLI against a real golden repo, once under bwrap and once with bwrap disabled.

For every attack: the verdict is never "preserved", the tool finishes within its limits plus
10 s, the submission and every file outside the workspace are byte-identical afterwards, and
the report names what happened.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from refactor_check import isolation

from .conftest import TOY_GOLDEN, snapshot, write_files

ATTACKS = Path(__file__).resolve().parent / "attacks"
WALL_SECONDS = 40
LIMITS = f"[limits]\nwall_seconds = {WALL_SECONDS}\nstall_seconds = 3\nmemory_mb = 768\n"

# attack -> finding kinds of which the report must name at least one
EXPECTED: dict[str, set[str]] = {
    "conftest_rewrites_reports": {"golden_test_failed"},
    "conftest_in_package": {"integrity"},
    "sys_exit_at_import": {"integrity"},
    "os_exit_at_import": {"integrity"},
    "detects_test_run": {"integrity"},
    "reads_golden_tests": {"integrity"},
    "infinite_loop": {"golden_test_timeout"},
    # The memory limit ends it; on a busy machine the stall limit (no test finished for 3 s)
    # may end it first, as a hang: either way a finding, never a pass.
    "unbounded_memory": {"golden_test_failed", "run_aborted", "golden_test_timeout"},
    "fork_bomb": {"integrity"},
    "syntax_error": {"syntax_error"},
    "vandalises_parents": {"golden_test_failed", "results_inconsistent"},
    "vandalises_submission_via_proc": {"golden_test_failed"},
    "patches_test_machinery": {"integrity"},
    "writes_own_submission": {"golden_test_failed"},
    "connects_out": {"integrity"},
    "floods_stdout": {"output_limit", "run_aborted"},
    "closes_channel": {"run_aborted"},
    "daemon_escapes": {"integrity"},
    # Reaching the process that hosts the code, however it is spelled.
    "reaches_worker_main": {"integrity"},
    "vars_sys_reach": {"integrity"},
    "builds_attribute_name": {"integrity"},
    "exec_split_source": {"integrity"},
    "walks_subclasses": {"integrity"},
    "frame_via_traceback": {"integrity"},
    # Telling a comparison from a test run, or acting after the call returned.
    "detects_fork_pid": {"integrity"},
    "thread_edits_result": {"integrity"},
    # Telling inspect a signature the function does not have.
    "forges_signature": {"integrity"},
    # Behaving only while the process is young: found by the long program alone.
    "counts_calls": {"differential_mismatch"},
    # Feeding the profiler that traces a counterexample's call (shown, never judged).
    "forges_call_path": {"differential_mismatch"},
}
# Besides the kinds above, what each attack's report must show of its run.
MUST_ALSO = {
    "conftest_in_package": lambda r: _golden_failed(r),
    "sys_exit_at_import": lambda r: _golden_failed(r),
    "os_exit_at_import": lambda r: _kinds(r) & {"run_aborted"},
    "fork_bomb": lambda r: _kinds(r) & {"run_aborted", "golden_test_timeout"},
    # It does fool the golden test of the error path; the integrity scan is what catches it.
    "patches_test_machinery": lambda r: "test_machinery" in _rules(r),
    "detects_test_run": lambda r: {"detects_test_run", "touches_sys_modules"} <= _rules(r),
    "reads_golden_tests": lambda r: "targets_runner" in _rules(r),
    "connects_out": lambda r: "spawns_or_connects" in _rules(r),
    "closes_channel": lambda r: "raw_descriptors" in _rules(r),
    "daemon_escapes": lambda r: "spawns_or_connects" in _rules(r),
    "conftest_rewrites_reports": lambda r: "test_price[10-1.0-9.0]" in _failed_tests(r),
    "floods_stdout": lambda r: "output" in " ".join(f["message"] for f in r["findings"]),
    "reaches_worker_main": lambda r: "undeclared_import" in _rules(r),
    # The golden run's reports may be forged; the replayed recording is a second path.
    "vars_sys_reach": lambda r: (
        {"capability_import", "dynamic_code"} <= _rules(r) and "differential_mismatch" in _kinds(r)
    ),
    "builds_attribute_name": lambda r: "builds_attribute_name" in _rules(r),
    "exec_split_source": lambda r: "dynamic_code" in _rules(r),
    "walks_subclasses": lambda r: "reaches_into" in _rules(r),
    "frame_via_traceback": lambda r: "inspects_frames" in _rules(r),
    "detects_fork_pid": lambda r: "capability_import" in _rules(r),
    "thread_edits_result": lambda r: "capability_import" in _rules(r),
    "forges_signature": lambda r: "forges_metadata" in _rules(r),
    "counts_calls": lambda r: any(
        "in one process" in c["origin"] for c in r["differential"]["counterexamples"]
    ),
    # Only functions of the package, where the source has them, are named.
    "forges_call_path": lambda r: (
        [c["path_candidate"] for c in r["differential"]["counterexamples"]]
        == [["toy.price", "toy._feed"]]
    ),
}
# Attacks on the behaviour verdict alone: mutation testing adds nothing to what they show.
NO_MUTATION = frozenset(
    {
        "reaches_worker_main",
        "vars_sys_reach",
        "builds_attribute_name",
        "exec_split_source",
        "walks_subclasses",
        "frame_via_traceback",
        "detects_fork_pid",
        "thread_edits_result",
        "forges_signature",
        "counts_calls",
        "forges_call_path",
    }
)


def _kinds(report: dict) -> set[str]:
    return {f["kind"] for f in report["findings"]}


def _rules(report: dict) -> set[str]:
    return {f.get("rule") for f in report["findings"]} - {None}


def _failed_tests(report: dict) -> set[str]:
    return {
        t["id"].split("::")[-1] for t in report["golden"]["tests"] if t["outcome"] != t["expected"]
    }


def _golden_failed(report: dict) -> bool:
    return bool(report["golden"] is None or _failed_tests(report))


def test_every_attack_directory_is_in_the_table() -> None:
    assert sorted(p.name for p in ATTACKS.iterdir() if p.is_dir()) == sorted(EXPECTED)


@pytest.fixture(scope="module")
def _attack_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("attack-cache")


@pytest.fixture(autouse=True)
def _isolated_cache(_attack_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One cache for the module (overriding conftest's per-test one): the golden baselines of
    the shared golden repo are computed once, so each attack pays only for its own runs."""
    monkeypatch.setenv("REFACTOR_CHECK_CACHE", str(_attack_cache))


@pytest.fixture(params=["bwrap", "none"])
def sandbox(request: pytest.FixtureRequest) -> isolation.Sandbox:
    mode = request.param
    try:
        return isolation.probe(mode)
    except Exception as exc:  # bwrap missing here: the CI installs it, so CI runs both
        pytest.skip(f"bwrap unavailable: {exc}")


@pytest.mark.parametrize("attack", sorted(EXPECTED))
def test_attack(attack: str, sandbox: isolation.Sandbox, tmp_path: Path, cli) -> None:
    mode = sandbox.isolation.mode
    if attack == "fork_bomb" and sandbox.isolation.process_limit == "none":
        pytest.skip("no process cap on this host: a fork bomb is never run unbounded")
    if (
        attack == "daemon_escapes"
        and mode != "bwrap"
        and sandbox.isolation.process_limit != "cgroup"
    ):
        pytest.skip("without bwrap or a pids cgroup an escaped daemon cannot be reaped")
    if attack == "vandalises_submission_via_proc" and mode != "bwrap":
        pytest.skip("without bwrap, same-user code can reach the grader's files (documented)")

    golden = Path(shutil.copytree(TOY_GOLDEN, tmp_path / "golden"))
    (golden / "exercise.toml").write_text((golden / "exercise.toml").read_text() + LIMITS)
    # A disposable tree: canaries in every directory above the submission.
    tree = tmp_path / "tree"
    submission = Path(shutil.copytree(ATTACKS / attack, tree / "a" / "b" / "submission"))
    for directory in (tree, tree / "a", tree / "a" / "b"):
        write_files(directory, {"canary.txt": f"canary in {directory.name}\n"})

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    listener = _Listener() if attack == "connects_out" else None
    if listener is not None:
        module = submission / "toy.py"
        module.write_text(module.read_text().replace("ATTACK_PORT", str(listener.port)))
    before = snapshot(tree)
    golden_before = snapshot(golden)

    started = time.monotonic()
    result = cli(
        "run",
        submission,
        "--golden",
        golden,
        "--sandbox",
        "bwrap" if mode == "bwrap" else "none",
        *(["--no-mutation"] if attack in NO_MUTATION else []),
        # The workspace goes under this test's tmp_path, so its processes can be told apart
        # from any other refactor-check run on the machine.
        env={"ATTACK_SECRET": "hunter2", "TMPDIR": str(scratch)},
    )
    elapsed = time.monotonic() - started

    assert result.code == 1, result.stdout + result.stderr
    report = result.report
    assert report["verdict"] == "changed"
    assert report["isolation"]["mode"] == mode
    assert _kinds(report) & EXPECTED[attack], report["findings"]
    if attack in MUST_ALSO:
        assert MUST_ALSO[attack](report), report["findings"]
    # Never a hang: every process of the run is cut by a ceiling. A bound, not a speed test
    # (the suite runs two test processes, and a busy machine stretches every stage).
    assert elapsed < 4 * WALL_SECONDS + 60
    assert snapshot(tree) == before
    assert snapshot(golden) == golden_before
    assert not _survivors(scratch), "a process of the run outlived it"
    if listener is not None:
        received = listener.close()
        assert b"hunter2" not in received
        if mode == "bwrap":
            assert received == b"", "the sandbox let a connection out"


def _survivors(scratch: Path) -> list[int]:
    """Processes whose environment says they belong to a run directory under ``scratch``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if str(scratch).encode() in environ and b"/runs/" in environ:
            found.append(int(entry.name))
    return found


class _Listener:
    """A loopback server that records whatever a connection sends it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.data = bytearray()
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(2)
                while chunk := _recv(conn):
                    self.data.extend(chunk)

    def close(self) -> bytes:
        self._stop.set()
        self.thread.join(timeout=5)
        self.sock.close()
        return bytes(self.data)


def _recv(conn: socket.socket) -> bytes:
    try:
        return conn.recv(65536)
    except OSError:
        return b""
