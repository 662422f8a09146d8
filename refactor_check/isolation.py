"""What walls the runner puts around an untrusted process, and whether this host has them.

Two layers beyond the rlimits every run gets:

- bubblewrap (``bwrap``): new user, pid, net, ipc and uts namespaces; the host's root mounted
  read-only with the places that hold other people's data (homes, /tmp, /work, /srv, ..., the
  golden repo, the submission, the cache) hidden under empty tmpfs mounts; only the Python
  installation put back; the run directory read-only; HOME and TMPDIR small private tmpfs
  mounts. No network: the net namespace has only a downed loopback.
- a pids cgroup per run (when the process may create one, typically as root): caps the number
  of processes, which RLIMIT_NPROC cannot do for root, and lets the parent kill everything the
  run started, even processes that left the process group.

Either may be missing (no bwrap installed, user namespaces refused, no writable cgroup); the
run then goes on with what is there and the report says exactly what was in force.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import signal
import site
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .errors import BadInputError
from .results.run import Isolation

SANDBOX_MODES = ("auto", "bwrap", "none")
SANDBOX_ENV = "REFACTOR_CHECK_SANDBOX"

# Directories that commonly hold someone's data; hidden from sandboxed processes.
_HIDDEN_DIRS = (
    "/home",
    "/root",
    "/tmp",
    "/var/tmp",
    "/work",
    "/mnt",
    "/media",
    "/srv",
    "/opt",
    "/run",
    "/sys",
    "/boot",
)
# Size of the private, memory-backed HOME and TMPDIR of a sandboxed run.
_SCRATCH_BYTES = 64 * 1024 * 1024


@dataclass
class Sandbox:
    """The host's isolation, probed once, plus what every bwrap command line needs."""

    isolation: Isolation
    bwrap: str | None = None
    cgroup_parent: Path | None = None
    hidden: tuple[Path, ...] = ()
    # next() on a count is atomic: checks that run side by side in threads get distinct names.
    _numbers: Iterator[int] = field(default_factory=lambda: itertools.count(1), repr=False)

    def command(
        self, argv: Sequence[str], root: Path, scratch: Sequence[Path], writable: bool = False
    ) -> list[str]:
        """``argv`` wrapped in bwrap when it is in force; ``root`` is the run directory."""
        if self.bwrap is None:
            return list(argv)
        return [self.bwrap, *_bwrap_args(self.hidden, root, scratch, writable), "--", *argv]

    def new_cgroup(self, processes: int) -> Path | None:
        if self.cgroup_parent is None:
            return None
        number = next(self._numbers)
        path = self.cgroup_parent / f"work-{os.getpid()}-{number}"  # neutral: visible inside
        try:
            path.mkdir()
            (path / "pids.max").write_text(str(processes))
        except OSError:
            remove_cgroup(path)
            return None
        return path


def probe(mode: str, hidden: Iterable[Path] = ()) -> Sandbox:
    """The sandbox for ``mode`` ("auto", "bwrap" or "none") on this host.

    "bwrap" insists: a host where bwrap does not work is a bad invocation (exit 2).
    """
    if mode not in SANDBOX_MODES:
        raise BadInputError(
            f"unknown sandbox mode {mode!r} (choose from {', '.join(SANDBOX_MODES)})"
        )
    notes: list[str] = []
    hidden_paths = _hidden(hidden)
    bwrap: str | None = None
    if mode == "none":
        notes.append("bwrap disabled by request")
    else:
        bwrap, problem = _usable_bwrap(hidden_paths)
        if problem:
            if mode == "bwrap":
                raise BadInputError(f"--sandbox bwrap was asked for but {problem}")
            notes.append(problem)
    cgroup_parent, cgroup_problem = _cgroup_parent()
    if cgroup_parent is not None:
        process_limit = "cgroup"
    elif os.geteuid() != 0:
        process_limit = "rlimit"
    else:
        process_limit = "none"
        notes.append(f"running as root without a pids cgroup ({cgroup_problem})")
    isolation = Isolation("bwrap" if bwrap else "rlimits", process_limit, tuple(notes))
    return Sandbox(isolation, bwrap, cgroup_parent, hidden_paths)


