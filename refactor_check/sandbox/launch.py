"""Put this process under a run's limits, then become the run's command (exec).

Usage: python -I -S launch.py --status-fd N SPEC_JSON -- COMMAND...

The runner starts every command of a run through this rather than through a ``preexec_fn``:
Python code run between fork and exec in a parent with several threads can deadlock on a lock
another thread held at the fork, and the pipeline runs checks side by side in threads. Here
the limits are set in a fresh, single-threaded process, and the command inherits them
through exec. Nothing of the run's code has started yet.

SPEC_JSON: ``{"cgroup": path or null, "rlimits": [[RLIMIT_NAME, soft, hard], ...]}``.

``--status-fd``: a pipe to the runner, closed on a successful exec (the launcher marks it
close-on-exec); on failure one line saying why is written to it first. So a failure to set
up is the runner's to report, and can never be mistaken for something the run did.

Standard library only; nothing from refactor_check is importable here (-I -S).
"""

from __future__ import annotations

import json
import os
import resource
import sys


def main(argv: list[str]) -> None:
    status = int(argv[argv.index("--status-fd") + 1])
    try:
        os.set_inheritable(status, False)  # closed by a successful exec: that is the signal
        spec = json.loads(argv[argv.index("--status-fd") + 2])
        command = argv[argv.index("--") + 1 :]
        if spec.get("cgroup"):
            with open(os.path.join(spec["cgroup"], "cgroup.procs"), "w") as procs:
                procs.write(str(os.getpid()))
        for name, soft, hard in spec["rlimits"]:
            resource.setrlimit(getattr(resource, name), (soft, hard))
        os.execv(command[0], command)
    except BaseException as exc:  # every failure is the runner's to report, never a traceback
        message = f"{type(exc).__name__}: {exc}".replace("\n", " ")[:500] + "\n"
        try:
            os.write(status, message.encode("utf-8", "replace"))
        finally:
            os._exit(127)


if __name__ == "__main__":
    main(sys.argv)
