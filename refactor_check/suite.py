"""Run a pytest suite on untrusted code and account for every test.

One call may start several processes: when a test hangs or the process dies in the middle,
the test in progress is charged with it and the rest of the suite is run again without the
tests already accounted for. Every test of the expected set ends with an outcome; one that
never ran is ``not_run``, never a pass.

Three channels report on each process, and each can be forged from inside it: the JSON lines
streamed over the inherited pipe, pytest's JUnit XML, and the exit status. They must agree;
a disagreement is recorded in ``inconsistencies`` (a tampered run, since honest pytest never
disagrees with itself).
"""

from __future__ import annotations

import json
import re
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from .limits import Limits
from .runner import Ending, Runner, RunResult
from .sandbox import PYTEST_ENTRY
from .sources import PackageSource
from .workspace import RunDir, Workspace

# Restarts after a hang or crash are bounded; each must account for at least one more test.
MAX_PROCESSES = 8
_MAX_JUNIT_BYTES = 16 * 1024 * 1024
_MAX_EVIDENCE = 4000
_CONTROL = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|[\x00-\x08\x0b-\x1f\x7f]")

# Outcomes a test can end with. The first five are pytest's own; the rest are the parent's.
PASSED, FAILED, ERROR, SKIPPED, XFAILED, XPASSED = (
    "passed",
    "failed",
    "error",
    "skipped",
    "xfailed",
    "xpassed",
)
TIMEOUT = "timeout"  # the test was running when a time limit was hit
CRASHED = "crashed"  # the test was running when the process died
COLLECT_ERROR = "collect_error"  # its test file failed to import (often: the package did)
NOT_RUN = "not_run"  # no result ever came back for it


@dataclass(frozen=True)
class TestResult:
    id: str
    outcome: str
    message: str | None = None  # pytest's one-line crash message (e.g. the assertion)
    evidence: str | None = None  # pytest's report text, paths made relative to the run


@dataclass(frozen=True)
class SuiteOutcome:
    tests: tuple[TestResult, ...]  # in the expected order
    processes: int
    aborts: tuple[str, ...] = ()  # why processes ended early, one line each
    # Files (or classes) that failed to collect, so none of their tests is in ``tests``:
    # only possible when the test ids were not known beforehand.
    uncollected: tuple[str, ...] = ()
    # For each of those, "<node>: <the error pytest gave>" (an import error, most often).
    collect_problems: tuple[str, ...] = ()
    inconsistencies: tuple[str, ...] = ()
    isolation: str = ""
    duration: float = 0.0

    def by_id(self) -> dict[str, TestResult]:
        return {t.id: t for t in self.tests}

    @property
    def passing(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.tests if t.outcome == PASSED)

    @property
    def not_passing(self) -> tuple[str, ...]:
        """The tests that did not pass, and the files that did not even collect, whole."""
        return tuple(t.id for t in self.tests if t.outcome != PASSED) + self.uncollected


@dataclass
class _Events:
    """What one process claimed over the channel, after validation."""

    collected: list[str] | None = None
    started: list[str] = field(default_factory=list)
    reports: dict[str, list[dict[str, object]]] = field(default_factory=dict)
    collect_errors: dict[str, str] = field(default_factory=dict)
    finish_status: int | None = None
    exit_code: int | None = None
    malformed: int = 0


def pytest_args(run: RunDir, deselect: Iterable[str]) -> list[str]:
    """The pytest command line: our ini, our rootdir, no conftest above the tests, no cache."""
    args = [
        "-c",
        str(run.ini),
        "--rootdir",
        str(run.root),
        "--confcutdir",
        str(run.tests),
        "-p",
        "no:cacheprovider",
        "-p",
        "no:stepwise",
        # One broken test file must not hide the results of the others.
        "--continue-on-collection-errors",
        "-q",
        "--tb=short",
        "-rN",
        "-o",
        "junit_family=xunit2",
    ]
    for test_id in deselect:
        args += ["--deselect", test_id]
    args.append(str(run.tests.relative_to(run.root)))
    return args


