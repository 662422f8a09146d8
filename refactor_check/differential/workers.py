"""The three long-lived workers: the original twice, the candidate once.

Each is ``sandbox/diff_worker.py`` in serve mode, started through ``Runner.start_worker``
(same sandbox, rlimits and environment as the golden run) in a run directory of its own, so
import costs are paid once per side. The original's second worker runs under another
``PYTHONHASHSEED``: a result that depends on set or dict-of-hash order then differs between
the original's two runs and is excluded as nondeterministic instead of being pinned on the
candidate. ``PYTEST_*`` variables are dropped: the code runs as callers run it, not as it runs
under a test framework.

A request goes to all of them at once, or to the ones asked for (they run in parallel; the
search asks the original's second worker only when the first and the candidate differ), and
each answer is read with a timeout. A worker that dies or hangs is killed and started again
for the next request; after a few restarts its side is given up and its runs come back as
failed.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from .. import sandbox
from ..limits import Limits
from ..runner import Runner, Worker, WorkerError
from ..sources import PackageSource
from ..workspace import Workspace
from . import values

WORKER_SCRIPT = Path(sandbox.__file__).with_name("diff_worker.py")
ORIGINAL, ORIGINAL_AGAIN, CANDIDATE = "original", "original-again", "candidate"
_HASH_SEEDS = {ORIGINAL: "0", ORIGINAL_AGAIN: "1", CANDIDATE: "0"}
# Time a worker may take beyond a request's own timeout (fork, encoding, JSON, scheduling).
_ANSWER_MARGIN_SECONDS = 5.0
MAX_RESTARTS = 3  # per side, after which the side is given up


class Side:
    """One worker process, restarted when it fails."""

    def __init__(
        self,
        name: str,
        runner: Runner,
        workspace: Workspace,
        package: PackageSource,
        limits: Limits,
        startup_seconds: float,
        labels: Sequence[str] = (),
        options: Sequence[str] = (),
    ) -> None:
        """``options``: more of the worker's serve options (``--cmplog``)."""
        self.name = name
        self.options = tuple(options)
        self.runner = runner
        self.workspace = workspace
        self.labels = tuple(labels)
        self.package = package
        self.limits = limits
        self.startup_seconds = startup_seconds
        self.restarts = 0
        self.problem: str | None = None  # why the side was given up
        self._worker: Worker | None = None
        self._next_id = 0
        self._pending: int | None = None

    def launch(self) -> None:
        run = self.workspace.new_run(f"diff-{self.name}", self.package, None)
        args = ["serve", "--sys-path", str(run.packages), "--package", self.package.name]
        for sibling in self.package.module_names[1:]:
            args += ["--own", sibling]
        for path in self.labels:
            args += ["--label", path]
        args += self.options
        env = {"PYTHONHASHSEED": _HASH_SEEDS[self.name], "PYTEST_DISABLE_PLUGIN_AUTOLOAD": None}
        self._worker = self.runner.start_worker(WORKER_SCRIPT, args, run, self.limits, env)

    def wait_ready(self) -> str | None:
        """None once the package is imported; else why it could not be (one line)."""
        if self._worker is None:
            return self.problem or "not started"
        try:
            line = self._worker.receive(self.startup_seconds)
        except WorkerError as exc:
            tail = self._worker.close().strip().splitlines()
            self._worker = None
            hint = f" ({tail[-1][:300]})" if tail else ""
            return f"{exc}{hint}"
        try:
            message = json.loads(line)
        except ValueError:
            message = None
        if isinstance(message, dict) and message.get("event") == "ready":
            if message.get("ok") is True:
                return None
            error = message.get("error")
            self.close()
            return f"importing the package failed: {str(error)[:500]}"
        self.close()
        return "the worker sent something other than its ready message"

    def send(self, request: dict[str, Any]) -> None:
        self._pending = None
        if self._worker is None and not self._restart():
            return
        assert self._worker is not None
        self._next_id += 1
        request = {**request, "id": self._next_id}
        try:
            self._worker.send(json.dumps(request), self.limits.stall_seconds or 30.0)
        except WorkerError as exc:
            self._lost(str(exc))
            return
        self._pending = self._next_id

    def receive(self, timeout: float) -> dict[str, Any] | None:
        """The answer to the last request, or None when the worker failed it."""
        if self._pending is None or self._worker is None:
            return None
        try:
            line = self._worker.receive(timeout + _ANSWER_MARGIN_SECONDS)
        except WorkerError as exc:
            self._lost(str(exc))
            return None
        try:
            answer = json.loads(line)
        except ValueError:
            answer = None
        if not isinstance(answer, dict) or answer.get("id") != self._pending:
            self._lost("the worker answered out of turn")
            return None
        self._pending = None
        return answer

    def close(self) -> None:
        if self._worker is not None:
            self._worker.close()
            self._worker = None

    def _lost(self, reason: str) -> None:
        self.close()
        self._pending = None
        self.problem = reason

    def _restart(self) -> bool:
        if self.restarts >= MAX_RESTARTS:
            return False
        self.restarts += 1
        self.launch()
        problem = self.wait_ready()
        if problem is not None:
            self.problem = problem
            return False
        return True


