"""Drive one mutation run in a run directory and read back every mutant's fate.

refactor-check lays the run out itself (package, tests, a generated setup.cfg ``[mutmut]``
section) and starts, through the runner (sandboxed, wall-clock limited, process group and
cgroup killed at the end), first mutmut, which generates the mutants and collects its stats
and stops there, then ``sandbox/mutant_batch.py``, which tests the mutants from one pytest
session and writes mutmut's exit codes where mutmut would. The results are read from the
files mutmut lays out: ``mutants/<file>.meta`` (an exit code per mutant) and
``mutants/<file>.spans`` (where each mutant's function text sits, from which the diff is
made). An exit status alone says little, so completeness is judged from the per-mutant
results: a mutant without one is ``not_checked``.

A sharded run (``shard``) tests only the mutants whose keys the shard owns; the others are
left out of its outcome, and ``subset`` records what they were chosen from, so that the
shards' outcomes can be joined and checked for completeness.
"""

from __future__ import annotations

import ast
import difflib
import json
import re
import textwrap
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from .. import suite
from ..limits import Limits
from ..results.mutation import (
    KILLED,
    NO_TESTS,
    NOT_CHECKED,
    SURVIVED,
    SUSPICIOUS,
    TIMEOUT,
    Mutant,
)
from ..runner import Ending, Runner, RunResult
from ..sandbox import MUTANT_BATCH, PYTEST_ENTRY
from ..sharding import Shard, digest
from ..sources import PackageSource
from ..workspace import RunDir, Workspace
from . import premutated
from .profiles import MutationProfile

# mutmut 3.8's exit codes per mutant (its own status table): 1 and 3 are test failures, 0 a
# clean pass, 5/33 no test selected, the timeout codes come from its SIGXCPU watchdog.
_STATUS_BY_CODE: dict[int | None, str] = {
    1: KILLED,
    3: KILLED,
    0: SURVIVED,
    5: NO_TESTS,
    33: NO_TESTS,
    -24: TIMEOUT,
    24: TIMEOUT,
    36: TIMEOUT,
    152: TIMEOUT,
    255: TIMEOUT,
    None: NOT_CHECKED,
}
# mutmut separates class and method in mangled names with this character (U+01C1).
_CLASS_SEPARATOR = "\u01c1"
# What mutmut prints (on stdout) when it cannot start mutating, most specific first.
_SETUP_FAILURES = (
    ("failed to collect stats", "the tests do not pass on the unmutated code"),
    ("Failed to run clean test", "the tests do not pass on the unmutated code"),
    ("Stopping early", "no test exercises any mutated function"),
    ("Unable to force test failures", "the tests pass even when every function raises"),
    ("BadTestExecutionCommandsException", "pytest rejected its command line"),
    ("Could not figure out where the code to mutate is", "mutmut found no code to mutate"),
)
_HUNK = re.compile(r"^@@ -(\d+)")
# mutmut 3.8 has no "generate only" command. A run filtered to a name no mutant key can have
# (keys always contain "__mutmut_") stops with this assertion right after generating every
# mutant and collecting stats: the .meta files then list every key, each still unchecked.
_LIST_ONLY = "refactor-check-lists-mutants"
_NOTHING_MATCHES = "Filtered for specific mutants, but nothing matches"


@dataclass(frozen=True)
class MutmutOutcome:
    mutants: tuple[Mutant, ...]
    problem: str | None  # why mutmut could not run the mutants at all, one line
    timed_out: bool  # the wall-clock limit ended the run: some mutants are not_checked
    duration: float
    log_tail: str
    subset: MutantSubset | None = None  # set when only one shard's mutants were tested
    # Tests that fail with mutmut's machinery active and no mutant in force (``null_mutant``):
    # they detect the harness, so a "kill" of theirs says nothing about behaviour.
    detectors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Tally:
    """How far a run is, as its .meta files say while it goes on: for display only."""

    done: int
    total: int
    killed: int
    survived: int


