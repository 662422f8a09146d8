"""Test every mutant of a ``mutmut run`` directory from one pytest session.

Usage: python mutant_batch.py [--workers N] [--keys FILE]
(in the run's root, after mutmut generated the mutants and collected its stats into
``mutants/``; ``--keys`` names the only mutants to test, one per line)

mutmut 3.8 forks a child per mutant and has it call ``pytest.main`` on the mutant's tests:
each child parses the configuration, loads the plugins and collects the test files again,
about 0.1-0.3 s of CPU per mutant, where the tests of a small exercise take a few
milliseconds. Here the tests are collected once; each mutant's child is forked from the
collected session and runs only the items that cover the mutant (mutmut's own stats say
which), stopping at the first failure, as mutmut's ``-x`` does. Everything else is mutmut's:
its mutants, its trampolines (which read the mutant to run from the process), its per-mutant
CPU and wall limits (the same formulas, from the same ``[mutmut]`` settings), its exit codes,
and its ``.meta`` files, which this script fills in as mutmut would. So the results read back
exactly as a mutmut run's.

The tests a mutant runs start with those that killed another mutant of the same function
(most recent first), then the fastest: a mutant is usually killed by its first test. The
order changes how long a mutant takes, not whether it is killed, unless tests depend on
each other's order (and they run one by one in a fresh fork, as under mutmut).

This runs inside the sandbox, next to the candidate's tests, so everything it writes is a
claim: the parent reads it as it reads mutmut's own files.
"""

from __future__ import annotations

import configparser
import contextlib
import gc
import json
import math
import os
import resource
import select
import signal
import sys
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: pytest is imported once the paths are set
    import pytest

# mutmut 3.8's exit codes: what a mutant without covering tests and a failed setup get.
_NO_TESTS = 33
# How often the .meta files are written while the run goes on (for the progress display).
_SAVE_EVERY = 0.5


def _settings(path: str) -> configparser.SectionProxy:
    parser = configparser.ConfigParser()
    parser.read(path, encoding="utf-8")
    if not parser.has_section("mutmut"):
        raise SystemExit("mutant_batch: setup.cfg has no [mutmut] section")
    return parser["mutmut"]


def _listed(section: configparser.SectionProxy, key: str) -> list[str]:
    return [line.strip() for line in section.get(key, "").splitlines() if line.strip()]


class _Metas:
    """The run's ``.meta`` files (mutmut's per-file results), filled in as mutants end."""

    def __init__(self, root: str) -> None:
        self.files: dict[str, dict[str, object]] = {}
        self.owner: dict[str, str] = {}
        for folder, _dirs, names in os.walk(root):
            for name in sorted(names):
                if name.endswith(".py.meta"):
                    path = os.path.join(folder, name)
                    with open(path, encoding="utf-8") as handle:
                        data = json.load(handle)
                    self.files[path] = data
                    for key in data.get("exit_code_by_key", {}):
                        self.owner[key] = path
        self.dirty: set[str] = set()
        self.saved = time.monotonic()

    def unchecked(self) -> list[str]:
        return sorted(key for key, path in self.owner.items() if self._codes(path).get(key) is None)

    def _codes(self, path: str) -> dict[str, object]:
        codes = self.files[path].setdefault("exit_code_by_key", {})
        assert isinstance(codes, dict)
        return codes

    def record(self, key: str, code: int, seconds: float) -> None:
        path = self.owner[key]
        self._codes(path)[key] = code
        durations = self.files[path].setdefault("durations_by_key", {})
        assert isinstance(durations, dict)
        durations[key] = round(seconds, 6)
        self.dirty.add(path)
        if time.monotonic() - self.saved >= _SAVE_EVERY:
            self.save()

    def save(self) -> None:
        for path in sorted(self.dirty):
            partial = path + ".partial"
            with open(partial, "w", encoding="utf-8") as handle:
                json.dump(self.files[path], handle)
            os.replace(partial, path)  # a reader sees the old file or the new one, whole
        self.dirty.clear()
        self.saved = time.monotonic()


class _Child:
    def __init__(
        self, key: str, tests: list[str], pid: int, pidfd: int | None, report: int, wall: float
    ) -> None:
        self.key = key
        self.tests = tests  # the ids it runs, in its order: its report names one by index
        self.pid = pid
        self.pidfd = pidfd
        self.report = report  # read end of the pipe the child names its killing test on
        self.started = time.monotonic()
        self.deadline = self.started + wall
        self.signalled = False


