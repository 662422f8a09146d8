"""The instrumented original and candidate, each run by a worker with ``--cmplog``."""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType

from ...runner import Runner
from ...sources import PackageSource
from ...workspace import Workspace
from ..program import Program
from ..workers import CANDIDATE, ORIGINAL, Side, worker_limits
from .instrument import Instrumented, instrument
from .log import Comparison, StepLog, parse_branches, parse_log

LOG_TIMEOUT_FACTOR = 5  # a logging run's ceiling, in call_timeouts: it runs several calls


class Loggers:
    """The instrumented original and candidate, each served by a worker with ``--cmplog``;
    every branch either has taken, over every program logged, for the report."""

    def __init__(
        self,
        runner: Runner,
        workspace: Workspace,
        copies: Sequence[Instrumented],
        lifetime_seconds: float,
        labels: Sequence[str],
    ) -> None:
        limits, startup = worker_limits(runner, lifetime_seconds)
        self.sides = [
            Side(name, runner, workspace, copy.package, limits, startup, labels, ["--cmplog"])
            for name, copy in zip((ORIGINAL, CANDIDATE), copies, strict=True)
        ]
        self.branches = {side.name: c.branches for side, c in zip(self.sides, copies, strict=True)}
        self.reached: dict[str, set[tuple[str, bool]]] = {side.name: set() for side in self.sides}
        # Logging runs a side's ceiling cut: what they would have logged is missing, so the
        # inputs derived from them may differ on a faster machine (the report says so).
        self.cut = 0

    @classmethod
    def build(
        cls,
        runner: Runner,
        workspace: Workspace,
        original: PackageSource,
        candidate: PackageSource,
        lifetime_seconds: float,
        labels: Sequence[str],
    ) -> Loggers | None:
        """Instrumented copies of both packages under the workspace; None if one cannot be."""
        base = workspace.root / "cmplog"
        copies = [
            instrument(package, base / side)
            for package, side in ((original, ORIGINAL), (candidate, CANDIDATE))
        ]
        if any(c is None for c in copies):
            return None
        return cls(runner, workspace, [c for c in copies if c], lifetime_seconds, labels)

    def start(self) -> bool:
        """Whether both workers imported their package (a side that did not logs nothing)."""
        for side in self.sides:
            side.launch()
        started = [side.wait_ready() is None for side in self.sides]
        self.sides = [side for side, ok in zip(self.sides, started, strict=True) if ok]
        return bool(self.sides)

    def log(self, program: Program, timeout: float) -> list[StepLog]:
        """Per step of ``program``, what both sides compared and the branches they took."""
        request = {"op": "run", "steps": program.request(), "timeout": timeout}
        for side in self.sides:
            side.send(request)
        comparisons: list[list[Comparison]] = [[] for _ in program.steps]
        branches: list[set[tuple[str, str, bool]]] = [set() for _ in program.steps]
        for side in self.sides:
            answer = side.receive(timeout)
            if not isinstance(answer, dict) or answer.get("status") == "timeout":
                self.cut += 1
            steps = answer.get("steps") if isinstance(answer, dict) else None
            for index, observation in enumerate(steps if isinstance(steps, list) else []):
                if index < len(comparisons):
                    comparisons[index] += parse_log(observation)
                    taken = parse_branches(side.name, observation)
                    branches[index] |= taken
                    self.reached[side.name].update((site, way) for _, site, way in taken)
        return [StepLog(c, frozenset(b), [c]) for c, b in zip(comparisons, branches, strict=True)]

    def coverage(self) -> dict[str, tuple[int, int]]:
        """Per side, the branches taken by any program logged, out of the package's."""
        return {
            name: (min(len(self.reached[name]), total), total)
            for name, total in self.branches.items()
        }

    def close(self) -> None:
        for side in self.sides:
            side.close()

    def __enter__(self) -> Loggers:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