def run_suite(
    runner: Runner,
    workspace: Workspace,
    package: PackageSource,
    tests: Path,
    label: str,
    expected: Sequence[str] | None = None,
    limits: Limits | None = None,
    leave_out: frozenset[str] = frozenset(),
) -> SuiteOutcome:
    """Run ``tests`` (but for the files ``leave_out`` names) against ``package``;
    ``expected`` is the set every test must come from.

    With ``expected`` None (a trusted baseline run), the first process's collection decides.
    """
    limits = limits or runner.limits
    started = time.monotonic()
    deadline = started + limits.wall_seconds
    results: dict[str, TestResult] = {}
    aborts: list[str] = []
    inconsistencies: list[str] = []
    order: list[str] = list(expected) if expected is not None else []
    processes = 0
    collect_errors: dict[str, str] = {}
    isolation = runner.isolation.mode
    while processes < MAX_PROCESSES:
        remaining = deadline - time.monotonic()
        if remaining < 1.0:
            aborts.append(f"the time limit of {limits.wall_seconds:g} s for the suite ran out")
            break
        run = workspace.new_run(label, package, tests, leave_out)
        result = runner.run_python(
            PYTEST_ENTRY,
            ["--sys-path", str(run.packages), "--", *pytest_args(run, results)],
            run,
            limits=replace(limits, wall_seconds=remaining),
            outputs=[run.junit],
        )
        processes += 1
        isolation = result.isolation
        events = _parse(result.messages)
        collect_errors.update(events.collect_errors)
        if expected is None and not order and events.collected is not None:
            order = list(events.collected)
        known = set(order)
        before = len(results)
        for test_id, test_result in _finished(events, run).items():
            if test_id in known and test_id not in results:
                results[test_id] = test_result
        for test_id in _pending(order, results):
            error = _collect_error_for(test_id, events.collect_errors)
            if error is not None:
                results[test_id] = TestResult(
                    test_id, COLLECT_ERROR, _first_line(error), _clean(error, run)
                )
        reason = _abort_reason(result, events, limits)
        in_progress = _in_progress(events, results, known)
        if reason is not None:
            aborts.append(reason)
            if in_progress is not None:
                outcome = TIMEOUT if result.ending in (Ending.TIMEOUT, Ending.STALLED) else CRASHED
                results[in_progress] = TestResult(
                    in_progress, outcome, reason, _clean(result.stderr_tail[-_MAX_EVIDENCE:], run)
                )
        else:
            inconsistencies += _cross_check(result, events, run, results)
            break  # the suite ran to its end: whatever is still pending was never run
        if not _pending(order, results) or len(results) == before:
            break  # everything accounted for, or no progress: another process would not help

    why = aborts[-1] if aborts else "pytest finished without running it"
    outcomes = tuple(results.get(t) or TestResult(t, NOT_RUN, why) for t in order)
    if processes and events.malformed:
        inconsistencies.append(f"the result channel carried {events.malformed} malformed messages")
    uncollected = tuple(sorted(n for n in collect_errors if not any(_belongs(t, n) for t in order)))
    return SuiteOutcome(
        tests=outcomes,
        processes=processes,
        aborts=tuple(aborts),
        uncollected=uncollected,
        collect_problems=tuple(f"{n}: {_first_line(collect_errors[n])}" for n in uncollected),
        inconsistencies=tuple(dict.fromkeys(inconsistencies)),
        isolation=isolation,
        duration=time.monotonic() - started,
    )


def golden_nothing_collected(outcome: SuiteOutcome) -> str:
    """Why the golden suite collected no tests, in one line: the import error pytest gave, and
    what the exercise's author does about it (golden test files must import on the original)."""
    if outcome.collect_problems:
        return (
            f"{'; '.join(outcome.collect_problems)}: the golden tests must import on the "
            "original; a helper module they need belongs in tests/, a distribution in "
            "[candidate] test_dependencies"
        )
    return "; ".join(outcome.aborts) or "pytest collected nothing"


def _pending(order: Sequence[str], results: dict[str, TestResult]) -> list[str]:
    return [t for t in order if t not in results]


