"""How many of the changes the golden tests miss the differential search catches, by budget.

The golden suite's surviving mutants of the original are exactly the changes a golden pass
cannot see: each one is a candidate that keeps every golden test green. This script grades
each survivor (rebuilt as plain source, as the probe search rebuilds it) as a candidate with
the differential stage alone, for each ``focus_factor`` given, as a hiring team's first
candidate of a new exercise meets it: no shipped probes and no probe search (a probe searched
on the survivor being graded would catch it by construction), a cache of its own, the
exercise's budgets (shrinking aside: it makes a counterexample smaller, not likelier). Some
survivors are equivalent mutants (no input tells them apart), so no budget reaches 100%; the
figures to compare are one search against another, and the search against what the
exercise's shipped probes (its author's long search) tell apart.

Nothing here is timed against a baseline: the counts do not depend on machine speed as long
as the stage's time ceiling is not hit (the script says when it was).

``--techniques`` compares, at the first focus factor, the search with and without each of its
newer techniques (the constants sweep, comparison feedback and its coverage rounds), in the
same run. Each search also says which phase first told each survivor apart (the origin of
the counterexample it reports). With several exercises (``--golden`` repeated, or ``--all``)
a table at the end gives, per exercise and in all, the first search's catch against the
shipped probes'.

    python benchmarks/catch_rate.py [--golden DIR ... | --all] [--focus 1,2,4] [--seed N]
                                    [--limit N] [--mutant KEY ...] [--diffs]
                                    [--techniques [--only NAME,...]]
"""

from __future__ import annotations

import argparse
import os
import re
import tempfile
import textwrap
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from refactor_check import exercise, isolation, settings, sources, workspace
from refactor_check.cache import Cache
from refactor_check.candidate import load as load_candidate
from refactor_check.checks import CheckContext
from refactor_check.checks import mutation as mutation_check
from refactor_check.differential import mutant_source, probes, stage
from refactor_check.differential.settings import DifferentialSettings
from refactor_check.results import Status
from refactor_check.results.differential import DifferentialResult
from refactor_check.runner import Runner

REPO = Path(__file__).resolve().parent.parent


@dataclass
class Tally:
    """One exercise's survivors, and what each search and the shipped probes told apart."""

    exercise: str
    graded: int = 0
    pinned: set[str] = field(default_factory=set)  # told apart by a shipped probe
    caught: dict[str, set[str]] = field(default_factory=dict)
    first_by: dict[str, Counter[str]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    timed_out: dict[str, int] = field(default_factory=dict)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--golden", type=Path, action="append", help="a golden repo (repeatable)")
    parser.add_argument("--all", action="store_true", help="every exercise in golden_repos/")
    parser.add_argument("--focus", default="1,2,4", help="focus factors to compare")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--sandbox", default="auto", choices=isolation.SANDBOX_MODES)
    parser.add_argument("--limit", type=int, default=0, help="grade only the first N survivors")
    parser.add_argument(
        "--mutant",
        action="append",
        default=[],
        help="grade only this survivor (mutmut's name, or its end after the module; repeatable)",
    )
    parser.add_argument(
        "--diffs", action="store_true", help="print the diff of each survivor no search caught"
    )
    parser.add_argument(
        "--techniques", action="store_true", help="compare the search without each technique"
    )
    parser.add_argument(
        "--only", default="", help="with --techniques: the searches to run, comma-separated"
    )
    args = parser.parse_args()
    if args.all:
        goldens = sorted(p.parent for p in (REPO / "golden_repos").glob("*/exercise.toml"))
    else:
        goldens = args.golden or [REPO / "golden_repos" / "invoice"]
    sandbox = isolation.probe(args.sandbox)
    print(f"load average {os.getloadavg()[0]:.1f}; seed {args.seed}")
    tallies = [_exercise(golden, args, sandbox) for golden in goldens]
    if len(tallies) > 1:
        _summary(tallies)
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


def _variants(
    args: argparse.Namespace, chosen: DifferentialSettings
) -> dict[str, DifferentialSettings]:
    factors = [int(f) for f in args.focus.split(",")]
    # Shrinking makes a counterexample smaller, not more likely: skipped here.
    variants = {f"x{f}": replace(chosen, focus_factor=f, shrink_attempts=1) for f in factors}
    if not args.techniques:
        return variants
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
    return variants


def _exercise(golden: Path, args: argparse.Namespace, sandbox: isolation.Sandbox) -> Tally:
    ex = exercise.load(golden)
    original = sources.load_package(ex.original, ex.package, ex.modules[1:])
    assert original is not None
    resolved = settings.resolve(ex, settings.CommandLine(seed=args.seed))
    variants = _variants(args, resolved.differential)
    tally = Tally(
        ex.name,
        caught={v: set() for v in variants},
        first_by={v: Counter() for v in variants},
        seconds=dict.fromkeys(variants, 0.0),
        timed_out=dict.fromkeys(variants, 0),
    )
    cache_root = os.environ.get("REFACTOR_CHECK_CACHE")
    print(f"== {ex.name} ({golden})")
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
                settings=resolved,
            )

        score = mutation_check.golden_on_original(context(ex.original), resolved.mutation)
        focus = score.blind_spots()
        survivors = [m for m in score.survivors if _chosen(m.key, args.mutant)]
        survivors = survivors[: args.limit or None]
        print(f"{len(score.survivors)} survivors of the golden suite; grading {len(survivors)}")
        for number, mutant in enumerate(survivors, 1):
            into = Path(scratch) / f"m{number:03d}"
            rebuilt = mutant_source.write_package(original, mutant, into)
            if rebuilt is None:
                print(f"  {mutant.key}: not rebuilt")
                continue
            tally.graded += 1
            row = []
            for name, budget in variants.items():
                started = time.monotonic()
                # No survivors to search and no shipped probes to replay: the search alone.
                result = stage.run(context(rebuilt.root), tuple(focus), budget, (), {})
                took = time.monotonic() - started
                tally.seconds[name] += took
                tally.timed_out[name] += result.time_budget_hit
                if result.status is Status.FAILED:
                    tally.caught[name].add(mutant.key)
                    tally.first_by[name][_phase(result)] += 1
                verdict = "caught" if result.status is Status.FAILED else "-"
                row.append(f"{name} {verdict} ({took:.0f} s)")
            print(f"  {mutant.key} ({mutant.function}): {', '.join(row)}", flush=True)
            if args.diffs and not any(mutant.key in c for c in tally.caught.values()):
                print(textwrap.indent(mutant.diff.rstrip("\n"), "      "), flush=True)
        shipped = probes.shipped(ex.root)
        tally.pinned = {
            m.key
            for m in survivors
            if getattr(shipped.get(probes.identity(m)), "status", None) == probes.TOLD_APART
        }
    _print_exercise(tally)
    return tally


