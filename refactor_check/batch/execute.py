"""Run gradings side by side, each in a process of its own, none able to stop the others.

Each job is one ``refactor-check run`` in its own session: whatever it does (crash, hang,
flood its log), the others go on, and the batch learns only its exit code and its log. A job
that overruns its deadline gets SIGINT first, so that its runner kills and removes the
sandboxed processes it started (they live in sessions and cgroups of their own, out of reach
of a signal to the job's group), then SIGKILL for the whole group after a grace period. A
batch interrupted itself stops its jobs the same way.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

# How long a job may take to clean up after SIGINT before its group is killed.
_GRACE_SECONDS = 10.0


@dataclass(frozen=True)
class Job:
    name: str
    argv: tuple[str, ...]
    log: Path  # stdout and stderr of the job, together
    deadline: float  # wall-clock seconds


@dataclass(frozen=True)
class Ended:
    job: Job
    exit_code: int | None  # None: ended by a signal
    seconds: float
    overran: bool  # stopped at its deadline


class _Live:
    """The jobs running now, so that all of them can be stopped from the main thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._processes: set[subprocess.Popen[bytes]] = set()
        self._stopping = False

    def add(self, process: subprocess.Popen[bytes]) -> None:
        with self._lock:
            self._processes.add(process)
            stopping = self._stopping
        if stopping:  # started while the batch was being stopped: it stops too
            _signal_group(process, signal.SIGINT)

    def discard(self, process: subprocess.Popen[bytes]) -> None:
        with self._lock:
            self._processes.discard(process)

    def stop_all(self) -> None:
        with self._lock:
            self._stopping = True
            processes = list(self._processes)
        for process in processes:
            _signal_group(process, signal.SIGINT)
        deadline = time.monotonic() + _GRACE_SECONDS
        for process in processes:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
            _signal_group(process, signal.SIGKILL)


def run_jobs(jobs: Sequence[Job], workers: int, on_end: Callable[[Ended], None]) -> None:
    """Run ``jobs`` with at most ``workers`` at a time; ``on_end`` is called in this thread."""
    live = _Live()
    restore = _heed_sigint()
    pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="grading")
    try:
        futures = [pool.submit(_run_one, job, live) for job in jobs]
        for future in as_completed(futures):
            on_end(future.result())
    except BaseException:
        # Ctrl-C, or on_end failed: no grading may outlive the batch.
        pool.shutdown(wait=False, cancel_futures=True)
        live.stop_all()
        raise
    finally:
        pool.shutdown(wait=True)
        restore()


def _heed_sigint() -> Callable[[], None]:
    """Undo an ignored SIGINT while the jobs run; returns what puts the old disposition back.

    A batch started with SIGINT ignored (``nohup``, ``batch &`` in a script) would pass that
    on to every grading it starts, and SIGINT is how a grading is asked to remove its
    sandboxed processes before it is killed: ignored, a stopped grading would leave them
    running. A handler (unlike SIG_IGN) is not inherited: the gradings start with Python's own.
    """
    if threading.current_thread() is not threading.main_thread():
        return lambda: None  # only the main thread may set handlers; leave it as it is
    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
        return lambda: None
    signal.signal(signal.SIGINT, signal.default_int_handler)

    def restore() -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)

    return restore


def _run_one(job: Job, live: _Live) -> Ended:
    started = time.monotonic()
    job.log.parent.mkdir(parents=True, exist_ok=True)
    with open(job.log, "wb") as log:
        process = subprocess.Popen(
            job.argv,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    live.add(process)
    overran = False
    try:
        process.wait(timeout=job.deadline)
    except subprocess.TimeoutExpired:
        overran = True
        _signal_group(process, signal.SIGINT)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=_GRACE_SECONDS)
    finally:
        # The job is a session leader: its pid is its group. Anything it left in the group
        # (it should leave nothing) dies with it.
        _signal_group(process, signal.SIGKILL)
        process.wait()
        live.discard(process)
    code = process.returncode
    return Ended(
        job=job,
        exit_code=None if overran or code < 0 else code,
        seconds=time.monotonic() - started,
        overran=overran,
    )


def _signal_group(process: subprocess.Popen[bytes], sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)