# Told how far a run is, about once a second while it goes on.
Watcher = Callable[[Tally], None]
_WATCH_EVERY = 1.0


@dataclass(frozen=True)
class MutantSubset:
    """What a shard's mutants were chosen from: every mutant mutmut generated."""

    shard: Shard
    generated: int
    keys_digest: str  # sharding.digest of every generated key: shards must agree on it


def setup_cfg(
    package: PackageSource,
    selection: Sequence[str],
    profile: MutationProfile,
    deselect: Sequence[str] = (),
) -> str:
    """The ``[mutmut]`` section mutmut 3.8 reads (list values: one item per line)."""
    extra = [arg for test_id in deselect for arg in ("--deselect", test_id)]
    paths = [p.name + ("" if p.suffix == ".py" else "/") for p in package.locations]
    lines = [
        "[mutmut]",
        _setting("source_paths", paths),
        _setting("pytest_add_cli_args_test_selection", list(selection) or ["tests/"]),
        # Our empty ini (copied along) keeps any other pytest configuration out of the run.
        _setting("also_copy", [".pytest.ini"]),
        _setting("pytest_add_cli_args", ["-p", "no:cacheprovider", *extra]),
        f"timeout_multiplier={profile.timeout_multiplier}",
        f"timeout_constant={profile.timeout_constant}",
        "use_git_change_detection=false",
    ]
    if profile.do_not_mutate:
        lines.append(_setting("do_not_mutate", unmutated_globs(package, profile.do_not_mutate)))
    if profile.do_not_mutate_patterns:
        lines.append(_setting("do_not_mutate_patterns", list(profile.do_not_mutate_patterns)))
    return "\n".join(lines) + "\n"


def unmutated_globs(package: PackageSource, globs: Sequence[str]) -> list[str]:
    """A profile's ``do_not_mutate`` globs as mutmut matches them, against paths relative to
    the run's root.

    A profile's globs are relative to the code, and code of several top-level modules and
    packages has several roots: a glob applies inside each package folder, and at the top
    level where a module is a single file. Applying it to the first module alone would mutate
    the very files an exercise of several modules asked to leave alone."""
    prefixes = [f"{loc.name}/" for loc in package.locations if loc.suffix != ".py"]
    if any(loc.suffix == ".py" for loc in package.locations):
        prefixes.append("")
    return list(dict.fromkeys(prefix + glob for glob in globs for prefix in prefixes))


def _setting(key: str, values: Sequence[str]) -> str:
    return f"{key}=\n" + "".join(f"    {v}\n" for v in values).rstrip("\n")


def run(
    runner: Runner,
    workspace: Workspace,
    package: PackageSource,
    tests: Path,
    label: str,
    profile: MutationProfile,
    selection: Sequence[str] = (),
    shard: Shard | None = None,
    leave_out: frozenset[str] = frozenset(),
    null_check: bool = False,
    deselect: Sequence[str] = (),
    watch: Watcher | None = None,
    generated: Mapping[str, str] | None = None,
    keep_generated: Callable[[dict[str, str]], None] | None = None,
) -> MutmutOutcome:
    """One mutmut run (without the tests ``deselect`` names); with ``null_check``, then the
    tests once more under a null mutant, whose failures are the outcome's ``detectors``.

    ``generated``: the package's mutants as an earlier run of the same code and profile
    generated them (``premutated``), laid in so that mutmut does not generate them again.
    ``keep_generated`` hears this run's generated files, when it generated and checked every
    mutant (a run cut short may have left a file half written)."""
    run_dir = workspace.new_run(label, package, tests, leave_out)
    config = setup_cfg(package, selection, profile, deselect)
    (run_dir.root / "setup.cfg").write_text(config, "utf-8")
    if generated:
        premutated.lay(run_dir.root, generated)
    limits = replace(runner.limits, wall_seconds=profile.wall_seconds)
    outcome = _run_mutants(runner, run_dir, package, limits, profile.workers, shard, watch)
    complete = outcome.problem is None and not outcome.timed_out and shard is None
    if keep_generated is not None and complete:
        files = premutated.collect(run_dir.root, tuple(p.name for p in package.locations))
        if files is not None:
            keep_generated(files)
    killed = [m for m in outcome.mutants if m.status == KILLED]
    if not null_check or not killed or outcome.problem is not None:
        return outcome
    # Every mutant generated, a shard's or not: the null key must be none of them.
    every = read_results(run_dir.root, package)
    return replace(outcome, detectors=null_mutant(runner, run_dir, every, runner.limits))


