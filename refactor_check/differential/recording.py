"""Recorded calls: the golden tests run once against the original with a recorder on its
public surface, so the search starts from the inputs the exercise's author thought of.

The recorder (``sandbox/diff_worker.py`` in record mode) wraps every public function,
constructor and method, and streams each call with its arguments as they were at call time.
Calls a test makes itself (top-level) become that test's program, replayed step by step on
both sides; objects of the package's classes appear as references to the step that made them.
Every call, including those the package makes internally, feeds the pools generation draws
arguments from. An object of the tests handed to the package (a clock, a callback) is
recorded as a test double: what the package asked of it during each top-level call, and
what it answered, becomes that step's ``world`` (``doubles``). The recording depends only
on the golden repo, so it is cached per golden repo content (and recorder version).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from .. import suite
from ..cache import Cache
from ..exercise import Exercise
from ..runner import Ending, Runner
from ..sources import PackageSource
from ..workspace import Workspace
from . import doubles, values
from .program import CALL, METHOD, NEW, Program, Step
from .surface import Surface
from .workers import WORKER_SCRIPT

_CACHE_NAMESPACE = "differential-recording"
_FAILURES_KEPT = 20  # golden tests failing under the recorder, named in the note
_SAMPLES_PER_TARGET = 300
_LINEAGES_PER_CLASS = 40


@dataclass(frozen=True)
class Lineage:
    """How a recorded test built one object: the steps, and which step's result it is."""

    program: Program
    index: int


@dataclass(frozen=True)
class Recording:
    programs: tuple[Program, ...] = ()  # one per test: its replayable calls, in order
    # Calls without object references, at any depth. A test double among the arguments
    # means something only in its own test's program: the domain counts such a call's other
    # arguments, generation leaves it out (``Catalog``).
    samples: tuple[Step, ...] = ()
    lineages: dict[str, tuple[Lineage, ...]] = field(default_factory=dict)  # class label ->
    # (target, argument slot, class label): arguments that were objects of a package class;
    # a slot is a position ("0") or a keyword ("kw:name").
    object_args: tuple[tuple[str, str, str], ...] = ()
    # Samples (by ``sample_key``) whose call raised on the original rather than returning.
    raising: frozenset[str] = frozenset()
    calls: int = 0  # calls seen, replayable or not
    # Calls seen per target path (a method under its class's path: "pkg.Cls.add"), as the
    # recorder sent them: it stops sending a target's nested calls after a few hundred.
    calls_by_target: dict[str, int] = field(default_factory=dict)
    note: str | None = None  # why the recording is partial or missing
    # Golden tests that failed under the recorder, (test id, pytest's one-line reason): they
    # pass on the original, so the recorder's stand-ins are why (see ``failure_note``). Their
    # calls up to the failure are recorded all the same.
    failed: tuple[tuple[str, str], ...] = ()
    cached: bool = False


def record(
    runner: Runner,
    workspace: Workspace,
    exercise: Exercise,
    original: PackageSource,
    surface: Surface,
    seconds: float,
    cache: Cache,
) -> Recording:
    recorder = hashlib.sha256(WORKER_SCRIPT.read_bytes()).hexdigest()
    surface_json = json.dumps(surface.to_json(), sort_keys=True)
    key = cache.key(exercise.content_hash, _CACHE_NAMESPACE, surface_json, recorder)
    cached = cache.get(_CACHE_NAMESPACE, key)
    if isinstance(cached, dict) and isinstance(cached.get("events"), list):
        events = [e for e in cached["events"] if _valid_event(e)]
        note = cached.get("note") if isinstance(cached.get("note"), str) else None
        failed = _failures(cached.get("failed", []))
        return replace(build(events, note), failed=failed, cached=True)
    events, note, failed = _run(runner, workspace, exercise, original, surface_json, seconds)
    # A run cut short is not worth keeping; one that ran every test is the same next time,
    # tests the recorder's stand-ins fail included.
    if note is None:
        cache.put(_CACHE_NAMESPACE, key, {"events": events, "note": note, "failed": failed})
    return replace(build(events, note), failed=failed)