def _hidden(extra: Iterable[Path]) -> tuple[Path, ...]:
    paths = [Path(p) for p in _HIDDEN_DIRS]
    for path in extra:
        resolved = Path(path).resolve()
        if resolved.is_dir() and not any(resolved.is_relative_to(p) for p in paths):
            paths.append(resolved)
    return tuple(p for p in paths if p.is_dir() and not p.is_symlink())


def _python_dirs() -> list[Path]:
    """What a sandboxed interpreter must still see: its installation and site-packages."""
    candidates = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    candidates.update(site.getsitepackages())
    with contextlib.suppress(AttributeError):
        candidates.add(site.getusersitepackages())
    candidates.add(str(Path(sys.executable).resolve().parent))
    dirs = sorted({Path(c).resolve() for c in candidates if c and Path(c).is_dir()})
    # Bind the outermost only: binding a child after its parent is redundant.
    return [d for d in dirs if not any(d != o and d.is_relative_to(o) for o in dirs)]


def _bwrap_args(
    hidden: Sequence[Path], root: Path, scratch: Sequence[Path], writable: bool = False
) -> list[str]:
    args = [
        "--unshare-all",  # user, pid, net, ipc, uts, cgroup namespaces: no network at all
        "--die-with-parent",
        "--new-session",  # no access to the parent's terminal (TIOCSTI)
        "--ro-bind",
        "/",
        "/",
        "--dev",
        "/dev",
        "--proc",
        "/proc",
    ]
    for path in hidden:
        args += ["--tmpfs", str(path)]
    for path in _python_dirs():
        args += ["--ro-bind", str(path), str(path)]
    args += ["--bind" if writable else "--ro-bind", str(root), str(root)]
    for path in scratch:
        args += ["--size", str(_SCRATCH_BYTES), "--tmpfs", str(path)]
    args += ["--chdir", str(root)]
    return args


@cache
def _usable_bwrap(hidden: tuple[Path, ...]) -> tuple[str | None, str | None]:
    """bwrap's path if it runs a trivial Python here, else why not (one line)."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return None, "bwrap is not installed (Debian package bubblewrap)"
    with tempfile.TemporaryDirectory(prefix="refactor-check-probe-") as tmp:
        root = Path(tmp)
        (root / ".tmp").mkdir()
        argv = [
            bwrap,
            *_bwrap_args(hidden, root, [root / ".tmp"]),
            "--",
            sys.executable,
            "-I",
            "-c",
            "pass",
        ]
        try:
            done = subprocess.run(
                argv, capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            return None, f"bwrap did not start: {exc}"
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
        return None, f"bwrap does not work on this host: {reason}"
    return bwrap, None


def _cgroup_parent() -> tuple[Path | None, str]:
    """A cgroup directory with the pids controller under which we may create children."""
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError as exc:
        return None, f"cannot read /proc/self/cgroup: {exc.strerror}"
    for line in lines:
        hierarchy, controllers, path = line.split(":", 2)
        if "pids" in controllers.split(","):
            base = Path("/sys/fs/cgroup/pids") / path.lstrip("/")
        elif hierarchy == "0" and controllers == "":
            base = Path("/sys/fs/cgroup") / path.lstrip("/")
            try:
                if "pids" not in (base / "cgroup.subtree_control").read_text().split():
                    continue
            except OSError:
                continue
        else:
            continue
        if os.access(base, os.W_OK) and (base / "cgroup.procs").exists():
            return base, ""
    return None, "no writable pids cgroup"


def remove_cgroup(path: Path) -> None:
    """Kill every process left in the cgroup, then remove it."""
    kill_file = path / "cgroup.kill"
    with contextlib.suppress(OSError):
        if kill_file.exists():
            kill_file.write_text("1")
    for _ in range(100):
        try:
            pids = [int(p) for p in (path / "cgroup.procs").read_text().split()]
        except OSError:
            return
        if not pids:
            break
        for pid in pids:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.02)
    for _ in range(50):
        try:
            path.rmdir()
            return
        except FileNotFoundError:
            return
        except OSError:
            time.sleep(0.02)