def null_mutant(
    runner: Runner, run_dir: RunDir, generated: Sequence[Mutant], limits: Limits
) -> tuple[str, ...]:
    """The tests that fail on mutmut's rewritten code while no mutant is in force;
    ``generated`` is every mutant of the run, so the null key is none of theirs.

    Every mutant run sets ``MUTANT_UNDER_TEST`` to a mutant's key; a test can read that (or
    anything else mutmut changes) and fail whenever a mutant looks active, "killing" every
    mutant without checking any behaviour. So the tests run once more in mutmut's own
    layout, with the key of a mutant that does not exist (the next number of a real
    function's mutants, shaped like every other key): the code is the unmutated code, and
    a test that fails has detected the harness. What the tests report here can only void
    kills, never add any: a forged pass leaves the score as mutmut measured it.
    """
    last = max(generated, key=lambda m: _number(m.key))
    prefix = last.key.rpartition("__mutmut_")[0]
    taken = {m.key for m in generated}
    number = _number(last.key) + 1
    while f"{prefix}__mutmut_{number}" in taken:
        number += 1
    null_key = f"{prefix}__mutmut_{number}"
    root = run_dir.root / "mutants"
    args = ["-c", str(root / ".pytest.ini"), "--rootdir", str(root)]
    args += ["--confcutdir", str(root / "tests"), "-p", "no:cacheprovider", "-q"]
    args += ["-p", "no:stepwise", "--continue-on-collection-errors"]
    result = runner.run_python(
        PYTEST_ENTRY,
        ["--sys-path", str(root), "--", *args, str(root / "tests")],
        run_dir,
        limits=limits,
        env={"MUTANT_UNDER_TEST": null_key},
        tool="mutmut",
    )
    return suite.failed_ids(result.messages)


def _number(key: str) -> int:
    tail = key.rpartition("__mutmut_")[2]
    return int(tail) if tail.isdigit() else 0


def _outcome(
    result: RunResult,
    mutants: tuple[Mutant, ...],
    subset: MutantSubset | None = None,
    tool: str = "mutmut",
) -> MutmutOutcome:
    log = result.stdout_tail + result.stderr_tail
    timed_out = result.ending is Ending.TIMEOUT
    problem = None
    if not timed_out and (result.exit_code != 0 or result.signal is not None):
        problem = diagnose(log, result.exit_code, result.signal, tool)
    return MutmutOutcome(
        mutants=mutants,
        problem=problem,
        timed_out=timed_out,
        duration=result.duration,
        log_tail=log[-4000:],
        subset=subset,
    )