def _abort_reason(result: RunResult, events: _Events, limits: Limits) -> str | None:
    """Why the process did not run pytest to its end, or None when it did."""
    if result.ending is Ending.TIMEOUT:
        return f"the run hit its wall-clock limit ({limits.wall_seconds:g} s) and was killed"
    if result.ending is Ending.STALLED:
        return (
            f"no test finished for {limits.stall_seconds:g} s (a hang, or an endless loop); "
            "the process was killed"
        )
    if result.ending is Ending.OUTPUT_LIMIT:
        return f"the process wrote more than {limits.output_mb} MiB of output and was stopped"
    if result.ending is Ending.CHANNEL_FLOOD:
        return "the process flooded the result channel and was killed"
    if result.signal is not None:
        return f"the process was killed by signal {result.signal}" + _memory_hint(result)
    if events.finish_status is None:
        return (
            f"the process exited with code {result.exit_code} before pytest finished"
            + _memory_hint(result)
        )
    return None


def _memory_hint(result: RunResult) -> str:
    if "MemoryError" in result.stderr_tail:
        return " (MemoryError: it hit the memory limit)"
    return ""


def _in_progress(events: _Events, results: dict[str, TestResult], known: set[str]) -> str | None:
    for test_id in reversed(events.started):
        if test_id in known and test_id not in results:
            return test_id
    return None


def failed_ids(lines: Sequence[str]) -> tuple[str, ...]:
    """The tests a pytest run's channel says failed (in any phase), sorted; malformed
    messages are dropped. For callers that can only be made stricter by the answer."""
    reports = _parse(lines).reports
    return tuple(
        sorted(i for i, rs in reports.items() if any(r["outcome"] == "failed" for r in rs))
    )


def _parse(lines: Sequence[str]) -> _Events:
    """Validate every message's shape; anything else is counted as malformed, not trusted."""
    events = _Events()
    for line in lines:
        try:
            message = json.loads(line)
        except ValueError:
            events.malformed += 1
            continue
        if not isinstance(message, dict) or not _valid(message):
            events.malformed += 1
            continue
        kind = message["event"]
        if kind == "collected":
            events.collected = list(message["ids"])
        elif kind == "start":
            events.started.append(message["id"])
        elif kind == "report":
            events.reports.setdefault(message["id"], []).append(message)
        elif kind == "collect_error":
            events.collect_errors[message["id"]] = message["longrepr"]
        elif kind == "finish":
            events.finish_status = message["exitstatus"]
        elif kind == "exit":
            events.exit_code = message["code"]
    return events


def _valid(message: dict[str, object]) -> bool:
    kind = message.get("event")
    if kind == "collected":
        ids = message.get("ids")
        return isinstance(ids, list) and all(isinstance(i, str) for i in ids)
    if kind in ("start", "collect_error"):
        return isinstance(message.get("id"), str) and (
            kind == "start" or isinstance(message.get("longrepr"), str)
        )
    if kind == "report":
        return (
            isinstance(message.get("id"), str)
            and message.get("when") in ("setup", "call", "teardown")
            and message.get("outcome") in ("passed", "failed", "skipped")
            and isinstance(message.get("wasxfail"), bool)
            and all(
                message.get(k) is None or isinstance(message.get(k), str)
                for k in ("crash", "longrepr")
            )
        )
    if kind == "finish":
        return _is_int(message.get("exitstatus"))
    if kind == "exit":
        return _is_int(message.get("code"))
    return False


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _finished(events: _Events, run: RunDir) -> dict[str, TestResult]:
    """Tests whose teardown report arrived, with the outcome pytest itself would print."""
    finished: dict[str, TestResult] = {}
    for test_id, reports in events.reports.items():
        phases = {str(r["when"]): r for r in reports}
        if "teardown" not in phases:
            continue
        outcome, failing = _outcome(phases)
        message = evidence = None
        if failing is not None:
            message = _clean(str(failing.get("crash") or ""), run) or None
            evidence = _clean(str(failing.get("longrepr") or ""), run) or None
        finished[test_id] = TestResult(test_id, outcome, message, evidence)
    return finished


