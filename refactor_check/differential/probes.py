"""Probes: inputs that tell the golden suite's surviving mutants apart from the original, kept.

A mutant of the original that the golden suite does not kill marks a change a candidate could
make and still pass every golden test. For each survivor the search that grades candidates is
turned on the original and that mutant instead: the mutant (``mutant_source``) takes the
candidate's side beside the original's two workers, and the recorded calls, the sweep and
hypothesis work on the public targets that reach the mutated function, each within a counted
budget (``budget_counts``: the sweep's calls, ``probe_examples`` random programs per target,
``shrink_attempts``), the same on every machine. Time limits are ceilings only (per survivor
``probe_seconds``, in all ``probe_total_seconds``): a search a ceiling cuts gives no verdict
and is not cached, and the report says so (``cut_short``, ``not_searched``). Probes found for
earlier survivors are tried first: mutants of one function are often told apart by the same
call.

A program that tells a survivor apart becomes a probe when the original runs it the same way
four times (twice in each of its workers, under two hash seeds): a probe must never flag a
candidate for what the original itself varies in. Mutants that are never told apart are
expected (many are equivalent to the original) and are not searched again.

Probes depend on the golden repo and the survivors only (hypothesis runs under a fixed seed,
not the candidate's ``--seed``), so they are cached per golden repo content and survivors: the
search is paid once per exercise. The total budget is the exercise's too: a run that the
budget left unfinished is continued by the next with what remains of it, never more. Every
candidate then replays all probes before any other input; a probe that shows a difference is
an ordinary finding, its origin naming the mutant.

A search bounded by the clock finds more on a fast machine than on a slow one, so the
verdicts an exercise ships come first: ``refactor-check exercise probes`` searches with a
generous budget when the exercise is written and stores them in the golden repo
(``PROBES_FILE``). Grading takes a shipped verdict as it is, and searches only for survivors
the file does not cover (a golden repo changed since): an exercise whose file covers every
survivor grades every candidate with the same probes, on any machine. A probe is an input
replayed on both sides like any other, so a shipped one can never make a finding the code
does not show.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import time
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..checks import CheckContext
from ..errors import BadInputError
from ..results.differential import ProbeReport
from ..results.mutation import Mutant
from ..sources import PackageSource
from . import compare, doubles, mutant_source, sweep, values
from .domain import Domain
from .generation import Catalog, Generator
from .program import KINDS, METHOD, Program, Step
from .recording import Recording
from .search import Search
from .settings import DifferentialSettings
from .surface import ATTRIBUTE, Surface, focus_targets
from .workers import ORIGINAL, ORIGINAL_AGAIN, WORKER_SCRIPT, Trio

_CACHE_NAMESPACE = "differential-probes"
_FORMAT = "1"  # bumped when what is stored changes meaning
PROBES_FILE = "differential_probes.json"  # in the golden repo, next to exercise.toml
# Probes are the exercise's, not the candidate's: the same whatever --seed a candidate gets.
# Each survivor's search draws under its own seed, derived from this and the mutant's name:
# the survivors of one class then explore different call sequences, and a probe one of them
# finds is tried on the others first.
_SEED = 0
# The ceiling of making a found difference smaller (``shrink_attempts`` re-runs): a search
# cut there gives no verdict, since a less shrunk probe would differ from machine to machine.
_SHRINK_CEILING_SECONDS = 60.0
# The sweep for one survivor covers only the targets that reach its function, and is made
# once for all survivors there: a wide one is cheap, so not the candidates' focus_factor.
_SWEEP_FACTOR = 4
TOLD_APART, NOT_TOLD_APART, UNSTEADY, NOT_RUN = (
    "told_apart",
    "not_told_apart",
    "unsteady",
    "not_run",
)
_STATUSES = (TOLD_APART, NOT_TOLD_APART, UNSTEADY, NOT_RUN)


def origin(mutant: str) -> str:
    return f"probe (tells mutant {mutant} apart from the original)"


@dataclass(frozen=True)
class ProbeVerdict:
    """What the probe search concluded about one survivor."""

    mutant: str  # mutmut's key
    function: str
    status: str  # one of _STATUSES
    probe: Program | None = None  # TOLD_APART: the program that does it
    why: str | None = None  # NOT_RUN: why the mutant could not be run


@dataclass(frozen=True)
class Probes:
    programs: tuple[Program, ...] = ()
    report: ProbeReport | None = None  # None: no survivors were handed over
    # Spent searching in this run (0 when every verdict was cached). Not in the report: the
    # report of the same inputs is the same, and wall times vary.
    search_seconds: float = 0.0
    # Every survivor's verdict, by identity (what ``exercise probes`` writes).
    verdicts: Mapping[str, ProbeVerdict] = field(default_factory=dict)


@dataclass(frozen=True)
class Tools:
    """What the candidate search builds from the recording, shared with the probe search."""

    catalog: Catalog
    domain: Domain
    generator: Generator


def establish(
    ctx: CheckContext,
    trio: Trio,
    tools: Tools,
    public: Surface,
    recorded: Recording,
    survivors: Sequence[Mutant],
    settings: DifferentialSettings,
    shipped: Mapping[str, ProbeVerdict],
) -> Probes:
    """The exercise's probes: shipped with it, from the cache, searched for what both lack.
    Without the survivors (no mutation stage) every shipped probe is replayed: a probe is an
    input like any other, whichever mutant it was found for."""
    if not survivors:
        return Probes(_programs(shipped.values()))
    key = ctx.cache.key(
        ctx.exercise.content_hash,
        _CACHE_NAMESPACE,
        _FORMAT,
        hashlib.sha256(WORKER_SCRIPT.read_bytes()).hexdigest(),
        json.dumps(sorted(identity(m) for m in survivors)),
        # The budget that produced the verdicts: another budget searches another space.
        json.dumps(budget_counts(settings), sort_keys=True),
    )
    entry = ctx.cache.get(_CACHE_NAMESPACE, key)
    identities = {identity(m) for m in survivors}
    from_file = {i: v for i, v in shipped.items() if i in identities}
    # A shipped verdict wins over a cached one: it is the same on every machine.
    verdicts = {**_from_json(entry), **from_file}
    spent = _spent(entry)
    pending = [m for m in survivors if identity(m) not in verdicts]
    origins = {"shipped": len(from_file), "cached": len(verdicts) - len(from_file)}
    seconds = 0.0
    # The total budget is the exercise's: what earlier runs spent is spent.
    budget = settings.probe_total_seconds - spent
    if pending and budget > 0:
        started = time.monotonic()
        searcher = _Searcher(ctx, trio, tools, public, recorded, settings)
        known = [v.probe for v in verdicts.values() if v.probe is not None]
        found = searcher.run(pending, known, budget)
        verdicts.update(found)
        origins["new"] = len(found)
        seconds = time.monotonic() - started
        searched = {i: v for i, v in verdicts.items() if i not in from_file}
        ctx.cache.put(_CACHE_NAMESPACE, key, _to_json(searched, spent + seconds))
        cut = tuple(searcher.cut)
    else:
        cut = ()
    source = " and ".join(name for name, count in origins.items() if count) or "cached"
    return _assemble(survivors, verdicts, source, seconds, cut)


def budget_counts(settings: DifferentialSettings) -> dict[str, int]:
    """What decides how far one survivor's search goes: counts, the same on every machine."""
    return {
        "sweep_calls": settings.sweep_calls * _SWEEP_FACTOR,
        "probe_examples": settings.probe_examples,
        "max_steps": settings.max_steps,
        "shrink_attempts": settings.shrink_attempts,
    }


