"""The one place that starts untrusted code.

Every process that imports a candidate's code (and, for uniformity, the original's) is started
here, and gets:

- its own process group (its own session), killed whole when a limit is hit or it ends;
- a wall-clock limit, and a stall limit: the longest silence allowed on the result channel,
  which turns one hung test into a timeout of that test instead of the whole run;
- rlimits on CPU time, address space, file size (which also bounds what it can print, since
  stdout and stderr go to files), number of processes and open files;
- an environment built from an allow-list, with HOME and TMPDIR inside its run directory;
- an interpreter that imports only the standard library and what ``importable`` lists for
  the run (no site-packages of the grader's: the verdict never depends on what is installed);
- a result channel: a pipe whose write end the child inherits. Messages are JSON lines; the
  parent validates them and trusts none of them alone (see checks/golden.py).

Namespaces, a read-only root and a pids cgroup are layered on by ``isolation`` when the host
supports them; ``isolation`` in every result says what was in force.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path
from typing import IO, NoReturn

from . import importable, isolation
from .errors import ToolFailure
from .importable import Importable
from .isolation import Sandbox
from .limits import Limits
from .results.run import Isolation
from .workspace import RunDir

_MIB = 1024 * 1024
_LAUNCHER = Path(__file__).resolve().parent / "sandbox" / "launch.py"
# Starts every run's Python (see Runner.interpreter_command); copied into each run directory.
_START = Path(__file__).resolve().parent / "sandbox" / "start.py"
# The launcher's own start-up, before the run's command: generous for a loaded machine.
_LAUNCH_SECONDS = 30.0

# What the parent keeps of a child's stdout/stderr for the report (the tail, where errors are).
_KEPT_OUTPUT_BYTES = 64 * 1024
# What one run's audit hook may report (the hook stops at 256 distinct events per process).
_AUDIT_MAX_BYTES = 4 * 1024 * 1024
# The result channel carries a few hundred bytes per test; more than this is an attack.
_CHANNEL_MAX_BYTES = 32 * _MIB
# After the main process exits, how long stragglers may keep the channel open.
_DRAIN_SECONDS = 0.5


class Ending(str, Enum):
    """How a run came to an end."""

    EXITED = "exited"  # the process exited by itself (any exit code or signal)
    TIMEOUT = "timeout"  # wall-clock limit
    STALLED = "stalled"  # no message on the result channel for stall_seconds
    OUTPUT_LIMIT = "output_limit"  # wrote more than output_mb to stdout/stderr/a file
    CHANNEL_FLOOD = "channel_flood"  # wrote more than the result channel may carry


@dataclass(frozen=True)
class RunResult:
    """What the parent observed of one run; nothing in it is taken from the child's word."""

    ending: Ending
    exit_code: int | None  # None when killed by a signal
    signal: int | None
    duration: float
    messages: tuple[str, ...]  # raw lines from the result channel, unvalidated
    stdout_tail: str
    stderr_tail: str
    isolation: str

    @property
    def finished_normally(self) -> bool:
        return self.ending is Ending.EXITED and self.signal is None


class Cancelled(BaseException):
    """The grading was stopped (Ctrl-C) while this run was going: it has been killed.

    A BaseException, like the KeyboardInterrupt it stands for in the threads that run checks
    side by side: no check's error handling may take it for a result.
    """


