"""How much refactor-check's mutation stage costs on top of a bare ``mutmut run``.

For each workload (a package and the tests that score it), in this one process:

1. bare: a prepared copy (package, tests, the same setup.cfg) and ``python -m mutmut run``
   started directly, no sandbox, no limits;
2. stage: refactor-check's driver on the same code and tests, through the runner (sandbox,
   limits, result reading and diffs included): mutmut generates the mutants and collects its
   stats, and ``sandbox/mutant_batch.py`` tests them from one pytest session;
3. cached: the golden-adequacy score computed through the check a second time (a cache hit).

It prints wall times, the stage/bare ratio (target: at most 1.1), mutants per second (CPU
seconds too with ``--sandbox none``), whether every mutant got the status mutmut's own loop
gives it, and the cached re-run's share of the first run (target: under 5%). ``--examples``
adds every example's own tests on its package; ``--all`` does that for every exercise (the
agreement check over everything bundled).

    python benchmarks/mutation.py [--golden DIR ... | --all] [--examples] [--jobs N]
                                  [--profile NAME] [--sandbox MODE] [--repeat N]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import resource
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
    """A plain mutmut run on a prepared copy: the baseline (wall seconds, mutants)."""
    elapsed, statuses = bare_statuses(package, tests, profile)
    return elapsed, len(statuses)


def bare_statuses(
    package: sources.PackageSource, tests: Path, profile: profiles.MutationProfile
) -> tuple[float, dict[str, str]]:
    """A plain mutmut run on a prepared copy (mutmut's own loop, a pytest start per mutant):
    wall seconds and each mutant's status."""
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
    return elapsed, {m.key: m.status for m in mutants}


def stage(
    package: sources.PackageSource,
    tests: Path,
    profile: profiles.MutationProfile,
    sandbox: isolation.Sandbox,
) -> tuple[float, dict[str, str]]:
    """refactor-check's driver (mutmut generates, the batch tests): wall seconds, statuses."""
    with workspace.prepare() as ws:
        started = time.monotonic()
        outcome = mutmut_run.run(Runner(sandbox=sandbox), ws, package, tests, "bench", profile)
        elapsed = time.monotonic() - started
    if outcome.problem:
        raise SystemExit(f"mutation stage failed: {outcome.problem}")
    return elapsed, {m.key: m.status for m in outcome.mutants}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


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


def _workloads(golden: Path, every_example: bool) -> list[tuple[str, sources.PackageSource, Path]]:
    """The golden tests on the original, and each example's own tests on its package
    (clean_refactor's only, unless ``every_example``)."""
    ex = exercise.load(golden)
    original = sources.load_package(ex.original, ex.package, ex.modules[1:])
    assert original is not None  # exercise.load checked it
    found = [(f"{ex.name}: golden tests on the original", original, ex.tests)]
    folder = REPO / "examples" / ex.name
    names = sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
    for name in names if every_example else ["clean_refactor"]:
        example = folder / name
        if not (example / "tests").is_dir():
            continue
        try:
            candidate = load_candidate(example, ex)
        except Exception:  # an example that does not load (a syntax error) has no score
            continue
        if candidate.rejected is not None:
            continue
        found.append(
            (f"{ex.name}: {name}'s own tests on its package", candidate.package, example / "tests")
        )
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--golden", type=Path, action="append", help="a golden repo (repeatable)")
    parser.add_argument("--all", action="store_true", help="every exercise and example")
    parser.add_argument(
        "--examples", action="store_true", help="every example with tests, not only clean_refactor"
    )
    parser.add_argument("--jobs", type=int, default=0)
    parser.add_argument("--profile", default="quick")
    parser.add_argument("--sandbox", default="auto", choices=isolation.SANDBOX_MODES)
    parser.add_argument("--repeat", type=int, default=1, help="alternate runs; medians shown")
    args = parser.parse_args()
    profile = profiles.load(args.profile)
    if args.jobs:
        profile = dataclasses.replace(profile, jobs=args.jobs)
    sandbox = isolation.probe(args.sandbox)
    goldens = sorted(p.parent for p in (REPO / "golden_repos").glob("*/exercise.toml"))
    chosen = goldens if args.all else args.golden or [REPO / "golden_repos" / "invoice"]
    workloads = []
    for golden in chosen:
        workloads += _workloads(golden, every_example=args.all or args.examples)
    print(f"profile {profile.name}, {profile.workers} workers, sandbox {sandbox.isolation.mode}")
    disagreeing = 0
    for label, package, tests in workloads:
        bares, ourses, bare_cpus, our_cpus = [], [], [], []
        for _ in range(args.repeat):  # alternated, so drift in machine load hits both alike
            before = _children_cpu()
            try:
                bare_time, theirs = bare_statuses(package, tests, profile)
            except subprocess.CalledProcessError as failed:  # e.g. tests failing on it
                print(f"{label}\n  skipped: mutmut exited with {failed.returncode}")
                break
            middle = _children_cpu()
            our_time, ours_statuses = stage(package, tests, profile, sandbox)
            bare_cpus.append(middle - before)
            our_cpus.append(_children_cpu() - middle)
            bares.append(bare_time)
            ourses.append(our_time)
        if not bares:
            continue
        bare, ours = statistics.median(bares), statistics.median(ourses)
        mutants = len(theirs)
        differ = sorted(
            k for k in theirs.keys() | ours_statuses.keys() if theirs.get(k) != ours_statuses.get(k)
        )
        disagreeing += bool(differ)
        print(f"{label}")
        print(f"  bare mutmut run      {bare:7.2f} s  {mutants} mutants  {mutants / bare:6.1f}/s")
        print(
            f"  refactor-check stage {ours:7.2f} s  {len(ours_statuses)} mutants  "
            f"{len(ours_statuses) / ours:6.1f}/s"
        )
        print(f"  ratio stage/bare     {ours / bare:7.3f}  (target <= 1.1)")
        if sandbox.isolation.mode != "bwrap":  # through bwrap the stage's children are not ours
            bare_cpu, our_cpu = statistics.median(bare_cpus), statistics.median(our_cpus)
            print(f"  CPU seconds          bare {bare_cpu:6.1f}, stage {our_cpu:6.1f}")
        print(
            f"  statuses as mutmut's own loop: {mutants - len(differ)} of {mutants}"
            + "".join(
                f"\n    differs: {k}: {theirs.get(k)} vs {ours_statuses.get(k)}"
                for k in differ[:10]
            )
        )
    if args.all or args.examples:
        print(
            f"workloads whose statuses differ from mutmut's own loop: "
            f"{disagreeing} of {len(workloads)}"
        )
        return
    first, second = cached_rerun(chosen[0], profile, sandbox)
    print("golden adequacy through the check")
    print(
        f"  first run {first:7.2f} s, cached re-run {second:7.3f} s, "
        f"share {second / first:.2%}  (target < 5%)"
    )


if __name__ == "__main__":
    main()