def shipped(golden_root: Path) -> dict[str, ProbeVerdict]:
    """The verdicts the exercise ships (``PROBES_FILE``, written by ``exercise probes``); none
    without the file. A file that is not one is bad input: the golden repo needs fixing."""
    path = golden_root / PROBES_FILE
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadInputError(f"{path}: not a probes file ({' '.join(str(exc).split())})") from None
    if not isinstance(data, dict) or data.get("format") != _FORMAT:
        raise BadInputError(
            f"{path}: not a probes file of format {_FORMAT}; write it again with "
            "'refactor-check exercise probes'"
        )
    return _from_json(data)


def write_shipped(golden_root: Path, probes: Probes) -> Path:
    """Store every survivor's verdict in the golden repo, sorted, for version control (so
    without the seconds spent: the same verdicts make the same file)."""
    path = golden_root / PROBES_FILE
    stored = {k: v for k, v in _to_json(dict(probes.verdicts), 0.0).items() if k != "spent"}
    text = json.dumps(stored, indent=1)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def identity(mutant: Mutant) -> str:
    """A survivor by its name and its change: mutmut numbers mutants per function, so a
    profile that mutates other lines can give one name to another change."""
    return f"{mutant.key}:{hashlib.sha256(mutant.diff.encode('utf-8')).hexdigest()[:16]}"


