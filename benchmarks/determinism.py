"""Grade example submissions twice, on an idle machine and beside a CPU hog, and compare.

A verdict must not depend on how busy the machine is: every search budget is a count, and
time limits are ceilings that say when they cut. For each example chosen, this script runs
``refactor-check run`` twice with a cold cache each time, the second time while hog processes
(one per core, started and stopped here) keep every core busy, then compares the two
report.json files outside ``timing`` and checks the verdict against the exercise's README.

    python benchmarks/determinism.py [--exercise NAME ...] [--example NAME ...] [-- RUN_ARGS]

Arguments after ``--`` go to every run (``--no-mutation`` for a quicker pass). Prints one line
per example: the verdicts, whether the reports are identical outside ``timing`` (and where
they first differ when not), and both wall times with their ratio. Exits 1 when any pair
differs or a verdict is not the README's, 2 when a run could not complete.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

from examples import EXAMPLES, expected_verdicts  # noqa: E402

# Fields whose values are wall-clock measurements: expected to differ between the two runs.
_TIMED = ("timing",)


def _hog(stop: Any) -> None:
    while not stop.is_set():
        sum(i * i for i in range(10_000))


def grade(
    golden: Path, candidate: Path, out: Path, extra: list[str]
) -> tuple[dict[str, Any], float]:
    """One cold-cache run; its report and wall time."""
    with tempfile.TemporaryDirectory(prefix="determinism-cache-") as cache:
        env = {**os.environ, "REFACTOR_CHECK_CACHE": cache, "NO_COLOR": "1"}
        started = time.monotonic()
        command = [sys.executable, "-m", "refactor_check", "run", str(candidate)]
        command += ["--golden", str(golden), "--out", str(out), *extra]
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=3600)
        elapsed = time.monotonic() - started
    if done.returncode not in (0, 1):
        raise RuntimeError(f"{candidate.name}: exit {done.returncode}: {done.stderr[-500:]}")
    return json.loads((out / "report.json").read_text(encoding="utf-8")), elapsed


def first_difference(a: Any, b: Any, where: str = "") -> str | None:
    """The path of the first place two JSON values differ, or None."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if key in _TIMED and not where:
                continue
            found = first_difference(a.get(key), b.get(key), f"{where}.{key}")
            if found is not None:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{where} (length {len(a)} vs {len(b)})"
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            found = first_difference(x, y, f"{where}[{index}]")
            if found is not None:
                return found
        return None
    return None if a == b else where or "."


def main(argv: list[str]) -> int:
    extra: list[str] = []
    if "--" in argv:
        extra = argv[argv.index("--") + 1 :]
        argv = argv[: argv.index("--")]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exercise", action="append", help="exercise(s) to grade")
    parser.add_argument("--example", action="append", help="example folder(s) to grade")
    args = parser.parse_args(argv)
    exercises = args.exercise or sorted(p.name for p in EXAMPLES.iterdir() if p.is_dir())
    failed = broken = 0
    for exercise in exercises:
        golden = REPO / "golden_repos" / exercise
        for name, expected in expected_verdicts(exercise).items():
            if args.example and name not in args.example:
                continue
            candidate = EXAMPLES / exercise / name
            with tempfile.TemporaryDirectory(prefix="determinism-") as scratch:
                try:
                    idle, idle_seconds = grade(golden, candidate, Path(scratch) / "idle", extra)
                    stop = multiprocessing.Event()
                    hogs = [
                        multiprocessing.Process(target=_hog, args=(stop,), daemon=True)
                        for _ in range(os.cpu_count() or 2)
                    ]
                    for hog in hogs:
                        hog.start()
                    try:
                        busy, busy_seconds = grade(golden, candidate, Path(scratch) / "busy", extra)
                    finally:
                        stop.set()
                        for hog in hogs:
                            hog.join(timeout=5)
                except (RuntimeError, subprocess.TimeoutExpired, OSError, ValueError) as exc:
                    print(f"{exercise}/{name}: could not grade: {exc}")
                    broken += 1
                    continue
            difference = first_difference(idle, busy)
            verdicts = f"{idle['verdict']} / {busy['verdict']} (README: {expected})"
            same = "identical outside timing" if difference is None else f"DIFFER at {difference}"
            ratio = busy_seconds / idle_seconds if idle_seconds else float("nan")
            print(
                f"{exercise}/{name}: {verdicts}; {same}; idle {idle_seconds:.1f} s, "
                f"busy {busy_seconds:.1f} s ({ratio:.2f}x)"
            )
            if difference is not None or idle["verdict"] != expected:
                failed += 1
    return 2 if broken else 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
