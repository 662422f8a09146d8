"""How much refactor-check's mutation stage costs on top of a bare ``mutmut run``.

For each workload (a package and the tests that score it), in this one process:

1. bare: a prepared copy (package, tests, the same setup.cfg) and ``python -m mutmut run``
   started directly, no sandbox, no limits;
2. stage: refactor-check's mutmut driver on the same code and tests, through the runner
   (sandbox, limits, result reading and diffs included);
3. cached: the golden-adequacy score computed through the check a second time (a cache hit).

It prints wall times, the stage/bare ratio (target: at most 1.1), mutants per second, and the
cached re-run's share of the first run (target: under 5%).

    python benchmarks/mutation.py [--golden DIR] [--jobs N] [--profile NAME]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from refactor_check import exercise, isolation, settings, sources, workspace
from refactor_check.cache import Cache
from refactor_check.candidate import load as load_candidate
from refactor_check.checks import CheckContext
from refactor_check.checks import mutation as mutation_check
from refactor_check.mutation import mutmut_run, profiles
from refactor_check.runner import Runner

REPO = Path(__file__).resolve().parent.parent


def bare_mutmut(
    package: sources.PackageSource, tests: Path, profile: profiles.MutationProfile
) -> tuple[float, int]:
    """A plain mutmut run on a prepared copy: the baseline."""
    with tempfile.TemporaryDirectory(prefix="bench-bare-") as tmp:
        root = Path(tmp)
        workspace.copy_package(package, root)
        workspace.copy_tree(tests, root / "tests")
        (root / ".pytest.ini").write_text("[pytest]\n")
        (root / "setup.cfg").write_text(mutmut_run.setup_cfg(package, (), profile))
        env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
        started = time.monotonic()
        subprocess.run(
            [sys.executable, "-m", "mutmut", "run", "--max-children", str(profile.workers)],
            cwd=root,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=True,
        )
        elapsed = time.monotonic() - started
        mutants = mutmut_run.read_results(root, package)
    return elapsed, len(mutants)


def stage(
    package: sources.PackageSource,
    tests: Path,
    profile: profiles.MutationProfile,
    sandbox: isolation.Sandbox,
) -> tuple[float, int]:
    with workspace.prepare() as ws:
        started = time.monotonic()
        outcome = mutmut_run.run(Runner(sandbox=sandbox), ws, package, tests, "bench", profile)
        elapsed = time.monotonic() - started
    if outcome.problem:
        raise SystemExit(f"mutation stage failed: {outcome.problem}")
    return elapsed, len(outcome.mutants)


def cached_rerun(
    golden: Path, profile: profiles.MutationProfile, sandbox: isolation.Sandbox
) -> tuple[float, float]:
    ex = exercise.load(golden)
    original = sources.load_package(ex.original, ex.package, ex.modules[1:])
    assert original is not None  # exercise.load checked it
    with tempfile.TemporaryDirectory(prefix="bench-cache-") as cache_dir:
        cache = Cache(Path(cache_dir))
        times = []
        for _ in range(2):
            with workspace.prepare() as ws:
                ctx = CheckContext(
                    exercise=ex,
                    original=original,
                    candidate=load_candidate(ex.original, ex),
                    workspace=ws,
                    runner=Runner(sandbox=sandbox),
                    cache=cache,
                    settings=settings.resolve(ex),
                )
                started = time.monotonic()
                mutation_check.golden_on_original(ctx, profile)
                times.append(time.monotonic() - started)
    return times[0], times[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--golden", type=Path, default=REPO / "golden_repos" / "invoice")
    parser.add_argument("--jobs", type=int, default=0)
    parser.add_argument("--profile", default="quick")
    parser.add_argument("--sandbox", default="auto", choices=isolation.SANDBOX_MODES)
    parser.add_argument("--repeat", type=int, default=1, help="alternate runs; medians shown")
    args = parser.parse_args()
    profile = profiles.load(args.profile)
    if args.jobs:
        profile = dataclasses.replace(profile, jobs=args.jobs)
    sandbox = isolation.probe(args.sandbox)
    ex = exercise.load(args.golden)
    original = sources.load_package(ex.original, ex.package, ex.modules[1:])
    assert original is not None
    workloads = [(f"{ex.name}: golden tests on the original", original, ex.tests)]
    clean = REPO / "examples" / ex.name / "clean_refactor"
    if (clean / "tests").is_dir():
        candidate = load_candidate(clean, ex)
        workloads.append(
            (
                f"{ex.name}: clean_refactor's own tests on its package",
                candidate.package,
                clean / "tests",
            )
        )
    print(f"profile {profile.name}, {profile.workers} workers, sandbox {sandbox.isolation.mode}")
    for label, package, tests in workloads:
        bares, ourses = [], []
        for _ in range(args.repeat):  # alternated, so drift in machine load hits both alike
            bare_time, mutants = bare_mutmut(package, tests, profile)
            our_time, ours_mutants = stage(package, tests, profile, sandbox)
            bares.append(bare_time)
            ourses.append(our_time)
        bare, ours = statistics.median(bares), statistics.median(ourses)
        print(f"{label}")
        print(f"  bare mutmut run      {bare:7.2f} s  {mutants} mutants  {mutants / bare:6.1f}/s")
        print(
            f"  refactor-check stage {ours:7.2f} s  {ours_mutants} mutants  "
            f"{ours_mutants / ours:6.1f}/s"
        )
        print(f"  ratio stage/bare     {ours / bare:7.3f}  (target <= 1.1)")
    first, second = cached_rerun(args.golden, profile, sandbox)
    print("golden adequacy through the check")
    print(
        f"  first run {first:7.2f} s, cached re-run {second:7.3f} s, "
        f"share {second / first:.2%}  (target < 5%)"
    )


if __name__ == "__main__":
    main()