def _run_mutants(
    runner: Runner,
    run_dir: RunDir,
    package: PackageSource,
    limits: Limits,
    workers: int,
    shard: Shard | None,
    watch: Watcher | None = None,
) -> MutmutOutcome:
    """Have mutmut generate every mutant and collect its stats, then test the mutants (a
    shard's only, when given) in one pytest session (``sandbox/mutant_batch.py``).

    mutmut's own loop starts pytest afresh for every mutant, which costs several times what
    the tests of a small exercise do; the batch collects the tests once and forks a child
    per mutant from there, with mutmut's limits, and fills in mutmut's ``.meta`` files, so
    the results read back as a mutmut run's. A listing that stops for any other reason than
    the empty filter (tests failing on the clean code, a time-out) is reported as mutmut
    reported it.
    """
    base = ["run", "--max-children", str(workers)]
    listing = runner.run_module("mutmut", [*base, _LIST_ONLY], run_dir, limits)
    generated = read_results(run_dir.root, package)
    subset = None
    owned = None
    if shard is not None:
        subset = MutantSubset(shard, len(generated), digest(m.key for m in generated))
        owned = frozenset(m.key for m in generated if shard.owns(m.key))
    if _NOTHING_MATCHES not in listing.stdout_tail + listing.stderr_tail:
        return _outcome(listing, _only(generated, owned), subset)
    if owned is not None and not owned:
        return MutmutOutcome((), None, False, listing.duration, "", subset)
    remaining = replace(limits, wall_seconds=max(1.0, limits.wall_seconds - listing.duration))
    args = ["--workers", str(workers)]
    if owned is not None:
        keys = run_dir.root / ".mutant-keys"
        keys.write_text("".join(f"{key}\n" for key in sorted(owned)), encoding="utf-8")
        args += ["--keys", keys.name]
    with _watching(run_dir.root, watch, owned):
        result = runner.run_tool_script(MUTANT_BATCH, args, run_dir, remaining, tool="mutmut")
    tested = _only(read_results(run_dir.root, package), owned)
    outcome = _outcome(result, tested, subset, tool="the mutants' batch")
    return replace(outcome, duration=listing.duration + result.duration)


def _only(mutants: tuple[Mutant, ...], keys: frozenset[str] | None) -> tuple[Mutant, ...]:
    """``mutants`` whose keys are in ``keys`` (all of them when ``keys`` is None)."""
    return mutants if keys is None else tuple(m for m in mutants if m.key in keys)


def diagnose(log: str, exit_code: int | None, signal: int | None, tool: str = "mutmut") -> str:
    for needle, meaning in _SETUP_FAILURES:
        if needle in log:
            return f"{meaning} (mutmut: {needle})"
    if signal is not None:
        return f"{tool} was killed by signal {signal}"
    last = [line.strip() for line in log.replace("\r", "\n").splitlines() if line.strip()]
    return f"{tool} exited with code {exit_code}: {last[-1][:200] if last else 'no output'}"


@contextmanager
def _watching(
    root: Path, watch: Watcher | None, owned: frozenset[str] | None = None
) -> Iterator[None]:
    """Tell ``watch`` how far the run in ``root`` is, while the body runs.

    The .meta files are rewritten by mutmut, inside the sandbox, after each mutant: what
    they say here is shown to the person watching and used for nothing else (the outcome is
    read once the run has ended, by ``read_results``).
    """
    if watch is None:
        yield
        return
    ended = threading.Event()

    last: list[Tally] = []

    def show() -> None:
        now = tally(root, owned)
        if now.total and now not in last:
            watch(now)
            last[:] = [now]

    def poll() -> None:
        while not ended.wait(_WATCH_EVERY):
            show()

    poller = threading.Thread(target=poll, name="mutmut-watch", daemon=True)
    poller.start()
    try:
        yield
    finally:
        ended.set()
        poller.join()
    show()  # where the run ended, which the last poll may not have seen


def tally(root: Path, owned: frozenset[str] | None = None) -> Tally:
    """The run's mutants so far (only ``owned`` ones, when given): cheap, no diffs."""
    codes: list[object] = []
    for meta_path in (root / "mutants").rglob("*.py.meta"):
        try:
            found = json.loads(meta_path.read_text(encoding="utf-8"))["exit_code_by_key"]
        except (OSError, ValueError, KeyError, TypeError):
            continue  # rewritten while read: the next poll sees it whole
        if isinstance(found, dict):
            codes += [c for k, c in found.items() if owned is None or k in owned]
    statuses = [_STATUS_BY_CODE.get(c if isinstance(c, int) else None, SUSPICIOUS) for c in codes]
    return Tally(
        done=sum(s != NOT_CHECKED for s in statuses),
        total=len(statuses),
        killed=sum(s in (KILLED, TIMEOUT) for s in statuses),
        survived=sum(s == SURVIVED for s in statuses),
    )