@dataclass
class Runner:
    """Starts Python processes in run directories under a fixed set of limits.

    One runner may start runs from several threads at once. ``cancel()`` stops every run and
    worker it started that is still going, from any thread: each raises ``Cancelled`` in the
    thread that waits on it, after its processes are killed.
    """

    limits: Limits = field(default_factory=Limits)
    sandbox: Sandbox = field(default_factory=lambda: isolation.probe("none"))
    # What the code under test and its tests may import beside the standard library.
    importable: Importable = field(default_factory=importable.for_tests)
    cancelled: threading.Event = field(default_factory=threading.Event, repr=False)
    # What the audit hooks of audited runs reported, as (run name, raw line): unvalidated.
    _audit: list[tuple[str, str]] = field(default_factory=list, repr=False)
    _audit_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def cancel(self) -> None:
        self.cancelled.set()

    def audit_lines(self) -> list[tuple[str, str]]:
        """Every line the audit hooks of this runner's audited runs wrote so far."""
        with self._audit_lock:
            return list(self._audit)

    def _open_audit(self, run: RunDir) -> tuple[int, int] | None:
        """For a run that hosts the candidate's package, a pipe for its audit hook, and the
        ``.audit.json`` that tells ``sandbox/start.py`` to install one writing to it."""
        if run.audit is None:
            return None
        read_fd, write_fd = os.pipe()
        os.set_blocking(read_fd, False)
        (run.root / ".audit.json").write_text(run.audit.to_json(write_fd), "utf-8")
        return read_fd, write_fd

    def _collect_audit(self, run: RunDir, read_fd: int) -> None:
        """Whatever the hook wrote (the pipe holds it after the process is gone); closes it."""
        data = bytearray()
        try:
            while len(data) < _AUDIT_MAX_BYTES:
                try:
                    chunk = os.read(read_fd, 65536)
                except BlockingIOError:
                    break
                if not chunk:
                    break
                data.extend(chunk)
        finally:
            os.close(read_fd)
        lines = _split(data)
        with self._audit_lock:
            self._audit.extend((run.name, line) for line in lines)

    @property
    def isolation(self) -> Isolation:
        return self.sandbox.isolation

    def run_python(
        self,
        script: Path,
        args: Sequence[str],
        run: RunDir,
        limits: Limits | None = None,
        outputs: Sequence[Path] = (),
        env: Mapping[str, str] | None = None,
        tool: str | None = None,
    ) -> RunResult:
        """Run ``script --channel-fd N [--out-fd M ...] args...`` in ``run``.

        See ``interpreter_command`` for how Python is started; the script puts the run's
        package dir in front of sys.path.
        ``outputs`` are files the parent opens for writing and hands over as descriptors, so
        the child needs no writable path to produce them (its run directory is read-only
        under the sandbox). ``env`` adds variables to the run's environment; ``tool`` makes
        that tool's distribution importable too (code mutmut rewrote imports mutmut).
        """
        entry = run.root / ".entry.py"
        shutil.copyfile(script, entry)  # the script must be inside what the sandbox shows
        site = importable.with_tool(self.importable, tool) if tool else None
        return self._run(
            self.interpreter_command(run, str(entry), site=site),
            args,
            run,
            limits or self.limits,
            outputs,
            writable=False,
            env=env,
        )

    def run_module(
        self,
        module: str,
        args: Sequence[str],
        run: RunDir,
        limits: Limits | None = None,
    ) -> RunResult:
        """Run ``python -m module args...`` with a writable run directory.

        For tools that keep their state in the current directory (mutmut writes mutants/
        there). No result channel is offered, so only the wall-clock limit applies. The
        tool's own distribution and what it requires are importable beside the run's.
        """
        limits = replace(limits or self.limits, stall_seconds=None)
        command = self.interpreter_command(
            run, module, module=True, site=importable.with_tool(self.importable, module)
        )
        return self._run(command, args, run, limits, (), writable=True, channel=False)

    def run_tool_script(
        self,
        script: Path,
        args: Sequence[str],
        run: RunDir,
        limits: Limits | None = None,
        tool: str | None = None,
    ) -> RunResult:
        """Run one of our sandbox scripts the way ``run_module`` runs a tool: with a
        writable run directory (the script keeps the tool's state there) and no result
        channel, so only the wall-clock limit applies."""
        entry = run.root / ".entry.py"
        shutil.copyfile(script, entry)
        limits = replace(limits or self.limits, stall_seconds=None)
        site = importable.with_tool(self.importable, tool) if tool else None
        command = self.interpreter_command(run, str(entry), site=site)
        return self._run(command, args, run, limits, (), writable=True, channel=False)

    def interpreter_command(
        self, run: RunDir, target: str, module: bool = False, site: Importable | None = None
    ) -> list[str]:
        """The command that starts Python in ``run`` on a script (or ``module``).

        ``PYTHON_FLAGS`` start it without ``site``; ``sandbox/start.py`` then puts back what
        site gives any program (the ``exit``/``help`` builtins), lets it import what
        ``importable`` lists (after the standard library, as site-packages would be), and
        runs the target as ``__main__``. It is copied afresh for every process: the run
        directory is the only place a sandboxed process can see it.
        """
        start = run.root / ".start.py"
        shutil.copyfile(_START, start)
        (run.root / ".start.json").write_text((site or self.importable).to_json(), "utf-8")
        return [sys.executable, *PYTHON_FLAGS, str(start), *(["-m"] if module else []), target]

    def start_worker(
        self,
        script: Path,
        args: Sequence[str],
        run: RunDir,
        limits: Limits | None = None,
        env: Mapping[str, str | None] | None = None,
    ) -> Worker:
        """Start ``script --channel-fd N --request-fd M args...`` as a long-lived worker in
        ``run``, under the same sandbox, rlimits, cgroup, environment and interpreter as
        ``run_python`` (``env`` overrides single variables; None removes one).

        The parent writes one JSON line per request to the request pipe and reads one line per
        answer from the channel (see ``Worker``). ``limits.wall_seconds`` bounds the worker's
        whole life; each answer has its own timeout. Start-up is paid once, not per request.
        """
        limits = limits or self.limits
        entry = run.root / ".entry.py"
        shutil.copyfile(script, entry)
        request_read, request_write = os.pipe()
        channel_read, channel_write = os.pipe()
        audit = self._open_audit(run)
        environment = _environment(run)
        for key, value in (env or {}).items():
            if value is None:
                environment.pop(key, None)
            else:
                environment[key] = value
        argv = self.sandbox.command(
            [
                *self.interpreter_command(run, str(entry)),
                "--channel-fd",
                str(channel_write),
                "--request-fd",
                str(request_read),
                *args,
            ],
            run.root,
            scratch=(run.home, run.tmp),
            writable=False,
        )
        try:
            with open(run.stdout, "wb") as out, open(run.stderr, "wb") as err:
                process, cgroup = self._start(
                    argv,
                    run,
                    environment,
                    limits,
                    (request_read, channel_write, *(audit[1:] if audit else ())),
                    out,
                    err,
                )
        except BaseException:
            for fd in (request_write, channel_read, *(audit[:1] if audit else ())):
                os.close(fd)
            raise
        finally:
            os.close(request_read)
            os.close(channel_write)
            if audit:
                os.close(audit[1])
        # A worker that stops reading must not block the parent's writes: see Worker.send.
        os.set_blocking(request_write, False)
        return Worker(
            process,
            request_write,
            channel_read,
            limits,
            run,
            cgroup,
            self.isolation,
            self.cancelled,
            on_close=(lambda: self._collect_audit(run, audit[0])) if audit else None,
        )

    def _start(
        self,
        argv: Sequence[str],
        run: RunDir,
        env: dict[str, str],
        limits: Limits,
        pass_fds: Sequence[int],
        stdout: IO[bytes],
        stderr: IO[bytes],
    ) -> tuple[subprocess.Popen[bytes], Path | None]:
        """Start ``argv`` in a pids cgroup of its own (when the host has them): the process
        and its cgroup, which the caller removes when the run ends. Nothing starts once the
        runner is cancelled."""
        if self.cancelled.is_set():
            raise Cancelled()
        cgroup = self.sandbox.new_cgroup(limits.processes)
        try:
            return _spawn(argv, run.root, env, limits, cgroup, pass_fds, stdout, stderr), cgroup
        except BaseException:
            if cgroup is not None:
                isolation.remove_cgroup(cgroup)
            raise

    def _run(
        self,
        target: Sequence[str],
        args: Sequence[str],
        run: RunDir,
        limits: Limits,
        outputs: Sequence[Path],
        writable: bool,
        channel: bool = True,
        env: Mapping[str, str] | None = None,
    ) -> RunResult:
        read_fd, write_fd = os.pipe()
        audit = self._open_audit(run)
        with contextlib.ExitStack() as files:
            out = files.enter_context(open(run.stdout, "wb"))
            err = files.enter_context(open(run.stderr, "wb"))
            output_fds = [files.enter_context(open(p, "wb")).fileno() for p in outputs]
            fd_args = ["--channel-fd", str(write_fd)] if channel else []
            for fd in output_fds:
                fd_args += ["--out-fd", str(fd)]
            argv = self.sandbox.command(
                [*target, *fd_args, *args],
                run.root,
                scratch=(run.home, run.tmp),
                writable=writable,
            )
            started = time.monotonic()
            try:
                process, cgroup = self._start(
                    argv,
                    run,
                    {**_environment(run), **(env or {})},
                    limits,
                    (write_fd, *output_fds, *(audit[1:] if audit else ())),
                    out,
                    err,
                )
            except BaseException:
                os.close(read_fd)
                if audit:
                    os.close(audit[0])
                raise
            finally:
                os.close(write_fd)
                if audit:
                    os.close(audit[1])
            try:
                ending, lines = _supervise(process, read_fd, limits, started, self.cancelled)
            finally:
                os.close(read_fd)
                _kill_group(process.pid)
                if cgroup is not None:
                    isolation.remove_cgroup(cgroup)
                process.wait()
                if audit:
                    self._collect_audit(run, audit[0])
        duration = time.monotonic() - started
        returncode = process.returncode
        exit_code = returncode if returncode >= 0 else None
        signal_number = -returncode if returncode < 0 else None
        if ending is Ending.EXITED and (signal_number == signal.SIGXFSZ or _at_limit(run, limits)):
            ending = Ending.OUTPUT_LIMIT
        return RunResult(
            ending=ending,
            exit_code=exit_code,
            signal=signal_number,
            duration=duration,
            messages=tuple(lines),
            stdout_tail=_tail(run.stdout),
            stderr_tail=_tail(run.stderr),
            isolation=self.isolation.mode,
        )