class _Batch:
    """A pytest plugin that replaces the test loop with one forked child per mutant."""

    def __init__(self, metas: _Metas, stats: dict[str, object], keys: list[str]) -> None:
        self.metas = metas
        self.keys = keys
        tests = stats.get("tests_by_mangled_function_name", {})
        self.tests_by_function: dict[str, list[str]] = tests if isinstance(tests, dict) else {}
        durations = stats.get("duration_by_test", {})
        self.duration: dict[str, float] = durations if isinstance(durations, dict) else {}
        self.killers: dict[str, list[str]] = {}
        self.exit_code = 0

    # Settings mutmut's children get from setup.cfg's [mutmut] section.
    workers = 1
    timeout_multiplier = 15.0
    timeout_constant = 1.0

    @staticmethod
    def function_of(key: str) -> str:
        return key.replace("__init__.", "").partition("__mutmut_")[0]

    def tests_for(self, key: str) -> list[str]:
        function = self.function_of(key)
        covering = set(self.tests_by_function.get(function, ()))
        fastest = sorted(covering, key=lambda t: (self.duration.get(t, 0.0), t))
        first = [t for t in self.killers.get(function, ()) if t in covering]
        return first + [t for t in fastest if t not in first]

    def estimated(self, tests: list[str]) -> float:
        return sum(self.duration.get(t, 0.0) for t in tests)

    @staticmethod
    def run_items(items: list[pytest.Item]) -> int | None:
        """Run ``items`` in order, stopping at the first failure; its index, or None."""
        from _pytest.runner import runtestprotocol

        for index, item in enumerate(items):
            following = items[index + 1] if index + 1 < len(items) else None
            reports = runtestprotocol(item, nextitem=following, log=False)
            # The child exits right after a failure: what the failed test set up for the
            # next one is not torn down (the verdict on the mutant is already in).
            if any(report.failed for report in reports):
                return index
        return None

    def fork(self, key: str, items: list[pytest.Item], cpu_limit: int | None) -> tuple[int, int]:
        """Start ``key``'s child; its pid and the read end of its report pipe."""
        from mutmut.mutation.trampoline import set_mutant_under_test

        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid:
            os.close(write_end)
            return pid, read_end
        os.close(read_end)
        code = 2
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            set_mutant_under_test(key)
            if cpu_limit is not None:
                _limit_cpu(cpu_limit + int(time.process_time()))
            failed = self.run_items(items)
            if failed is not None:
                os.write(write_end, f"{failed}\n".encode())
            code = 0 if failed is None else 1
        except BaseException:  # anything escaping the tests ends the child: suspicious
            code = 2
        os._exit(code)

    def pytest_runtestloop(self, session: pytest.Session) -> bool:
        if session.testsfailed and not session.config.option.continue_on_collection_errors:
            raise session.Interrupted(f"{session.testsfailed} errors during collection")
        by_id = {item.nodeid: item for item in session.items}
        gc.freeze()  # children share the parent's heap untouched (copy-on-write)
        if not self.forced_fail(list(by_id.values())):
            print("FAILED: Unable to force test failures", flush=True)
            self.exit_code = 1
            return True
        self.run_all(by_id)
        self.metas.save()
        return True

    def forced_fail(self, items: list[pytest.Item]) -> bool:
        """Whether the tests fail when every mutated function raises (mutmut's check that
        the tests reach the mutated code at all)."""
        if not items:
            return False
        pid, report = self.fork("fail", items, cpu_limit=None)  # mutmut sets none either
        os.close(report)
        _pid, status = os.waitpid(pid, 0)
        return os.waitstatus_to_exitcode(status) != 0

    def run_all(self, by_id: dict[str, pytest.Item]) -> None:
        pending = sorted(self.keys, key=lambda k: (self.estimated(self.tests_for(k)), k))
        running: dict[int, _Child] = {}
        while pending or running:
            while pending and len(running) < self.workers:
                key = pending.pop(0)
                tests = [t for t in self.tests_for(key) if t in by_id]
                if not tests:
                    self.metas.record(key, _NO_TESTS, 0.0)
                    continue
                base = (self.estimated(tests) + self.timeout_constant) * self.timeout_multiplier
                items = [by_id[t] for t in tests]
                pid, report = self.fork(key, items, cpu_limit=math.ceil(base * 2))
                running[pid] = _Child(key, tests, pid, _pidfd(pid), report, wall=base)
            if running:
                self.reap(running)

    def reap(self, running: dict[int, _Child]) -> None:
        """Wait until a child ends or a wall limit passes; record each child that ended."""
        now = time.monotonic()
        for child in running.values():
            if now >= child.deadline and not child.signalled:
                _signal(child.pid, signal.SIGXCPU)  # as mutmut's watchdog does
                child.signalled = True
            elif now >= child.deadline + 1:
                _signal(child.pid, signal.SIGKILL)
        wake = min(c.deadline + (1 if c.signalled else 0) for c in running.values())
        fds = [c.pidfd for c in running.values() if c.pidfd is not None]
        timeout = max(0.0, wake - time.monotonic())
        if fds and len(fds) == len(running):
            select.select(fds, [], [], timeout)
        else:
            time.sleep(min(timeout, 0.005))
        for pid, child in list(running.items()):
            ended, status = os.waitpid(pid, os.WNOHANG)
            if not ended:
                continue
            del running[pid]
            code = os.waitstatus_to_exitcode(status)
            self.learn(child, code)
            if child.pidfd is not None:
                os.close(child.pidfd)
            os.close(child.report)
            self.metas.record(child.key, code, time.monotonic() - child.started)

    def learn(self, child: _Child, code: int) -> None:
        """Put the test that killed ``child``'s mutant first for its function's next ones.

        The index is into the tests the child was given: other children may have changed
        the function's order since it started."""
        if code != 1:
            return
        try:
            said = os.read(child.report, 64).decode("ascii", "replace").strip()
        except OSError:
            return
        if not said.isdigit() or int(said) >= len(child.tests):
            return
        killer = child.tests[int(said)]
        function = self.function_of(child.key)
        known = self.killers.setdefault(function, [])
        if killer in known:
            known.remove(killer)
        known.insert(0, killer)


