"""What differential testing costs, on the bundled exercise (or any golden repo and candidate).

1. The stage alone on a candidate (default: examples/invoice/clean_refactor), through the
   runner with the default budgets: wall time, calls compared per second, programs per second.
2. A full check of the same candidate (what ``run`` does: golden, mutation, differential,
   complexity, ...), first with a cold cache, then again with the exercise's work cached (the
   golden baseline, the golden suite's mutation score and the original's mutants, the
   recording, the probes: what every candidate after an exercise's first one meets), then a
   re-check of the same candidate (its report read back whole): the stage's share of each.
3. A bare ``mutmut run`` of the golden tests on the original (as benchmarks/mutation.py runs
   it): the targets are a whole check within 1.5x of it with the exercise cached, 2.5x cold,
   and a re-check within 0.2x.

Machine load moves every figure; the load average is printed before and after.

    python benchmarks/differential.py [--golden DIR] [--candidate DIR] [--seed N]
                                      [--sandbox auto|bwrap|none] [--repeat N] [--stage-only]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from refactor_check import exercise, isolation, pipeline, settings, sources, workspace
from refactor_check.cache import Cache
from refactor_check.candidate import load as load_candidate
from refactor_check.checks import CheckContext
from refactor_check.checks import differential as differential_check
from refactor_check.differential import probes
from refactor_check.report import Report
from refactor_check.runner import Runner

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from mutation import bare_mutmut  # noqa: E402 - the baseline, measured as its benchmark does


@dataclasses.dataclass(frozen=True)
class StageRun:
    seconds: float  # wall
    parent_cpu: float  # this process: the search, the comparisons, hypothesis
    children_cpu: float  # the workers and the children they fork, once reaped
    calls: int
    programs: int
    status: str


def stage(golden: Path, candidate: Path, seed: int, sandbox: isolation.Sandbox) -> StageRun:
    """The differential check alone. CPU seconds are less sensitive to the machine's load than
    wall seconds: compare those between runs on a busy machine."""
    ex = exercise.load(golden)
    original = sources.load_package(ex.original, ex.package, ex.modules[1:])
    assert original is not None
    chosen = settings.resolve(ex, settings.CommandLine(seed=seed))
    with (
        tempfile.TemporaryDirectory(prefix="bench-diff-cache-") as cache_dir,
        workspace.prepare() as ws,
    ):
        ctx = CheckContext(
            exercise=ex,
            original=original,
            candidate=load_candidate(candidate, ex),
            workspace=ws,
            runner=Runner(limits=ex.limits, sandbox=sandbox),
            cache=Cache(Path(cache_dir)),
            settings=chosen,
            # As grading does: the golden repo's shipped probes are replayed first.
            shipped_probes=probes.shipped(ex.root),
        )
        started, before = time.monotonic(), _cpu()
        result = differential_check.run(ctx)
        elapsed = time.monotonic() - started
    after = _cpu()
    return StageRun(
        elapsed,
        after[0] - before[0],
        after[1] - before[1],
        result.calls_compared,
        result.programs,
        result.status.value,
    )


def _cpu() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def full_checks(
    golden: Path, candidate: Path, seed: int, sandbox_mode: str
) -> list[dict[str, Any]]:
    """Three real gradings in one fresh cache: cold (the exercise's first candidate), again
    with the exercise cached (the next candidate), and a re-check of the same candidate
    (read back whole): each stage's timing."""
    timings = []
    with tempfile.TemporaryDirectory(prefix="bench-full-cache-") as cache_dir:
        previous = os.environ.get("REFACTOR_CHECK_CACHE")
        os.environ["REFACTOR_CHECK_CACHE"] = cache_dir
        try:
            options = pipeline.Options(golden=golden, sandbox=sandbox_mode, seed=seed)
            for grading in (pipeline.check, _fresh, pipeline.check):
                started = time.monotonic()
                report = grading(candidate, options)
                total = time.monotonic() - started
                from_cache = report.recheck is not None and report.recheck.from_cache
                timing = {} if from_cache else report.timing
                timings.append({**timing, "total": total, "verdict": report.verdict.verdict})
        finally:
            if previous is None:
                os.environ.pop("REFACTOR_CHECK_CACHE", None)
            else:
                os.environ["REFACTOR_CHECK_CACHE"] = previous
    return timings


def _fresh(candidate: Path, options: pipeline.Options) -> Report:
    """A grading that reads no earlier report back (the stages' own caches still apply)."""
    return pipeline.grade(candidate, options)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--golden", type=Path, default=REPO / "golden_repos" / "invoice")
    parser.add_argument(
        "--candidate", type=Path, default=REPO / "examples" / "invoice" / "clean_refactor"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--sandbox", default="auto", choices=isolation.SANDBOX_MODES)
    parser.add_argument("--repeat", type=int, default=1, help="runs of the stage; medians shown")
    parser.add_argument("--stage-only", action="store_true", help="skip the full check and mutmut")
    args = parser.parse_args()
    sandbox = isolation.probe(args.sandbox)
    print(
        f"load average {os.getloadavg()[0]:.1f}; sandbox {sandbox.isolation.mode}; seed {args.seed}"
    )
    runs = [stage(args.golden, args.candidate, args.seed, sandbox) for _ in range(args.repeat)]
    seconds = statistics.median(r.seconds for r in runs)
    calls, programs, status = runs[0].calls, runs[0].programs, runs[0].status
    print(f"differential stage on {args.candidate.name}: {status}")
    print(f"  wall                  {seconds:8.2f} s")
    print(f"  CPU, this process     {statistics.median(r.parent_cpu for r in runs):8.2f} s")
    if sandbox.isolation.mode == "bwrap":
        # The workers run below bwrap's own pid 1, whose children's times never reach us.
        print("  CPU, workers          (not seen through bwrap: --sandbox none measures it)")
    else:
        print(f"  CPU, workers          {statistics.median(r.children_cpu for r in runs):8.2f} s")
    print(f"  calls compared        {calls:8d}   ({calls / seconds:7.1f} per second)")
    print(f"  programs              {programs:8d}   ({programs / seconds:7.1f} per second)")
    if args.stage_only:
        return
    timings = full_checks(args.golden, args.candidate, args.seed, args.sandbox)
    labels = ("cold cache", "exercise cached", "re-check of the same candidate")
    for label, timing in zip(labels, timings, strict=True):
        print(f"full check ({label}): {timing['verdict']}")
        print(f"  total                 {timing['total']:8.2f} s")
        for name in ("golden", "mutation", "differential", "complexity"):
            if name in timing:
                print(f"  {name:<21} {timing[name]:8.2f} s")
        # Mutation and differential testing overlap: a share of the whole, not a part of a sum.
        print(f"  differential's share  {timing.get('differential', 0.0) / timing['total']:8.1%}")
    ex = exercise.load(args.golden)
    original = sources.load_package(ex.original, ex.package, ex.modules[1:])
    assert original is not None
    profile = settings.resolve(ex).mutation
    bare, mutants = bare_mutmut(original, ex.tests, profile)
    print(f"bare mutmut run of the golden tests ({profile.name}, {mutants} mutants): {bare:8.2f} s")
    cold, warm, again = (t["total"] / bare for t in timings)
    print(
        f"  full check / bare mutmut: cold {cold:5.2f}, exercise cached {warm:5.2f}, "
        f"re-check {again:5.2f}"
    )
    print("  (targets: cold <= 2.5, exercise cached <= 1.5, re-check <= 0.2)")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
