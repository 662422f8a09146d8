"""What reading a 20-commit history adds to a full check (target: at most 30 %).

Builds a submission for the `ratelimit` exercise with 20 commits after the starter
(characterization tests, three refactoring steps, then sixteen small tidying commits, each a
new tree), then, in this one process and with one cache directory:

1. warm-up: a full check with ``--no-history`` (fills the exercise's caches: the golden
   baseline, the recording, the golden suite's mutation score), not counted;
2. baseline: the same full check with ``--no-history``;
3. history: the same full check reading the history (every commit checked afresh: nothing
   of the history is cached yet, the exercise's caches are warm as in 2).

It prints both wall times, the ratio (target: at most 1.3), the history stage's own time and
the facts found, so a change that makes the history slower shows up as a ratio.

    python benchmarks/history.py [--commits 20] [--sandbox auto]
"""

from __future__ import annotations

import argparse
import json
import os
import runpy
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


def submission(out: Path, commits: int) -> Path:
    """A repository with ``commits`` commits after the starter, each a new tree."""
    build = runpy.run_path(str(REPO / "examples" / "history" / "build.py"))
    steps = build["pinned_first"]()  # the starter, the tests, three refactoring steps
    files = dict(steps[-1][1])
    modules = sorted(p for p in files if p.startswith("throttle/") and p.endswith(".py"))
    for number in range(commits - (len(steps) - 1)):
        path = modules[number % len(modules)]
        files[path] = (
            files[path] + f"\n# Tidy-up {number + 1}: nothing behaves differently.\n".encode()
        )
        steps.append((f"Tidy {path} ({number + 1})", dict(files)))
    build["commit_all"](out, steps)
    return out


def grade(
    candidate: Path, out: Path, cache: Path, sandbox: str, *extra: str
) -> tuple[float, dict[str, Any]]:
    env = {**os.environ, "REFACTOR_CHECK_CACHE": str(cache)}
    argv = [sys.executable, "-m", "refactor_check", "run", str(candidate), "--out", str(out)]
    started = time.monotonic()
    completed = subprocess.run(
        [*argv, "--sandbox", sandbox, "-q", *extra], env=env, capture_output=True, text=True
    )
    seconds = time.monotonic() - started
    if completed.returncode not in (0, 1):
        raise SystemExit(f"grading failed ({completed.returncode}): {completed.stderr.strip()}")
    return seconds, json.loads((out / "report.json").read_text("utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, default=20)
    parser.add_argument("--sandbox", default="auto")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-history-") as tmp:
        root = Path(tmp)
        candidate = submission(root / "submission", args.commits)
        cache = root / "cache"
        grade(candidate, root / "warm", cache, args.sandbox, "--no-history")
        baseline, _ = grade(candidate, root / "baseline", cache, args.sandbox, "--no-history")
        with_history, report = grade(candidate, root / "history", cache, args.sandbox)
    history = report["history"]
    facts = history.get("facts") or {}
    print(f"commits after the starter: {len(history.get('commits', []))}")
    print(f"full check, --no-history: {baseline:7.1f} s")
    print(f"full check, history:      {with_history:7.1f} s")
    print(f"history stage alone:      {report['timing'].get('history', 0.0):7.1f} s")
    print(f"ratio: {with_history / baseline:.2f} (target: at most 1.30)")
    pinned = facts.get("pinned_first") or {}
    print(
        f"facts: pinned first {pinned.get('count')} tests, "
        f"{pinned.get('mutants_killed')} of {pinned.get('mutants_total')} mutants killed; "
        f"{facts.get('green_commits')} of {facts.get('judged_commits')} commits green"
    )


if __name__ == "__main__":
    main()