def _limit_cpu(seconds: int) -> None:
    """SIGXCPU after ``seconds`` of CPU, SIGKILL a second later (mutmut's limits), within
    the hard limit the sandbox set for the whole run."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard != resource.RLIM_INFINITY:
        seconds = max(1, min(seconds, hard - 1))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))


def _pidfd(pid: int) -> int | None:
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):
        return None  # an older kernel: reap() polls instead


def _signal(pid: int, number: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, number)


def main() -> None:
    argv = sys.argv[1:]
    if len(argv) % 2:
        raise SystemExit(f"mutant_batch: unexpected arguments {argv!r}")
    options = dict(zip(argv[::2], argv[1::2], strict=True))
    if not set(options) <= {"--workers", "--keys"}:
        raise SystemExit(f"mutant_batch: unexpected arguments {argv!r}")
    root = os.getcwd()
    keys_file = os.path.join(root, options["--keys"]) if "--keys" in options else None
    settings = _settings(os.path.join(root, "setup.cfg"))
    mutants = os.path.join(root, "mutants")
    os.chdir(mutants)
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") not in (here, root)]
    sys.path.insert(0, mutants)
    with open("mutmut-stats.json", encoding="utf-8") as handle:
        stats = json.load(handle)
    metas = _Metas(mutants)
    if keys_file is not None:
        with open(keys_file, encoding="utf-8") as handle:
            wanted = {line.strip() for line in handle if line.strip()}
        keys = sorted(k for k in metas.unchecked() if k in wanted)
    else:
        keys = metas.unchecked()
    batch = _Batch(metas, stats, keys)
    batch.workers = max(1, int(options.get("--workers", "1")))
    batch.timeout_multiplier = float(settings.get("timeout_multiplier", "15.0"))
    batch.timeout_constant = float(settings.get("timeout_constant", "1.0"))
    import pytest

    args = ["--rootdir=.", "--tb=native", "-q", "-p", "no:randomly", "-p", "no:random-order"]
    args += _listed(settings, "pytest_add_cli_args")
    args += _listed(settings, "pytest_add_cli_args_test_selection")
    code = pytest.main(args, plugins=[batch])
    metas.save()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(batch.exit_code or (0 if code in (0, 5) else int(code)))


if __name__ == "__main__":
    main()