def _supervise(
    process: subprocess.Popen[bytes],
    read_fd: int,
    limits: Limits,
    started: float,
    cancelled: threading.Event,
) -> tuple[Ending, list[str]]:
    """Read the channel until the process ends or a limit is hit; never blocks unbounded.
    Raises ``Cancelled`` when the runner is cancelled (the caller kills the process)."""
    buffer = bytearray()
    received = 0
    last_message = started
    exited_at: float | None = None
    eof = False
    while True:
        if cancelled.is_set():
            raise Cancelled()
        now = time.monotonic()
        if exited_at is None and process.poll() is not None:
            exited_at = now
        if exited_at is not None and (eof or now - exited_at >= _DRAIN_SECONDS):
            return Ending.EXITED, _split(buffer)
        if exited_at is None:
            if now - started >= limits.wall_seconds:
                return Ending.TIMEOUT, _split(buffer)
            if limits.stall_seconds is not None and now - last_message >= limits.stall_seconds:
                return Ending.STALLED, _split(buffer)
        if eof:
            time.sleep(0.02)  # channel closed early; wait for the exit without spinning
            continue
        ready, _, _ = select.select([read_fd], [], [], 0.05)
        if not ready:
            continue
        chunk = os.read(read_fd, 65536)
        if not chunk:
            eof = True
            continue
        received += len(chunk)
        if received > _CHANNEL_MAX_BYTES:
            return Ending.CHANNEL_FLOOD, _split(buffer)
        buffer.extend(chunk)
        last_message = time.monotonic()