def worker_limits(runner: Runner, lifetime_seconds: float) -> tuple[Limits, float]:
    """A long-lived worker's limits and the seconds it may take to start."""
    # A worker lives for the whole stage; each answer has its own timeout instead.
    limits = replace(runner.limits, wall_seconds=lifetime_seconds, stall_seconds=None)
    return limits, max(5.0, runner.limits.stall_seconds or 30.0)


class Trio:
    """The original, the original again, and the candidate, driven in lockstep."""

    def __init__(
        self,
        runner: Runner,
        workspace: Workspace,
        original: PackageSource,
        candidate: PackageSource,
        lifetime_seconds: float,
        labels: Sequence[str] = (),
    ) -> None:
        """``labels``: the original's public paths of classes and functions, the names every
        worker labels them by (``Surface.labels``)."""
        limits, startup = worker_limits(runner, lifetime_seconds)
        self.sides = [
            Side(name, runner, workspace, package, limits, startup, labels)
            for name, package in (
                (ORIGINAL, original),
                (ORIGINAL_AGAIN, original),
                (CANDIDATE, candidate),
            )
        ]

    def start(self) -> dict[str, str]:
        """Start all three in parallel; side name -> why it could not start, for failures."""
        for side in self.sides:
            side.launch()
        problems = {}
        for side in self.sides:
            problem = side.wait_ready()
            if problem is not None:
                side.problem = problem
                problems[side.name] = problem
        return problems

    def request(
        self, request: dict[str, Any], timeout: float, only: Sequence[str] = ()
    ) -> list[dict[str, Any] | None]:
        """Send to every side (or ``only`` those), then collect: they run at the same time."""
        chosen = [s for s in self.sides if not only or s.name in only]
        for side in chosen:
            side.send(request)
        answers = {side.name: side.receive(timeout) for side in chosen}
        return [answers.get(side.name) for side in self.sides]

    def with_candidate(self, package: PackageSource) -> tuple[Trio, str | None]:
        """The same two original workers beside a new worker of ``package`` on the candidate's
        side (the probe search runs mutants of the original there, one after another, without
        restarting the originals), and why that worker could not start, or None. The caller
        closes the new side only: the original's workers stay this trio's."""
        current = self.sides[-1]
        side = Side(
            CANDIDATE,
            current.runner,
            current.workspace,
            package,
            current.limits,
            current.startup_seconds,
            current.labels,
        )
        other = copy.copy(self)
        other.sides = [*self.sides[:-1], side]
        side.launch()
        side.problem = side.wait_ready()
        return other, side.problem

    def describe(self, paths: Sequence[str], timeout: float) -> list[dict[str, dict[str, Any]]]:
        """What each side's running code says about the public paths (``diff_worker.describe``)."""
        out = []
        for answer in self.request(
            {"op": "describe", "paths": list(paths), "timeout": timeout}, timeout
        ):
            facts: dict[str, dict[str, Any]] = {}
            items = answer.get("items") if isinstance(answer, dict) else None
            for item in items if isinstance(items, list) else []:
                if (
                    isinstance(item, dict)
                    and isinstance(item.get("path"), str)
                    and valid_fact(item.get("item"))
                ):
                    facts[item["path"]] = item["item"]
            out.append(facts)
        return out

    def close(self) -> None:
        for side in self.sides:
            side.close()

    def __enter__(self) -> Trio:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def valid_fact(fact: object) -> bool:
    """The shape ``diff_worker.describe`` promises; anything else is not a fact."""
    if not isinstance(fact, dict) or not isinstance(fact.get("exists"), bool):
        return False
    if not fact["exists"]:
        return True
    if not isinstance(fact.get("kind"), str):
        return False
    for flag in ("method", "inherited_from_builtins"):
        if flag in fact and not isinstance(fact[flag], bool):
            return False
    if "value" in fact and not values.is_valid(fact["value"]):
        return False
    if "mro" in fact and not (
        isinstance(fact["mro"], list) and all(isinstance(m, str) for m in fact["mro"])
    ):
        return False
    signature = fact.get("signature")
    return signature is None or (
        isinstance(signature, list)
        and all(
            isinstance(p, list)
            and len(p) == 5
            and isinstance(p[0], str)
            and isinstance(p[1], str)
            and isinstance(p[2], bool)
            and (p[3] is None or values.is_valid(p[3]))
            and (p[4] is None or isinstance(p[4], str))
            for p in signature
        )
    )