def _run(
    runner: Runner,
    workspace: Workspace,
    exercise: Exercise,
    original: PackageSource,
    surface_json: str,
    seconds: float,
) -> tuple[list[dict[str, Any]], str | None, tuple[tuple[str, str], ...]]:
    run = workspace.new_run("diff-record", original, exercise.tests)
    surface_file = run.root / ".surface.json"
    surface_file.write_text(surface_json, encoding="utf-8")
    # Calls arrive only when tests make them, so silence is no sign of a hang here.
    limits = replace(
        runner.limits, wall_seconds=min(runner.limits.wall_seconds, seconds), stall_seconds=None
    )
    args = ["record", "--sys-path", str(run.packages), "--surface", str(surface_file)]
    result = runner.run_python(
        WORKER_SCRIPT, [*args, "--", *suite.pytest_args(run, ())], run, limits=limits
    )
    events: list[dict[str, Any]] = []
    failures: list[object] = []
    done: int | None = None
    for line in result.messages:
        try:
            message = json.loads(line)
        except ValueError:
            continue
        if isinstance(message, dict) and message.get("event") == "done":
            done = message.get("exitstatus") if isinstance(message.get("exitstatus"), int) else -1
        elif isinstance(message, dict) and message.get("event") == "failed":
            failures.append([message.get("test"), message.get("message")])
        elif _valid_event(message):
            events.append(message)
    failed = _failures(failures)
    note = None
    if done is None:
        how = {Ending.TIMEOUT: "hit its time limit"}.get(result.ending, "ended early")
        tail = result.stderr_tail.strip().splitlines()
        note = f"the recording run {how}" + (f" ({tail[-1][:200]})" if tail else "")
    elif done != 0 and not failed:  # no test failed: collection or the session did
        note = f"the golden tests did not all pass under the recorder (pytest exit status {done})"
    return events, note, failed


def _failures(found: object) -> tuple[tuple[str, str], ...]:
    """The golden tests that failed under the recorder, as the run (or the cache) lists
    them: only well-formed entries, at most ``_FAILURES_KEPT``."""
    if not isinstance(found, list):
        return ()
    kept = [
        (str(test)[:500], str(message)[:300])
        for test, message in (f for f in found if isinstance(f, list) and len(f) == 2)
        if isinstance(test, str) and isinstance(message, str)
    ]
    return tuple(kept[:_FAILURES_KEPT])


def failure_note(failed: tuple[tuple[str, str], ...]) -> str | None:
    """What to tell the exercise's author (and the report) about ``failed``, in one line."""
    if not failed:
        return None
    test, message = failed[0]
    more = f" and {len(failed) - 1} more" if len(failed) > 1 else ""
    because = f" ({message})" if message else ""
    return (
        f"{test}{because}{more} failed under the recorder, though the golden tests pass on the "
        "original: the recorder hands the package a stand-in for each object of the tests it "
        "is given (a clock, a callback), so a test that checks the package keeps that very "
        "object (`is`) fails under it; the calls made up to the failure are recorded all the "
        "same"
    )


def _valid_event(message: object) -> bool:
    if not isinstance(message, dict):
        return False
    if message.get("event") == "ended":
        return _is_index(message.get("seq")) and isinstance(message.get("raised"), bool)
    if not isinstance(message.get("test"), str):
        return False
    if message.get("event") == "object":
        return _is_index(message.get("index")) and isinstance(message.get("class"), str)
    if message.get("event") == "world":
        world = doubles.settings_of(message.get("world"))
        return _is_index(message.get("index")) and world is not None
    if message.get("event") != "call":
        return False
    kwargs = message.get("kwargs")
    receiver = message.get("receiver")
    return (
        isinstance(message.get("top"), bool)
        and isinstance(message.get("target"), str)
        and message.get("kind") in (CALL, NEW, METHOD)
        and (not message["top"] or _is_index(message.get("index")))
        and isinstance(message.get("args"), list)
        and all(values.is_valid(a) for a in message["args"])
        and isinstance(kwargs, list)
        and all(
            isinstance(k, list) and len(k) == 2 and isinstance(k[0], str) and values.is_valid(k[1])
            for k in kwargs
        )
        and (receiver is None or (values.is_valid(receiver) and receiver[0] == "ref"))
    )