class WorkerError(Exception):
    """A worker did not answer: it exited, went silent past a timeout, or flooded its channel.

    The worker has been killed by the time this is raised; ``ending`` says why.
    """

    def __init__(self, ending: Ending, message: str) -> None:
        super().__init__(message)
        self.ending = ending


class Worker:
    """A long-lived untrusted process answering JSON-line requests (``Runner.start_worker``).

    Nothing it sends is trusted: answers are raw lines for the caller to validate. Any failure
    (timeout, exit, flood, broken pipe) kills the whole process group and raises WorkerError;
    the caller decides whether to start another.
    """

    # One answer larger than this is an attack (or a bug), not data.
    MAX_LINE_BYTES = 16 * _MIB

    def __init__(
        self,
        process: subprocess.Popen[bytes],
        request_fd: int,
        channel_fd: int,
        limits: Limits,
        run: RunDir,
        cgroup: Path | None,
        isolation: Isolation,
        cancelled: threading.Event | None = None,
        on_close: Callable[[], None] | None = None,
    ) -> None:
        self.process = process
        self._on_close = on_close
        self._cancelled = cancelled or threading.Event()
        self.run = run
        self.limits = limits
        self.isolation = isolation
        self._request_fd = request_fd
        self._channel_fd = channel_fd
        self._cgroup = cgroup
        self._started = time.monotonic()
        self._buffer = bytearray()
        self._closed = False

    @property
    def alive(self) -> bool:
        return not self._closed and self.process.poll() is None

    def request(self, message: str, timeout: float) -> str:
        self.send(message, timeout)
        return self.receive(timeout)

    def send(self, message: str, timeout: float) -> None:
        """Write one line; a worker that does not read it within ``timeout`` is killed."""
        data = memoryview((message.rstrip("\n") + "\n").encode("utf-8"))
        deadline = self._deadline(timeout)
        while data:
            self._check_open()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self._fail(Ending.STALLED, f"the worker did not read a request in {timeout:g} s")
            _, writable, _ = select.select([], [self._request_fd], [], min(remaining, 0.5))
            if not writable:
                continue
            try:
                written = os.write(self._request_fd, data)
            except BlockingIOError:
                continue
            except OSError as exc:  # EPIPE: the worker closed its end or died
                self._fail(Ending.EXITED, f"the worker stopped reading requests ({exc.strerror})")
            data = data[written:]

    def receive(self, timeout: float) -> str:
        """The next line the worker writes; killed when none comes within ``timeout``."""
        deadline = self._deadline(timeout)
        while True:
            newline = self._buffer.find(b"\n")
            if newline >= 0:
                line = bytes(self._buffer[:newline])
                del self._buffer[: newline + 1]
                return line.decode("utf-8", errors="replace")
            if len(self._buffer) > self.MAX_LINE_BYTES:
                self._fail(Ending.CHANNEL_FLOOD, "the worker flooded its channel")
            self._check_open()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                wall = time.monotonic() - self._started >= self.limits.wall_seconds
                if wall:
                    self._fail(Ending.TIMEOUT, "the worker hit its wall-clock limit")
                self._fail(Ending.STALLED, f"the worker did not answer within {timeout:g} s")
            ready, _, _ = select.select([self._channel_fd], [], [], min(remaining, 0.5))
            if not ready:
                continue
            chunk = os.read(self._channel_fd, 65536)
            if not chunk:
                self._fail(Ending.EXITED, self._exit_description())
            self._buffer.extend(chunk)

    def close(self) -> str:
        """Kill the worker and everything it started; returns the tail of its stderr."""
        if not self._closed:
            self._closed = True
            for fd in (self._request_fd, self._channel_fd):
                with contextlib.suppress(OSError):
                    os.close(fd)
            _kill_group(self.process.pid)
            if self._cgroup is not None:
                isolation.remove_cgroup(self._cgroup)
            self.process.wait()
            if self._on_close is not None:
                self._on_close()
        return _tail(self.run.stderr)

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _deadline(self, timeout: float) -> float:
        return min(time.monotonic() + timeout, self._started + self.limits.wall_seconds)

    def _check_open(self) -> None:
        if self._cancelled.is_set():
            self.close()
            raise Cancelled()
        if self._closed:
            raise WorkerError(Ending.EXITED, "the worker was closed")

    def _exit_description(self) -> str:
        try:
            code = self.process.wait(timeout=_DRAIN_SECONDS)
        except subprocess.TimeoutExpired:
            return "the worker closed its channel"
        if code < 0:
            return f"the worker was killed by signal {-code}"
        return f"the worker exited with code {code}"

    def _fail(self, ending: Ending, message: str) -> NoReturn:
        self.close()
        raise WorkerError(ending, message)