class _Searcher:
    def __init__(
        self,
        ctx: CheckContext,
        trio: Trio,
        tools: Tools,
        public: Surface,
        recorded: Recording,
        settings: DifferentialSettings,
    ) -> None:
        self.ctx = ctx
        self.trio = trio
        self.tools = tools
        self.public = public
        self.recorded = recorded
        self.settings = replace(settings, seed=_SEED, examples=settings.probe_examples)
        self.callables = [t for t in public.targets if t.kind != ATTRIBUTE]
        self._built = 0
        self._swept: dict[str, list[Program]] = {}  # the same for every survivor: made once
        # Survivors whose search a time ceiling cut before its counted budget was spent:
        # no verdict (a cut search explores less on a slower machine), searched again later.
        self.cut: list[str] = []

    def run(
        self, pending: Sequence[Mutant], known: Iterable[Program], budget: float
    ) -> dict[str, ProbeVerdict]:
        """Verdicts, by identity, for as many survivors as ``budget`` seconds allow. A search
        the budget cut short gives none (nor does one the machinery failed)."""
        known_probes = list(known)
        stop = time.monotonic() + budget
        verdicts: dict[str, ProbeVerdict] = {}
        for mutant in pending:
            if time.monotonic() >= stop:
                break
            verdict = self._one(mutant, known_probes, stop)
            if verdict is None:
                continue
            verdicts[identity(mutant)] = verdict
            if verdict.probe is not None and all(p.key != verdict.probe.key for p in known_probes):
                known_probes.append(verdict.probe)
        return verdicts

    def _one(self, mutant: Mutant, known: Sequence[Program], stop: float) -> ProbeVerdict | None:
        package = self._package(mutant)
        if package is None:
            why = "its diff does not apply to the original's source"
            return ProbeVerdict(mutant.key, mutant.function, NOT_RUN, why=why)
        with _beside(self.trio, package) as (mutant_trio, problem):
            if problem is not None:
                why = f"it could not be loaded: {problem}"
                return ProbeVerdict(mutant.key, mutant.function, NOT_RUN, why=why)
            own = time.monotonic() + self.settings.probe_seconds
            seed = _SEED + zlib.crc32(mutant.key.encode("utf-8"))
            search = Search(
                mutant_trio,
                self.tools.catalog,
                self.tools.domain,
                replace(self.settings, seed=seed),
                min(own, stop),
                self.ctx.workspace.root / "hypothesis",
            )
            self._search(search, mutant, known)
            if search.lost:
                return None  # the machinery failed, not the search: no verdict
            if search.time_hit or (not search.found and search.out_of_time()):
                self.cut.append(mutant.key)
                return None  # a ceiling, not the counted budget, ended it: no verdict
            if not search.found:
                return ProbeVerdict(mutant.key, mutant.function, NOT_TOLD_APART)
            as_found = search.found[sorted(search.found)[0]].program
            program = self._shrunk(search, known)
            if program is None:
                self.cut.append(mutant.key)
                return None
            # Shrinking may drop what kept the original steady (an injected clock left out,
            # so the default reads the real time): then the program as found is the probe.
            for probe in {p.key: p for p in (program, as_found)}.values():
                if _steady(mutant_trio, probe, self.settings.call_timeout):
                    return ProbeVerdict(mutant.key, mutant.function, TOLD_APART, probe=probe)
            return ProbeVerdict(mutant.key, mutant.function, UNSTEADY)

    def _search(self, search: Search, mutant: Mutant, known: Sequence[Program]) -> None:
        reach = focus_targets(self.public, [mutant.function])
        targets = [t for t in self.callables if t.path in reach] or self.callables
        paths = [t.path for t in targets]
        recorded = [p for p in self.recorded.programs if _touches(p, paths)]
        search.replay(_until_found(search, [*known, *recorded]))
        budget = self.settings.sweep_calls * _SWEEP_FACTOR
        for target in targets:
            if target.path not in self._swept:
                catalog = self.tools.catalog
                programs = sweep.target_programs(catalog, target, budget, "probe search")
                self._swept[target.path] = programs
            search.replay(_until_found(search, self._swept[target.path]), swept=True)
        for target in targets:
            if search.found or search.stopped or search.out_of_time():
                return
            strategy = self.tools.generator.strategy(target, "probe search")
            if strategy is not None:
                search.explore(target.path, strategy, self.settings.examples)

    def _shrunk(self, search: Search, known: Sequence[Program]) -> Program | None:
        """The found program made minimal by ``shrink_attempts`` re-runs; None when the
        ceiling cut the shrinking short."""
        target = sorted(search.found)[0]
        found = search.found[target]
        if any(found.program.key == p.key for p in known):
            return found.program  # an earlier survivor's probe: already small and steady
        search.deadline = time.monotonic() + _SHRINK_CEILING_SECONDS
        search.shrink_found()
        if search.out_of_time():
            return None
        return search.found[target].program

    def _package(self, mutant: Mutant) -> PackageSource | None:
        """The original package with the mutant's change, written into the workspace."""
        self._built += 1
        root = self.ctx.workspace.root / "probe-mutants" / f"{self._built:03d}"
        return mutant_source.write_package(self.ctx.original, mutant, root)


