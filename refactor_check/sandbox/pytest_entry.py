"""Run pytest and stream each test's result to the parent over an inherited pipe.

Usage: python -s -P -B pytest_entry.py --channel-fd N [--out-fd J] --sys-path DIR -- PYTEST_ARGS...

The optional --out-fd is a file the parent opened for pytest's JUnit XML: the run directory
may be read-only, so pytest writes it through /dev/fd.

Messages are JSON lines. The parent treats them as claims to check against the exit status
and the JUnit XML, never as the truth on their own: code under test runs in this process and
could write anything to the same pipe.
"""

import json
import os
import sys

# Keep the assertion text short enough for a report while keeping pytest's own wording.
_MAX_TEXT = 8000


def _parse_args(argv):
    fd = None
    out_fds = []
    paths = []
    rest = []
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
    def __init__(self, fd):
        self._file = os.fdopen(fd, "w", encoding="utf-8", buffering=1)

    def send(self, **message):
        try:
            self._file.write(json.dumps(message, sort_keys=True) + "\n")
            self._file.flush()
        except (OSError, ValueError):
            pass  # the parent reads what arrived; a closed pipe is its evidence


def _clip(text):
    text = text or ""
    return text if len(text) <= _MAX_TEXT else text[:_MAX_TEXT] + "\n[... cut ...]"


class _Reporter:
    def __init__(self, channel):
        self.channel = channel

    def pytest_collectreport(self, report):
        if report.failed:
            self.channel.send(
                event="collect_error", id=report.nodeid, longrepr=_clip(report.longreprtext)
            )

    def pytest_collection_finish(self, session):
        self.channel.send(event="collected", ids=[item.nodeid for item in session.items])

    def pytest_runtest_logstart(self, nodeid, location):
        self.channel.send(event="start", id=nodeid)

    def pytest_runtest_logreport(self, report):
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

    def pytest_sessionfinish(self, session, exitstatus):
        self.channel.send(event="finish", exitstatus=int(exitstatus))


def main():
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
