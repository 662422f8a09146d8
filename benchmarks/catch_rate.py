"""How many of the changes the golden tests miss the differential search catches, by budget.

The golden suite's surviving mutants of the original are exactly the changes a golden pass
cannot see: each one is a candidate that keeps every golden test green. This script grades
each survivor (rebuilt as plain source, as the probe search rebuilds it) as a candidate with
the differential stage alone, for each ``focus_factor`` given, *without* the exercise's probes
(they were searched on these same mutants; with them the figure would be circular), and
counts the survivors ruled changed. Some survivors are equivalent mutants (no input tells
them apart), so no budget reaches 100%; the figure to compare is one budget against another.

Nothing here is timed against a baseline: the counts do not depend on machine speed as long
as the stage's time budget does not run out (the script says when it did).

Grading replays the exercise's shipped probes first (``differential_probes.json``), so the
last column adds the survivors a shipped probe tells apart: what grading catches.

``--techniques`` compares, at the first focus factor, the search with and without each of its
newer techniques (the constants sweep, comparison feedback and its coverage rounds), in the
same run: what each adds on an exercise whose probes are not used, as on a hiring team's
first candidate.

    python benchmarks/catch_rate.py [--golden DIR] [--focus 1,2,4] [--seed N] [--limit N]
                                    [--techniques [--only NAME,...]]

Each search also says which phase first told each survivor apart (the origin of the
counterexample it reports).
"""

from __future__ import annotations

import argparse
import os
import re
import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

from refactor_check import exercise, isolation, settings, sources, workspace
from refactor_check.cache import Cache
from refactor_check.candidate import load as load_candidate
from refactor_check.checks import CheckContext
from refactor_check.checks import differential as differential_check
from refactor_check.checks import mutation as mutation_check
from refactor_check.checks.differential import DifferentialResult
from refactor_check.differential import mutant_source, probes
from refactor_check.results import Status
from refactor_check.runner import Runner

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--golden", type=Path, default=REPO / "golden_repos" / "invoice")
    parser.add_argument("--focus", default="1,2,4", help="focus factors to compare")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--sandbox", default="auto", choices=isolation.SANDBOX_MODES)
    parser.add_argument("--limit", type=int, default=0, help="grade only the first N survivors")
    parser.add_argument(
        "--techniques", action="store_true", help="compare the search without each technique"
    )
    parser.add_argument(
        "--only", default="", help="with --techniques: the searches to run, comma-separated"
    )
    args = parser.parse_args()
    factors = [int(f) for f in args.focus.split(",")]
    ex = exercise.load(args.golden)
    original = sources.load_package(ex.original, ex.package)
    assert original is not None
    resolved = settings.resolve(ex, settings.CommandLine(seed=args.seed))
    chosen = resolved.differential
    # Shrinking makes a counterexample smaller, not more likely: skipped here.
    variants = {f"x{f}": replace(chosen, focus_factor=f, shrink_attempts=1) for f in factors}
    if args.techniques:
        base = variants[f"x{factors[0]}"]
        variants = {
            "all": base,
            "no constants sweep": replace(base, constant_calls=0),
            "no coverage rounds": replace(base, comparison_rounds=0),
            "no comparison feedback": replace(base, comparison_calls=0),
            "neither": replace(base, constant_calls=0, comparison_calls=0),
        }
        if args.only:
            variants = {k: v for k, v in variants.items() if k in args.only.split(",")}
    profile = resolved.mutation
    sandbox = isolation.probe(args.sandbox)
    cache_root = os.environ.get("REFACTOR_CHECK_CACHE")
    print(f"load average {os.getloadavg()[0]:.1f}; {args.golden.name}; seed {args.seed}")
    with (
        tempfile.TemporaryDirectory(prefix="bench-catch-") as scratch,
        workspace.prepare() as ws,
    ):
        cache = Cache(Path(cache_root) if cache_root else Path(scratch) / "cache")

        def context(candidate_dir: Path) -> CheckContext:
            return CheckContext(
                exercise=ex,
                original=original,
                candidate=load_candidate(candidate_dir, ex),
                workspace=ws,
                runner=Runner(limits=ex.limits, sandbox=sandbox),
                cache=cache,
            )

        score = mutation_check.golden_on_original(context(ex.original), profile)
        focus = score.blind_spots()
        survivors = list(score.survivors)[: args.limit or None]
        print(f"{len(score.survivors)} survivors of the golden suite; grading {len(survivors)}")
        caught: dict[str, set[str]] = {v: set() for v in variants}
        seconds: dict[str, float] = dict.fromkeys(variants, 0.0)
        timed_out: dict[str, int] = dict.fromkeys(variants, 0)
        # What first told each survivor apart: the phase of the reported counterexample.
        first_by: dict[str, Counter[str]] = {v: Counter() for v in variants}
        for number, mutant in enumerate(survivors, 1):
            into = Path(scratch) / f"m{number:03d}"
            rebuilt = mutant_source.write_package(original, mutant, into)
            if rebuilt is None:
                print(f"  {mutant.key}: not rebuilt")
                continue
            row = []
            for name, budget in variants.items():
                started = time.monotonic()
                # No survivors to search and no shipped probes to replay: the search alone.
                result = differential_check.run(context(rebuilt.root), focus, budget, (), {})
                took = time.monotonic() - started
                seconds[name] += took
                timed_out[name] += result.time_budget_hit
                if result.status is Status.FAILED:
                    caught[name].add(mutant.key)
                    first_by[name][_phase(result)] += 1
                verdict = "caught" if result.status is Status.FAILED else "-"
                row.append(f"{name} {verdict} ({took:.0f} s)")
            print(f"  {mutant.key} ({mutant.function}): {', '.join(row)}", flush=True)
        shipped = probes.shipped(ex.root)
        pinned = {
            m.key
            for m in survivors
            if getattr(shipped.get(probes.identity(m)), "status", None) == probes.TOLD_APART
        }
        print(f"told apart by a shipped probe: {len(pinned)}/{len(survivors)}")
        print("search                   caught  stage seconds  time budget hit  with probes")
        for name in variants:
            print(
                f"  {name:<22} {len(caught[name]):4d}/{len(survivors):<4d} "
                f"{seconds[name]:10.1f}      {timed_out[name]:<15d}  "
                f"{len(caught[name] | pinned)}/{len(survivors)}"
            )
        for name in variants:
            phases = ", ".join(f"{n} {phase}" for phase, n in first_by[name].most_common())
            print(f"  {name}: first caught by {phases or 'nothing'}")
        union = set().union(*caught.values())
        for name in variants:
            missed = sorted(union - caught[name])
            if missed:
                print(f"  {name} misses what another search caught: {', '.join(missed)}")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


def _phase(result: DifferentialResult) -> str:
    """The phase a counterexample came from (its origin without the seed), or why none."""
    if not result.counterexamples:
        return "(a finding without a counterexample)"
    return re.sub(r" \(seed \d+\)$", "", result.counterexamples[0].origin)


if __name__ == "__main__":
    main()