@contextlib.contextmanager
def _beside(trio: Trio, package: PackageSource) -> Iterator[tuple[Trio, str | None]]:
    """The original's two workers with a worker of ``package`` on the candidate's side."""
    mutant_trio, problem = trio.with_candidate(package)
    try:
        yield mutant_trio, problem
    finally:
        mutant_trio.sides[-1].close()


def _until_found(search: Search, programs: Iterable[Program]) -> Iterator[Program]:
    for program in programs:
        if search.found:
            return
        yield program


def _touches(program: Program, paths: Sequence[str]) -> bool:
    return any(
        step.target == path or step.target.startswith(path + ".")
        for step in program.steps
        for path in paths
    )


def _steady(trio: Trio, program: Program, timeout: float) -> bool:
    """Whether the original runs the program the same way twice in each of its workers."""
    request = {"op": "run", "steps": program.request(), "timeout": timeout, "digest": True}
    answers: list[dict[str, Any] | None] = []
    for _ in range(2):
        answers += trio.request(request, timeout, only=(ORIGINAL, ORIGINAL_AGAIN))[:2]
    return compare.same_digests(answers, len(program.steps))


def _programs(verdicts: Iterable[ProbeVerdict]) -> tuple[Program, ...]:
    """The verdicts' probes, each once (mutants of one function often share one), in order."""
    programs: dict[str, Program] = {}
    for verdict in verdicts:
        if verdict.probe is not None and verdict.probe.key not in programs:
            programs[verdict.probe.key] = replace(verdict.probe, origin=origin(verdict.mutant))
    return tuple(programs.values())