def read_results(root: Path, package: PackageSource) -> tuple[Mutant, ...]:
    """Every mutant of every file mutmut wrote results for, sorted by file, line, key."""
    mutants_dir = root / "mutants"
    found: list[Mutant] = []
    for meta_path in sorted(mutants_dir.rglob("*.py.meta")):
        source = meta_path.relative_to(mutants_dir).as_posix().removesuffix(".meta")
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            codes = meta["exit_code_by_key"]
        except (OSError, ValueError, KeyError, TypeError):
            continue  # mutmut rewrites the file after each mutant; a torn write is skipped
        if not isinstance(codes, dict):
            continue
        spans = _read_spans(mutants_dir / f"{source}.spans")
        mutated_lines = _read_lines(mutants_dir / source)
        starts = _function_starts(root / source)
        module = _module_name(source)
        for key, code in codes.items():
            status = _STATUS_BY_CODE.get(code if isinstance(code, int) else None, SUSPICIOUS)
            if code is None:
                status = NOT_CHECKED
            mangled = key.removeprefix(module + ".").partition("__mutmut_")[0]
            function = _function_name(mangled)
            diff, offset = _diff(mutated_lines, spans, key, mangled, function, source)
            found.append(
                Mutant(
                    key=key,
                    file=source,
                    function=f"{module}.{function}",
                    line=starts.get(function, 1) + offset,
                    status=status,
                    diff=diff,
                )
            )
    return tuple(sorted(found, key=lambda m: (m.file, m.line, m.key)))


def _module_name(source: str) -> str:
    parts = source.removesuffix(".py").split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _function_name(mangled: str) -> str:
    """x_total -> total; xǁLedgerǁadd -> Ledger.add."""
    if mangled.startswith("x" + _CLASS_SEPARATOR):
        return ".".join(mangled.split(_CLASS_SEPARATOR)[1:])
    return mangled.removeprefix("x_")


def _read_spans(path: Path) -> dict[str, list[int]]:
    try:
        spans = json.loads(path.read_text(encoding="utf-8")).get("spans", {})
    except (OSError, ValueError, AttributeError):
        return {}
    return spans if isinstance(spans, dict) else {}


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []


def _function_text(lines: list[str], span: object, old: str, new: str) -> list[str]:
    if not (isinstance(span, list) and len(span) == 2 and all(isinstance(n, int) for n in span)):
        return []
    chunk = textwrap.dedent("\n".join(lines[span[0] - 1 : span[1]]))
    text = chunk.replace(f"def {old}(", f"def {new}(", 1).splitlines()
    # A span starts with the comments and blank lines libcst keeps above the def (and any
    # decorators); the diff, and the line offsets taken from it, start at the def line.
    for i, line in enumerate(text):
        if line.startswith(("def ", "async def ")):
            return text[i:]
    return []


def _diff(
    lines: list[str],
    spans: dict[str, list[int]],
    key: str,
    mangled: str,
    function: str,
    source: str,
) -> tuple[str, int]:
    """The function's unified diff, and the offset of its first change from the def line."""
    name = function.rsplit(".", 1)[-1]
    mutant_id = key.rpartition(".")[2]
    original = _function_text(
        lines, spans.get(f"{mangled}__mutmut_orig"), f"{mangled}__mutmut_orig", name
    )
    mutated = _function_text(lines, spans.get(mutant_id), mutant_id, name)
    if not original or not mutated:
        return "", 0
    diff = list(difflib.unified_diff(original, mutated, source, source, lineterm=""))
    return "\n".join(diff), _first_change(diff)


def _first_change(diff: list[str]) -> int:
    offset = 0
    for line in diff[2:]:
        hunk = _HUNK.match(line)
        if hunk:
            offset = int(hunk.group(1)) - 1
        elif line.startswith(("-", "+")):
            return offset
        else:
            offset += 1
    return 0


def _function_starts(path: Path) -> dict[str, int]:
    """The ``def`` line of each top-level function and method (the diffs start there)."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return {}
    starts: dict[str, int] = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            starts[node.name] = node.lineno
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    starts[f"{node.name}.{item.name}"] = item.lineno
    return starts