def _split(buffer: bytearray) -> list[str]:
    """Complete lines only: a partial last line was cut off mid-write and is not a message."""
    text = bytes(buffer).decode("utf-8", errors="replace")
    lines = text.split("\n")
    return [line for line in lines[:-1] if line.strip()]


def _kill_group(pid: int) -> None:
    # The child is a session leader, so its pid is the process group id. Everything it
    # started without leaving the group dies with it, whether it exited or not.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


# Not ``-I``: it implies ``-E``, which ignores every PYTHON* variable, PYTHONHASHSEED included,
# so each process would hash strings (and order sets) its own random way, and the original and
# the candidate would not run under the same conditions. ``-s -P`` keep the rest of ``-I`` (no
# user site-packages, no script directory or current directory on sys.path); ``-B`` writes no
# bytecode; the environment is an allow-list, so no other PYTHON* variable reaches the child.
# ``-S``: no site-packages, ``.pth`` files or sitecustomize of the grader's (see importable).
# Python 3.10 has no ``-P``: there the run directory (which holds only what the grader put
# there) stays on sys.path, as for any script.
PYTHON_FLAGS: tuple[str, ...] = (
    "-S",
    "-s",
    "-B",
    *(("-P",) if sys.version_info >= (3, 11) else ()),
)


def _environment(run: RunDir) -> dict[str, str]:
    """An allow-list: nothing of the parent's environment (tokens, CI secrets) leaks in."""
    python_dir = str(Path(sys.executable).parent)
    return {
        "PATH": f"{python_dir}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(run.home),
        "TMPDIR": str(run.tmp),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TZ": "UTC",
        # A fixed hash seed makes str/bytes hashing, and so set iteration order, the same in
        # every run: the original and the candidate are compared under the same conditions.
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONIOENCODING": "utf-8",
        # Plugins installed beside refactor-check must not change how the tests run.
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
        "NO_COLOR": "1",
        "COLUMNS": "120",
    }