def _outcome(phases: dict[str, dict[str, object]]) -> tuple[str, dict[str, object] | None]:
    setup, call, teardown = phases.get("setup"), phases.get("call"), phases["teardown"]
    if setup is not None and setup["outcome"] == "failed":
        return ERROR, setup
    if setup is not None and setup["outcome"] == "skipped":
        return (XFAILED if setup["wasxfail"] else SKIPPED), None
    if call is None:
        return NOT_RUN, None
    if call["outcome"] == "failed":
        return FAILED, call
    if teardown["outcome"] == "failed":
        return ERROR, teardown
    if call["outcome"] == "skipped":
        return (XFAILED if call["wasxfail"] else SKIPPED), None
    return (XPASSED if call["wasxfail"] else PASSED), None


def _belongs(test_id: str, node: str) -> bool:
    return bool(node) and (test_id == node or test_id.startswith(node + "::"))


def _collect_error_for(test_id: str, errors: dict[str, str]) -> str | None:
    """The collection error of the file (or class) the test belongs to, if any."""
    for node, text in errors.items():
        if _belongs(test_id, node):
            return text
    return errors.get("") if "" in errors else None


def _cross_check(
    result: RunResult, events: _Events, run: RunDir, results: dict[str, TestResult]
) -> list[str]:
    """The channels of a run that ended normally must tell the same story."""
    problems: list[str] = []
    claimed = events.exit_code if events.exit_code is not None else events.finish_status
    if claimed != result.exit_code:
        problems.append(
            f"pytest reported exit status {claimed} but the process exited with {result.exit_code}"
        )
    ran = [r for r in results.values() if r.id in events.reports]
    failing = sorted(r.id for r in ran if r.outcome in (FAILED, ERROR))
    if result.exit_code == 0 and (failing or events.collect_errors):
        problems.append("the process exited 0 although tests failed")
    if result.exit_code == 1 and not failing and not events.collect_errors:
        problems.append("the process exited 1 (tests failed) although every test passed")
    junit = _read_junit(run.junit)
    if junit is None:
        problems.append("pytest's JUnit XML report is missing or unreadable")
        return problems
    names, junit_failing, junit_collect_errors = junit
    if junit_collect_errors != len(events.collect_errors):
        problems.append(
            f"the JUnit XML lists {junit_collect_errors} collection errors but "
            f"{len(events.collect_errors)} were streamed"
        )
    streamed = sorted(_junit_name(r.id) for r in ran)
    if sorted(names) != streamed:
        problems.append(f"the JUnit XML lists {len(names)} tests but {len(streamed)} were streamed")
    if sorted(junit_failing) != sorted(_junit_name(t) for t in failing):
        problems.append(
            f"the JUnit XML lists {len(junit_failing)} failing tests but "
            f"{len(failing)} were streamed as failing"
        )
    return problems


def _junit_name(test_id: str) -> str:
    return test_id.rsplit("::", 1)[-1]


def _read_junit(path: Path) -> tuple[list[str], list[str], int] | None:
    """Test names, failing test names and the number of collection errors pytest wrote."""
    try:
        if path.is_symlink() or path.stat().st_size > _MAX_JUNIT_BYTES:
            return None
        root = ElementTree.fromstring(path.read_bytes())
    except (OSError, ElementTree.ParseError):
        return None
    names: list[str] = []
    failing: list[str] = []
    collect_errors = 0
    for case in root.iter("testcase"):
        name = case.get("name", "")
        error = case.find("error")
        if error is not None and error.get("message") == "collection failure":
            collect_errors += 1
            continue
        names.append(name)
        if case.find("failure") is not None or error is not None:
            failing.append(name)
    return names, failing, collect_errors


def _clean(text: str, run: RunDir) -> str:
    """Relative paths (so reports do not depend on the temp dir) and no control codes."""
    text = text.replace(str(run.root) + "/", "")
    text = _CONTROL.sub("", text)
    return text if len(text) <= _MAX_EVIDENCE else text[:_MAX_EVIDENCE] + "\n[... cut ...]"


def _first_line(text: str) -> str:
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("E "):
            return stripped[1:].strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "collection failed"
