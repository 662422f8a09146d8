"""One refactor-check process at a time per output directory.

Two ``run``, ``batch`` or ``merge`` processes given the same ``--out`` would interleave their
files (one's report.html beside the other's report.json, a cohort table of half of each). The
first takes an exclusive ``flock`` on a lock file in the directory; a second one fails at once
(never waits: a CI job should not hang behind another) with one line, and the contract's exit
2 (bad invocation: pass another ``--out``).

The lock file is removed when the lock is released, so finished outputs hold only reports.
Removing it opens a race: a process that opened the old file just before it was removed could
lock that removed file while a third process creates and locks a new one. So after locking,
a process checks that the path still names the file it locked, and starts over if not.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from .errors import BadInputError

LOCK_NAME = ".refactor-check.lock"
_ATTEMPTS = 5  # each lost race means another process just released: try again a few times


@contextlib.contextmanager
def exclusive(out: Path, option: str = "--out") -> Iterator[None]:
    """Hold ``out``'s lock (creating ``out`` when missing) for the duration of the block."""
    created = not out.exists()
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BadInputError(f"cannot use {option} {out}: {exc.strerror or exc}") from None
    path = out / LOCK_NAME
    fd = _acquire(path, option, out)
    try:
        yield
    finally:
        # Unlink while still holding the lock: nobody can lock this file after it is gone.
        with contextlib.suppress(OSError):
            os.unlink(path)
        os.close(fd)
        if created:
            with contextlib.suppress(OSError):
                out.rmdir()  # only when empty: nothing was written (the run stopped early)


def _acquire(path: Path, option: str, out: Path) -> int:
    for _ in range(_ATTEMPTS):
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o644)
        except OSError as exc:
            raise BadInputError(f"cannot use {option} {out}: {exc.strerror or exc}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            os.close(fd)
            raise BadInputError(
                f"{option} {out} is in use by another refactor-check process{holder}; "
                f"wait for it to finish or pass another {option}"
            ) from None
        if _still_named(fd, path):
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
            return fd
        os.close(fd)  # locked a file its holder had just removed: start over
    raise BadInputError(f"{option} {out} is being taken and released by other processes; retry")


def _still_named(fd: int, path: Path) -> bool:
    try:
        named = os.stat(path, follow_symlinks=False)
    except OSError:
        return False
    mine = os.fstat(fd)
    return (named.st_dev, named.st_ino) == (mine.st_dev, mine.st_ino)


def _holder(fd: int) -> str:
    """The holder's pid as " (pid N)", when it wrote one into the lock file."""
    with contextlib.suppress(OSError, ValueError):
        pid = int(os.pread(fd, 32, 0).decode("ascii").strip())
        return f" (pid {pid})"
    return ""
