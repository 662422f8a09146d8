"""How a batch starts its gradings: signals they must heed whatever the batch inherited."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

from refactor_check.batch import execute

_PROBE = "import signal; print(signal.getsignal(signal.SIGINT) is signal.default_int_handler)"


def test_gradings_heed_sigint_when_the_batch_was_started_ignoring_it(tmp_path: Path) -> None:
    # `nohup refactor-check batch ...` or `batch &` in a script starts with SIGINT ignored; the
    # gradings must not inherit that: SIGINT is how one is stopped with its sandboxes removed.
    log = tmp_path / "probe.log"
    job = execute.Job("probe", (sys.executable, "-c", _PROBE), log, deadline=60)
    ended: list[execute.Ended] = []
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        execute.run_jobs([job], 1, ended.append)
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN  # the batch's own, restored
    finally:
        signal.signal(signal.SIGINT, previous)
    assert [e.exit_code for e in ended] == [0]
    assert log.read_text().strip() == "True"
