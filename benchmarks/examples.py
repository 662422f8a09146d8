"""Grade every example submission of every built-in exercise and check the verdicts.

For each exercise under ``examples/<name>/``: copy its example folders into a cohort
directory (each folder one candidate), run ``refactor-check batch`` on it through the command
line with the full default pipeline (golden, mutation, differential, complexity), and compare
each candidate's verdict in cohort.csv with the one the exercise's ``examples/<name>/README.md``
gives it. Prints one line per candidate and the wall time of each batch; exits 1 when any
verdict differs (each is named), 2 when a batch could not run.

    python benchmarks/examples.py [--exercise NAME ...] [--jobs N] [--out DIR] [-- BATCH_ARGS]

Arguments after ``--`` go to every ``refactor-check batch`` (``--no-mutation`` for a quick
pass, ``--mutation-profile quick``, ``--sandbox none``, ...). With ``--out`` the cohort tables
and reports are kept there (``DIR/<exercise>/``), and a second run resumes from them.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
VERDICTS = ("preserved", "changed", "error")
# Left out of a cohort copy: byproducts of running an example's own tests by hand.
_IGNORED = shutil.ignore_patterns("__pycache__", ".pytest_cache", "*.pyc")
# A README gives each example's verdict as the first bold word of its table row's last cell
# ("| `name` | ... | **changed** by design ... |") or after "Expected verdict:" in its list
# item ("- `name`: ... Expected verdict: **preserved**.").
_ROW = re.compile(r"^\|\s*`(?P<name>[\w.-]+)`\s*\|.*\|(?P<last>[^|]*)\|\s*$")
_ITEM = re.compile(r"^[-*]\s+`(?P<name>[\w.-]+)`:.*?Expected verdict:\s*(?P<last>.*)$")
_BOLD = re.compile(r"\*\*(\w+)")


def expected_verdicts(exercise: str, examples: Path = EXAMPLES) -> dict[str, str]:
    """Each example folder's expected verdict, as its exercise's README states it.

    A folder the README gives no verdict is left out (``unlisted`` names them)."""
    readme = (examples / exercise / "README.md").read_text(encoding="utf-8")
    found: dict[str, str] = {}
    for line in readme.splitlines():
        match = _ROW.match(line.strip()) or _ITEM.match(line.strip())
        if match is None:
            continue
        bold = _BOLD.search(match.group("last"))
        if bold is not None and bold.group(1) in VERDICTS:
            found[match.group("name")] = bold.group(1)
    folders = _folders(exercise, examples)
    return {name: verdict for name, verdict in sorted(found.items()) if name in folders}


def unlisted(exercise: str, examples: Path = EXAMPLES) -> list[str]:
    """Example folders the exercise's README gives no expected verdict."""
    return sorted(_folders(exercise, examples) - set(expected_verdicts(exercise, examples)))


def _folders(exercise: str, examples: Path) -> set[str]:
    return {p.name for p in (examples / exercise).iterdir() if p.is_dir()}


def make_cohort(exercise: str, root: Path, examples: Path = EXAMPLES) -> Path:
    """``root`` holding a copy of each example its README gives a verdict: one candidate each."""
    root.mkdir(parents=True, exist_ok=True)
    for name in expected_verdicts(exercise, examples):
        shutil.copytree(examples / exercise / name, root / name, ignore=_IGNORED)
    return root


def read_cohort(out: Path) -> list[dict[str, str]]:
    with open(out / "cohort.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@dataclass(frozen=True)
class Outcome:
    exercise: str
    code: int
    seconds: float
    rows: list[dict[str, str]]
    expected: dict[str, str]

    @property
    def wrong(self) -> list[str]:
        got = {r["candidate"]: r["verdict"] for r in self.rows}
        return [
            f"{self.exercise}/{name}: {got.get(name, 'not graded')}, expected {verdict}"
            for name, verdict in self.expected.items()
            if got.get(name) != verdict
        ]


def grade(exercise: str, work: Path, jobs: int | None, extra: list[str]) -> Outcome:
    expected = expected_verdicts(exercise)  # read once: the cohort is what it lists
    for name in unlisted(exercise):
        print(f"{exercise}/{name}: no expected verdict in its README, not graded")
    cohort = make_cohort(exercise, work / "cohort" / exercise)
    out = work / "out" / exercise
    argv = [sys.executable, "-m", "refactor_check", "batch", str(cohort)]
    argv += ["--exercise", exercise, "--out", str(out), *extra]
    if jobs is not None:
        argv += ["--jobs", str(jobs)]
    started = time.monotonic()
    completed = subprocess.run(argv, cwd=REPO, capture_output=True, text=True)
    seconds = time.monotonic() - started
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout + completed.stderr)
    rows = read_cohort(out) if (out / "cohort.csv").is_file() else []
    return Outcome(exercise, completed.returncode, seconds, rows, expected)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--exercise", action="append", help="default: every one in examples/")
    parser.add_argument("--jobs", type=int, help="gradings at a time (default: one per core)")
    parser.add_argument("--out", type=Path, help="keep the cohorts and reports here")
    parser.add_argument("batch_args", nargs="*", help="after --: passed to every batch")
    args = parser.parse_args()
    exercises = args.exercise or sorted(
        p.name for p in EXAMPLES.iterdir() if (REPO / "golden_repos" / p.name).is_dir()
    )
    print(f"load average before: {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)")
    with tempfile.TemporaryDirectory(prefix="rc-examples-") as tmp:
        work = args.out or Path(tmp)
        if args.out is not None:
            shutil.rmtree(work / "cohort", ignore_errors=True)  # copied afresh every time
        outcomes = [grade(e, work, args.jobs, args.batch_args) for e in exercises]
    wrong: list[str] = []
    for outcome in outcomes:
        print(f"{outcome.exercise}: batch exit {outcome.code}, {outcome.seconds:.1f} s")
        for row in outcome.rows:
            expected = outcome.expected.get(row["candidate"], "?")
            mark = "ok" if row["verdict"] == expected else "WRONG"
            mismatches = row["differential_mismatches"] or "-"
            print(
                f"  {row['candidate']:<16} {row['verdict']:<9} expected {expected:<9} {mark:<5} "
                f"golden {row['golden_passed'] or '-'}/{row['golden_total'] or '-'}  "
                f"differential {mismatches}  own-tests mutation {row['mutation_score'] or '-'}  "
                f"{row['seconds']} s"
            )
        wrong += outcome.wrong
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    total = sum(len(o.expected) for o in outcomes)
    print(f"{total - len(wrong)} of {total} verdicts as expected")
    for line in wrong:
        print(f"  WRONG {line}")
    if any(o.code not in (0,) for o in outcomes):
        return 2
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