def _chosen(key: str, wanted: list[str]) -> bool:
    """Whether ``--mutant`` picks this survivor (all of them when none is given)."""
    return not wanted or any(key == w or key.endswith("." + w) for w in wanted)


def _print_exercise(tally: Tally) -> None:
    n = tally.graded
    print(f"told apart by a shipped probe: {len(tally.pinned)}/{n}")
    print("search                   caught  stage seconds  time budget hit  with probes")
    for name, caught in tally.caught.items():
        print(
            f"  {name:<22} {len(caught):4d}/{n:<4d} {tally.seconds[name]:10.1f}      "
            f"{tally.timed_out[name]:<15d}  {len(caught | tally.pinned)}/{n}"
        )
    for name, first_by in tally.first_by.items():
        phases = ", ".join(f"{count} {phase}" for phase, count in first_by.most_common())
        print(f"  {name}: first caught by {phases or 'nothing'}")
    union = set().union(*tally.caught.values())
    for name, caught in tally.caught.items():
        if missed := sorted(union - caught):
            print(f"  {name} misses what another search caught: {', '.join(missed)}")
    for name, caught in tally.caught.items():
        if missed := sorted(tally.pinned - caught):
            print(f"  {name} misses what a shipped probe tells apart: {', '.join(missed)}")


def _summary(tallies: list[Tally]) -> None:
    """Per exercise and in all: the first search's catch against the shipped probes'."""
    name = next(iter(tallies[0].caught))
    print(f"\nfirst candidate ({name}) against the shipped probes")
    print("exercise     survivors  caught  shipped probes  caught / shipped")
    rows = [(t.exercise, t.graded, len(t.caught[name]), len(t.pinned)) for t in tallies]
    rows.append(("all", sum(r[1] for r in rows), sum(r[2] for r in rows), sum(r[3] for r in rows)))
    for exercise_name, graded, caught, pinned in rows:
        ratio = f"{caught / pinned:.0%}" if pinned else "-"
        rate = f"{caught / graded:.0%}" if graded else "-"
        print(f"  {exercise_name:<12} {graded:6d}  {caught:4d} ({rate})  {pinned:6d}  {ratio:>10}")


def _phase(result: DifferentialResult) -> str:
    """The phase a counterexample came from (its origin without the seed), or why none."""
    if not result.counterexamples:
        return "(a finding without a counterexample)"
    return re.sub(r" \(seed \d+\)$", "", result.counterexamples[0].origin)


if __name__ == "__main__":
    main()