def _assemble(
    survivors: Sequence[Mutant],
    verdicts: dict[str, ProbeVerdict],
    source: str,
    seconds: float,
    cut: tuple[str, ...] = (),
) -> Probes:
    by_status: dict[str, list[str]] = {status: [] for status in _STATUSES}
    pending: list[str] = []
    for mutant in survivors:
        verdict = verdicts.get(identity(mutant))
        if verdict is None:
            pending.append(mutant.key)
            continue
        if verdict.status == NOT_RUN:
            by_status[NOT_RUN].append(f"{mutant.key}: {verdict.why}")
        else:
            by_status[verdict.status].append(mutant.key)
    ordered = [verdicts[i] for i in map(identity, survivors) if i in verdicts]
    programs = _programs(ordered)
    report = ProbeReport(
        survivors=len(survivors),
        probes=len(programs),
        told_apart=tuple(by_status[TOLD_APART]),
        not_told_apart=tuple(by_status[NOT_TOLD_APART]),
        unsteady=tuple(by_status[UNSTEADY]),
        not_run=tuple(by_status[NOT_RUN]),
        not_searched=tuple(k for k in pending if k not in cut),
        source=source,
        cut_short=tuple(k for k in pending if k in cut),
    )
    current = {i: verdicts[i] for i in sorted(map(identity, survivors)) if i in verdicts}
    return Probes(programs, report, seconds, current)


# -- the cache entry -----------------------------------------------------------------------


def _spent(data: object) -> float:
    """Seconds earlier runs spent searching (a bad entry: none)."""
    spent = data.get("spent") if isinstance(data, dict) else None
    return float(spent) if isinstance(spent, (int, float)) and spent > 0 else 0.0


def _to_json(verdicts: dict[str, ProbeVerdict], spent: float) -> dict[str, Any]:
    return {
        "format": _FORMAT,
        "spent": round(spent, 3),
        "verdicts": {
            name: {
                "mutant": v.mutant,
                "function": v.function,
                "status": v.status,
                "probe": _steps_to_json(v.probe) if v.probe is not None else None,
                "why": v.why,
            }
            for name, v in sorted(verdicts.items())
        },
    }


def _from_json(data: object) -> dict[str, ProbeVerdict]:
    """The cached verdicts; an entry of another shape is a miss, a bad verdict is dropped."""
    if not isinstance(data, dict) or data.get("format") != _FORMAT:
        return {}
    stored = data.get("verdicts")
    verdicts: dict[str, ProbeVerdict] = {}
    for name, item in stored.items() if isinstance(stored, dict) else ():
        if not isinstance(item, dict) or item.get("status") not in _STATUSES:
            continue
        mutant, function, why = item.get("mutant"), item.get("function"), item.get("why")
        if not isinstance(mutant, str) or not isinstance(function, str):
            continue
        probe = _steps_from_json(item.get("probe"))
        if (probe is None) == (item["status"] == TOLD_APART):
            continue
        verdicts[name] = ProbeVerdict(
            mutant, function, item["status"], probe, why if isinstance(why, str) else None
        )
    return verdicts


def _steps_to_json(program: Program) -> list[dict[str, Any]]:
    """The steps as the worker reads them (``Program.request``): also each step's world."""
    return program.request()


def _steps_from_json(data: object) -> Program | None:
    if not isinstance(data, list) or not data:
        return None
    steps: list[Step] = []
    for index, item in enumerate(data):
        step = _step_from_json(item, index)
        if step is None:
            return None
        steps.append(step)
    return Program(tuple(steps))


def _step_from_json(item: object, index: int) -> Step | None:
    """One step of ``Program.request``'s shape, checked (the cache is only a file)."""
    if not isinstance(item, dict) or item.get("kind") not in KINDS:
        return None
    target, args, kwargs = item.get("target"), item.get("args"), item.get("kwargs")
    if not isinstance(target, str) or not isinstance(args, list) or not isinstance(kwargs, list):
        return None
    if not all(values.is_valid(a) for a in args) or not all(
        isinstance(k, list) and len(k) == 2 and isinstance(k[0], str) and values.is_valid(k[1])
        for k in kwargs
    ):
        return None
    receiver = None
    if item["kind"] == METHOD:
        ref = item.get("receiver")
        if not (isinstance(ref, list) and len(ref) == 2 and ref[0] == "ref"):
            return None
        receiver = ref[1]
        if not isinstance(receiver, int) or isinstance(receiver, bool):
            return None
    world = doubles.settings_of(item["world"]) if "world" in item else ()
    if world is None:
        return None
    step = Step(
        item["kind"], target, tuple(args), tuple((k, v) for k, v in kwargs), receiver, world
    )
    return step if all(0 <= r < index for r in step.depends_on()) else None