def _spawn(
    argv: Sequence[str],
    cwd: Path,
    env: dict[str, str],
    limits: Limits,
    cgroup: Path | None,
    pass_fds: Sequence[int],
    stdout: IO[bytes],
    stderr: IO[bytes],
) -> subprocess.Popen[bytes]:
    """Start ``argv`` in a session of its own, under ``limits`` and in ``cgroup``.

    The limits are set by ``sandbox/launch.py`` in the new process before it execs ``argv``
    (no ``preexec_fn``: see the launcher's docstring). Its status pipe closes on a successful
    exec; a message on it means the set-up failed, which is refactor-check's failure.
    """
    status_read, status_write = os.pipe()
    spec = {"cgroup": str(cgroup) if cgroup else None, "rlimits": _rlimits(limits)}
    launcher = [sys.executable, "-I", "-S", str(_LAUNCHER), "--status-fd", str(status_write)]
    try:
        process = subprocess.Popen(
            [*launcher, json.dumps(spec), "--", *argv],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=stderr,
            pass_fds=(*pass_fds, status_write),
            start_new_session=True,
            umask=0o077,
        )
    finally:
        os.close(status_write)
    try:
        failure = _read_status(status_read)
    finally:
        os.close(status_read)
    if failure is not None:
        _kill_group(process.pid)
        process.wait()
        raise ToolFailure(f"could not start a run under its limits: {failure}")
    return process