def _is_index(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _step(message: dict[str, Any]) -> Step:
    receiver = message.get("receiver")
    return Step(
        kind=message["kind"],
        target=message["target"],
        args=tuple(message["args"]),
        kwargs=tuple((k, v) for k, v in message["kwargs"]),
        receiver=receiver[1] if receiver is not None else None,
    )


def build(events: Sequence[dict[str, Any]], note: str | None = None) -> Recording:
    """Programs, samples and object lineages from the recorder's events."""
    tests: dict[str, dict[int, Step]] = {}
    classes: dict[tuple[str, int], str] = {}
    samples: dict[str, dict[str, Step]] = {}
    calls = 0
    by_target: dict[str, int] = {}
    raised_seqs = {e["seq"] for e in events if e.get("event") == "ended" and e["raised"]}
    worlds = {
        (e["test"], e["index"]): doubles.settings_of(e["world"]) or ()
        for e in events
        if e.get("event") == "world"
    }
    raising: set[str] = set()
    for event in events:
        if event.get("event") in ("ended", "world"):
            continue
        if event.get("event") == "object":
            classes[(event["test"], event["index"])] = event["class"]
            continue
        calls += 1
        by_target[event["target"]] = by_target.get(event["target"], 0) + 1
        step = _step(event)
        if event["top"]:
            world = worlds.get((event["test"], event["index"]), ())
            tests.setdefault(event["test"], {})[event["index"]] = replace(step, world=world)
        sample = replace(step, receiver=None)
        if all(values.decodable(v) and not values.refs(v) for v in sample.values()):
            per_target = samples.setdefault(step.target, {})
            if len(per_target) < _SAMPLES_PER_TARGET:
                per_target.setdefault(sample_key(sample), sample)
                if event.get("seq") in raised_seqs:
                    raising.add(sample_key(sample))
    programs: dict[str, Program] = {}
    lineages: dict[str, dict[str, Lineage]] = {}
    object_args = {
        slot
        for test, by_index in tests.items()
        for step in by_index.values()
        for slot in _object_slots(test, step, classes)
    }
    for test, by_index in tests.items():
        program, kept = _replayable(test, by_index)
        if program is None:
            continue
        programs.setdefault(program.key, program)
        for old_index, new_index in kept.items():
            label = classes.get((test, old_index))
            if label is None:
                continue
            lineage = _lineage(program, new_index)
            per_class = lineages.setdefault(label, {})
            if len(per_class) < _LINEAGES_PER_CLASS:
                per_class.setdefault(lineage.program.key, lineage)
    return Recording(
        programs=tuple(sorted(programs.values(), key=lambda p: p.origin)),
        samples=tuple(
            s for _, by_key in sorted(samples.items()) for _, s in sorted(by_key.items())
        ),
        lineages={k: tuple(v.values()) for k, v in sorted(lineages.items())},
        calls=calls,
        calls_by_target=dict(sorted(by_target.items())),
        note=note,
        object_args=tuple(sorted(object_args)),
        raising=frozenset(raising),
    )


def _object_slots(
    test: str, step: Step, classes: dict[tuple[str, int], str]
) -> list[tuple[str, str, str]]:
    slots = [(str(i), v) for i, v in enumerate(step.args)]
    slots += [(f"kw:{k}", v) for k, v in step.kwargs]
    out = []
    for slot, value in slots:
        if value[0] == "ref" and (test, value[1]) in classes:
            out.append((step.target, slot, classes[(test, value[1])]))
    return out


def sample_key(step: Step) -> str:
    return json.dumps(
        [step.target, list(step.args), [list(k) for k in step.kwargs]], sort_keys=True
    )


def _replayable(test: str, by_index: dict[int, Step]) -> tuple[Program | None, dict[int, int]]:
    """The test's steps that can be rebuilt on both sides, with references renumbered."""
    kept: dict[int, int] = {}
    steps: list[Step] = []
    for index in sorted(by_index):
        step = by_index[index]
        if not all(values.decodable(v) for v in step.values()):
            continue
        if not step.depends_on() <= kept.keys():
            continue  # needs an object a dropped step made
        kept[index] = len(steps)
        steps.append(step.renumbered(kept))
    if not steps:
        return None, {}
    return Program(tuple(steps), origin=f"recorded: {test}"), kept


def _lineage(program: Program, index: int) -> Lineage:
    """The object made at ``index``: that step, the methods called on it, what they need."""
    steps = program.steps
    needed = {index} | {i for i, s in enumerate(steps) if s.kind == METHOD and s.receiver == index}
    stack = list(needed)
    while stack:
        for dependency in steps[stack.pop()].depends_on():
            if dependency not in needed:
                needed.add(dependency)
                stack.append(dependency)
    order = sorted(needed)
    mapping = {old: new for new, old in enumerate(order)}
    part = tuple(steps[i].renumbered(mapping) for i in order)
    return Lineage(Program(part, origin=program.origin), mapping[index])
