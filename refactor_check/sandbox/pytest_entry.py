"""Run pytest and stream each test's result to the parent over an inherited pipe.

Usage: python -s -P -B pytest_entry.py --channel-fd N [--out-fd J] --sys-path DIR -- PYTEST_ARGS...

The optional --out-fd is a file the parent opened for pytest's JUnit XML: the run directory
may be read-only, so pytest writes it through /dev/fd.

Messages are JSON lines. The parent treats them as claims to check against the exit status
and the JUnit XML, never as the truth on their own: code under test runs in this process and
could write anything to the same pipe.
"""

from __future__ import annotations

import json
import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: pytest is imported once the paths are set
    import pytest

# Keep the assertion text short enough for a report while keeping pytest's own wording.
_MAX_TEXT = 8000


def _parse_args(argv: list[str]) -> tuple[int, list[int], list[str], list[str]]:
    fd = None
    out_fds: list[int] = []
    paths: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--channel-fd":
            fd = int(argv[i + 1])
            i += 2
        elif arg == "--out-fd":
            out_fds.append(int(argv[i + 1]))
            i += 2
        elif arg == "--sys-path":
            paths.append(argv[i + 1])
            i += 2
        elif arg == "--":
            rest = argv[i + 1 :]
            break
        else:
            raise SystemExit(f"pytest_entry: unexpected argument {arg!r}")
    if fd is None:
        raise SystemExit("pytest_entry: --channel-fd is required")
    return fd, out_fds, paths, rest


class _Channel:
    def __init__(self, fd: int) -> None:
        self._file = os.fdopen(fd, "w", encoding="utf-8", buffering=1)

    def send(self, **message: object) -> None:
        try:
            self._file.write(json.dumps(message, sort_keys=True) + "\n")
            self._file.flush()
        except (OSError, ValueError):
            pass  # the parent reads what arrived; a closed pipe is its evidence


def _clip(text: str | None) -> str:
    text = text or ""
    return text if len(text) <= _MAX_TEXT else text[:_MAX_TEXT] + "\n[... cut ...]"


class _Reporter:
    def __init__(self, channel: _Channel) -> None:
        self.channel = channel

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.channel.send(
                event="collect_error", id=report.nodeid, longrepr=_clip(report.longreprtext)
            )

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.channel.send(event="collected", ids=[item.nodeid for item in session.items])

    def pytest_runtest_logstart(self, nodeid: str, location: object) -> None:
        self.channel.send(event="start", id=nodeid)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        crash = getattr(report.longrepr, "reprcrash", None)
        self.channel.send(
            event="report",
            id=report.nodeid,
            when=report.when,
            outcome=report.outcome,
            wasxfail=hasattr(report, "wasxfail"),
            crash=_clip(crash.message) if crash is not None else None,
            longrepr=_clip(report.longreprtext) if report.failed else None,
        )

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        self.channel.send(event="finish", exitstatus=int(exitstatus))


def main() -> None:
    fd, out_fds, paths, pytest_args = _parse_args(sys.argv[1:])
    channel = _Channel(fd)
    if out_fds:
        pytest_args = [f"--junitxml=/dev/fd/{out_fds[0]}", *pytest_args]
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
    sys.path[0:0] = paths
    import pytest

    code = pytest.main(pytest_args, plugins=[_Reporter(channel)])
    channel.send(event="exit", code=int(code))
    sys.stdout.flush()
    sys.stderr.flush()
    # os._exit: skip interpreter teardown, where code under test could still run (atexit).
    os._exit(int(code))


if __name__ == "__main__":
    main()