def run_trusted(argv: Sequence[str], cwd: Path, limits: Limits, log: Path) -> RunResult:
    """Run refactor-check's own code on hostile data (a submission's git objects, say).

    Not candidate code, so no sandbox: the process must read what the sandbox hides. It gets
    the rlimits of ``limits`` and its wall clock, so a pathological input costs at most those.
    stdout and stderr go to ``log``; no result channel (the process writes its own files).
    """
    started = time.monotonic()
    with open(log, "wb") as out:
        process = _spawn(argv, cwd, _trusted_environment(), limits, None, (), out, out)
        try:
            process.wait(timeout=limits.wall_seconds)
            ending = Ending.EXITED
        except subprocess.TimeoutExpired:
            ending = Ending.TIMEOUT
        finally:
            _kill_group(process.pid)
            process.wait()
    returncode = process.returncode
    return RunResult(
        ending=ending,
        exit_code=returncode if returncode >= 0 else None,
        signal=-returncode if returncode < 0 else None,
        duration=time.monotonic() - started,
        messages=(),
        stdout_tail=_tail(log),
        stderr_tail="",
        isolation="none",
    )


def _trusted_environment() -> dict[str, str]:
    """The parent's environment without git's variables: none may point the reading elsewhere."""
    return {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}


def _read_status(fd: int) -> str | None:
    """The launcher's failure message, or None once its exec closed the pipe."""
    data = bytearray()
    deadline = time.monotonic() + _LAUNCH_SECONDS
    while (left := deadline - time.monotonic()) > 0:
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            break
        chunk = os.read(fd, 4096)
        if not chunk:
            return data.decode("utf-8", "replace").strip() or None
        data.extend(chunk)
    return f"the launcher did not exec within {_LAUNCH_SECONDS:.0f} s"


def _rlimits(limits: Limits) -> list[tuple[str, int, int]]:
    memory = limits.memory_mb * _MIB
    output = limits.output_mb * _MIB
    cpu = max(1, int(limits.cpu_seconds))
    chosen = [
        ("RLIMIT_CPU", cpu, cpu + 5),
        ("RLIMIT_AS", memory, memory),
        ("RLIMIT_FSIZE", output, output),
        ("RLIMIT_NOFILE", limits.open_files, limits.open_files),
        ("RLIMIT_CORE", 0, 0),
    ]
    # RLIMIT_NPROC counts every process of the real user, not just this run's: allow the
    # user's current processes plus the run's budget. The kernel ignores it for root, which
    # is what the pids cgroup is for.
    if os.geteuid() != 0:
        processes = _user_processes() + limits.processes
        chosen.append(("RLIMIT_NPROC", processes, processes))
    return chosen


def _user_processes() -> int:
    uid = os.getuid()
    count = 0
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if entry.stat().st_uid == uid:
                    count += 1
    return count


def _at_limit(run: RunDir, limits: Limits) -> bool:
    cap = limits.output_mb * _MIB
    return any(path.exists() and path.stat().st_size >= cap for path in (run.stdout, run.stderr))


def _tail(path: Path) -> str:
    try:
        with open(path, "rb") as handle:
            size = handle.seek(0, os.SEEK_END)
            handle.seek(max(0, size - _KEPT_OUTPUT_BYTES))
            data = handle.read()
    except OSError:
        return ""
    return data.decode("utf-8", errors="replace")
