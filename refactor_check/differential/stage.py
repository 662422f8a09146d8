"""The differential stage, top-down (the package docstring says why each part exists)."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import astuple, dataclass, replace
from typing import Any

import griffe

from ..checks import CheckContext
from ..results import Finding, Status
from ..results.differential import (
    CHECK,
    ApiChange,
    BranchCoverage,
    Counterexample,
    DifferentialResult,
    ProbeReport,
    TargetReport,
)
from ..results.mutation import Mutant
from ..workspace import copy_package
from . import (
    api,
    callpath,
    cmplog,
    compare,
    generation,
    literals,
    probes,
    recording,
    rendering,
    sequence,
    surface,
    sweep,
)
from .callpath import CallPath
from .counterexamples import counterexample
from .domain import Domain
from .generation import Catalog, Generator
from .program import GETATTR, Program, Step
from .recording import Recording
from .search import Search, Stats
from .settings import DifferentialSettings
from .signatures import Signatures
from .surface import ATTRIBUTE, CLASS, FUNCTION, Surface, Target, focus_targets
from .workers import CANDIDATE, ORIGINAL, ORIGINAL_AGAIN, Trio

_FOCUS_ORIGIN = "random input, in focus (golden tests leave mutants alive here)"
_ORIGIN = "random input"
_SWEEP_ORIGIN = "a recorded call with one change"
_CONSTANTS_ORIGIN = "a recorded call with one value of the constants of both versions"
_SHOWN_WITH_CONSEQUENCES = frozenset({"PARAMETER_CHANGED_DEFAULT"})


@dataclass
class _Searched:
    """The search, and what the result needs to know about how it was set up."""

    search: Search
    generator: Generator
    missing: set[str]  # public paths the candidate lacks (reported by the API comparison)
    in_focus: set[str]
    probe_report: ProbeReport | None = None


def run(
    ctx: CheckContext,
    focus: Sequence[str],
    settings: DifferentialSettings,
    survivors: Sequence[Mutant] = (),
    shipped: Mapping[str, probes.ProbeVerdict] | None = None,
) -> DifferentialResult:
    deadline = time.monotonic() + settings.seconds
    original_trees, candidate_trees = _trees(ctx)
    public = select(surface.read_all(list(original_trees.values())), settings)
    if not public.targets:
        return _skipped(settings, "the original has no public functions, classes or constants")
    notes: list[str] = []
    proposals: list[api.Proposal] = []
    if candidate_trees is None:
        notes.append("griffe could not read the candidate's package: public API not compared")
    else:
        # A module the candidate removed is a finding of the syntax check, named there.
        for name, tree in original_trees.items():
            if name in candidate_trees:
                proposals += api.propose(tree, candidate_trees[name])[0]
    budget_left = max(10.0, deadline - time.monotonic())
    recorded = recording.record(
        ctx.runner, ctx.workspace, ctx.exercise, ctx.original, public, budget_left, ctx.cache
    )
    if recorded.note:
        notes.append(f"recording: {recorded.note}")
    failed = recording.failure_note(recorded.failed)
    if failed:
        notes.append(f"recording: {failed}")
    # Workers outlive the budget (shrinking, stragglers) and the probe search before it.
    lifetime = settings.seconds * 2 + 120 + (settings.probe_total_seconds * 2 if survivors else 0)
    with Trio(
        ctx.runner, ctx.workspace, ctx.original, ctx.candidate.package, lifetime, public.labels()
    ) as trio:
        problems = trio.start()
        for side in (ORIGINAL, ORIGINAL_AGAIN):
            if side in problems:
                return _skipped(settings, f"the original could not be loaded: {problems[side]}")
        if CANDIDATE in problems:
            reason = f"the candidate's package could not be imported ({problems[CANDIDATE]})"
            return _skipped(settings, f"{reason}; the golden check reports why")
        paths = sorted({*public.callables(), *_attributes(public), *(p.path for p in proposals)})
        facts = trio.describe(paths, max(settings.call_timeout, 10.0))
        signatures = Signatures(facts[0])
        api_changes = api.confirm(proposals, *facts)
        tools = _tools(ctx, recorded, signatures, settings)
        probe_set = probes.establish(
            ctx, trio, tools, public, recorded, survivors, settings, shipped or {}
        )
        # Searching for probes is the exercise's cost (paid once), not this candidate's budget.
        deadline += probe_set.search_seconds
        searched = _search(
            ctx, trio, public, recorded, tools, focus, settings, deadline, facts[2], probe_set
        )
        broken = _broken(api_changes, searched.missing)
        traced = _call_paths(ctx, trio, searched.search, settings, broken)
    return _result(ctx, settings, public, searched, api_changes, notes, traced)


def exercise_probes(
    ctx: CheckContext,
    survivors: Sequence[Mutant],
    settings: DifferentialSettings,
    shipped: Mapping[str, probes.ProbeVerdict],
) -> probes.Probes | None:
    """The exercise's probes alone, the original on every side (``ctx.candidate`` is not
    read): what ``exercise probes`` ships, and what ``exercise validate`` reports of them.
    None when there is nothing to probe, or the original cannot be loaded."""
    base = ctx.workspace.root / "differential-api" / "original"
    copy_package(ctx.original, base)
    trees = surface.load_trees(base, ctx.exercise.modules)
    public = select(surface.read_all(list(trees.values())), settings)
    if not survivors or not public.targets:
        return None
    recorded = recording.record(
        ctx.runner, ctx.workspace, ctx.exercise, ctx.original, public, settings.seconds, ctx.cache
    )
    lifetime = settings.probe_total_seconds * 2 + 120
    with Trio(
        ctx.runner, ctx.workspace, ctx.original, ctx.original, lifetime, public.labels()
    ) as trio:
        if trio.start():
            return None
        paths = sorted({*public.callables(), *_attributes(public)})
        signatures = Signatures(trio.describe(paths, max(settings.call_timeout, 10.0))[0])
        tools = _tools(ctx, recorded, signatures, settings)
        return probes.establish(ctx, trio, tools, public, recorded, survivors, settings, shipped)


Trees = dict[str, griffe.Object | griffe.Alias]


def _trees(ctx: CheckContext) -> tuple[Trees, Trees | None]:
    """griffe's static view of both sides' modules of the exercise, read from copies in the
    workspace (only the code's regular files are copied: no links are followed)."""
    base = ctx.workspace.root / "differential-api"
    copy_package(ctx.original, base / "original")
    copy_package(ctx.candidate.package, base / "candidate")
    original = surface.load_trees(base / "original", ctx.exercise.modules)
    try:
        candidate: Trees | None = surface.load_trees(base / "candidate", ctx.exercise.modules)
    except Exception:  # code griffe cannot read (the syntax check reports what it can)
        candidate = None
    return original, candidate


def select(public: Surface, settings: DifferentialSettings) -> Surface:
    """The public targets the exercise's ``entry_points`` and ``exclude`` leave to test."""
    chosen = [
        t
        for t in public.targets
        if (not settings.entry_points or t.path in settings.entry_points)
        and t.path not in settings.exclude
    ]
    return replace(public, targets=tuple(chosen))


def _attributes(public: Surface) -> list[str]:
    return [t.path for t in public.of_kind(ATTRIBUTE)]


def _search(
    ctx: CheckContext,
    trio: Trio,
    public: Surface,
    recorded: Recording,
    tools: probes.Tools,
    focus: Sequence[str],
    settings: DifferentialSettings,
    deadline: float,
    candidate_facts: dict[str, dict[str, Any]],
    probe_set: probes.Probes,
) -> _Searched:
    everything = [*public.callables(), *_attributes(public)]
    missing = {p for p in everything if not candidate_facts.get(p, {}).get("exists")}
    catalog, generator = tools.catalog, tools.generator
    scratch = ctx.workspace.root / "hypothesis"
    search = Search(trio, catalog, tools.domain, settings, deadline, scratch)
    search.watch = _watcher(ctx)
    search.phase = "probes"
    search.replay(probe_set.programs, probes=True)  # where the golden tests are known to be blind
    constants = [
        Program((Step(GETATTR, path),), origin="reading a public constant")
        for path in _attributes(public)
        if path not in missing
    ]
    search.phase = "recorded calls"
    search.replay(constants)
    search.replay(recorded.programs)
    in_focus = focus_targets(public, focus)
    callable_targets = [
        t
        for t in sorted(public.targets, key=lambda t: (t.path not in in_focus, t.path))
        if t.kind != ATTRIBUTE and t.path not in missing
    ]
    swept: list[Program] = []
    search.phase = "sweeps of single changes"
    for target in callable_targets:  # every target's sweep before any target's random search
        factor = settings.focus_factor if target.path in in_focus else 1
        programs = list(_sweep(catalog, target, settings.sweep_calls * factor))
        swept += programs
        search.replay(programs, swept=True)
    # Then what only the candidate's code or a re-cased code string suggests, on a budget of
    # its own: the candidate's source cannot crowd out anything the sweep above tried.
    both = literals.for_constants_sweep(catalog.literals, ctx.candidate.package)
    if settings.constant_calls and any(astuple(both)):
        search.phase = "constants of both versions"
        view = catalog.for_constants(both)
        for target in callable_targets:
            programs = sweep.constant_programs(
                view, target, settings.constant_calls, _CONSTANTS_ORIGIN
            )
            search.replay(programs, constants=True)
    if settings.comparison_calls:
        search.phase = "comparison feedback"
        _steered_by_comparisons(ctx, public, catalog, callable_targets, settings, search)
    # The same calls again, all in one process: state one call leaves is what the next meets.
    inside = (
        sequence.within(p, tools.domain, catalog.signatures) for p in [*recorded.programs, *swept]
    )
    joined = sequence.long_program([p for p in inside if p is not None], settings.long_steps)
    if joined is not None:
        search.phase = "one long program"
        search.replay_long(joined)
    for target in callable_targets:
        focused = target.path in in_focus
        search.phase = f"random programs for {target.path}"
        origin = _FOCUS_ORIGIN if focused else _ORIGIN
        strategy = generator.strategy(target, f"{origin} (seed {settings.seed})")
        if strategy is not None:
            examples = settings.examples * (settings.focus_factor if focused else 1)
            search.explore(target.path, strategy, examples)
    search.phase = "shrinking differences"
    search.shrink_found()
    return _Searched(search, generator, missing, in_focus, probe_set.report)


def _steered_by_comparisons(
    ctx: CheckContext,
    public: Surface,
    catalog: Catalog,
    targets: Sequence[Target],
    settings: DifferentialSettings,
    search: Search,
) -> None:
    """Each target's recorded calls (a function's) or object histories (a class's) run on
    instrumented copies of both packages, then what their comparisons suggest (``cmplog``),
    ``comparison_calls`` calls per target."""
    if not any(t.kind in (FUNCTION, CLASS) for t in targets):
        return
    lifetime = settings.seconds + 120
    loggers = cmplog.Loggers.build(
        ctx.runner, ctx.workspace, ctx.original, ctx.candidate.package, lifetime, public.labels()
    )
    if loggers is None:
        return
    with loggers:
        if not loggers.start():
            return
        # A ceiling only: a logging run cut short on a busy machine would log less, and the
        # inputs derived from it must not depend on the machine's speed.
        timeout = settings.call_timeout * cmplog.LOG_TIMEOUT_FACTOR
        budget = cmplog.Budget(settings.comparison_calls, settings.comparison_rounds, timeout)
        for target in targets:
            if search.stopped or search.out_of_time():
                search.time_hit = search.time_hit or search.out_of_time()  # says it was cut
                return
            steered = cmplog.steered_programs(loggers, catalog, target, budget)
            search.stats.comparison_targets += steered.suggested
            search.stats.comparison_logged += steered.logged
            search.replay(steered.programs, comparisons=True)
        search.stats.branches = loggers.coverage()
        search.stats.comparison_logs_cut = loggers.cut


def _watcher(ctx: CheckContext) -> Callable[[Search], None]:
    def show(search: Search) -> None:
        found = len(search.found)
        detail = f"{search.phase}: {search.stats.calls} calls, {found} difference(s)"
        ctx.progress.stage_advanced("differential", search.stats.programs, None, detail)

    return show


def _tools(
    ctx: CheckContext,
    recorded: Recording,
    signatures: Signatures,
    settings: DifferentialSettings,
) -> probes.Tools:
    user = generation.load_strategies(settings.strategies)
    open_params = [(path, param) for path, params in user.items() for param in params]
    domain = Domain.build(signatures, recorded.samples, open_params)
    catalog = Catalog(signatures, recorded, literals.mine(ctx.original), user)
    return probes.Tools(catalog, domain, Generator(catalog, settings.max_steps))


def _sweep(catalog: Catalog, target: Target, budget: int) -> list[Program]:
    return sweep.target_programs(catalog, target, budget, _SWEEP_ORIGIN)


def _broken(api_changes: list[ApiChange], missing: set[str]) -> set[str]:
    """Public paths whose API change makes every call fail (a name or parameter gone): their
    calls' differences add nothing; a changed default's consequence is worth showing."""
    broken = {c.path for c in api_changes if c.kind not in _SHOWN_WITH_CONSEQUENCES}
    return broken | missing


def _hidden(target: str, broken: set[str]) -> bool:
    return bool({target, f"{target}.__init__", target.rpartition(".")[0]} & broken)


def _call_paths(
    ctx: CheckContext, trio: Trio, search: Search, settings: DifferentialSettings, broken: set[str]
) -> dict[str, CallPath]:
    """Where each counterexample's difference likely comes from (``callpath``), for the
    report to open the code there. The first ``MAX_TRACED`` are traced, one more run per
    side each; what the traces say is shown, never judged."""
    shown = [
        (target, found)
        for target, found in sorted(search.found.items())
        if not _hidden(target, broken) and found.outcome.mismatch is not None
    ]
    if not shown:
        return {}
    try:
        code = callpath.Code.read(ctx.original, ctx.candidate.package)
    except Exception as exc:  # a display aid: it never takes the stage down
        return {t: callpath.untraced(f"not traced: {type(exc).__name__}: {exc}") for t, _ in shown}
    paths: dict[str, CallPath] = {}
    for number, (target, found) in enumerate(shown):
        mismatch = found.outcome.mismatch
        assert mismatch is not None
        if number >= callpath.MAX_TRACED:
            why = f"not traced: only the first {callpath.MAX_TRACED} counterexamples are"
            paths[target] = callpath.untraced(why)
        elif mismatch.candidate.outcome == compare.TIMEOUT:
            paths[target] = callpath.untraced("not traced: the candidate's call did not return")
        else:
            traces = callpath.trace(trio, found.program, mismatch.step, settings.call_timeout)
            paths[target] = callpath.locate(mismatch, *traces, code)
    return paths


def _result(
    ctx: CheckContext,
    settings: DifferentialSettings,
    public: Surface,
    searched: _Searched,
    api_changes: list[ApiChange],
    notes: list[str],
    paths: dict[str, CallPath] | None = None,
) -> DifferentialResult:
    search, stats = searched.search, searched.search.stats
    broken = _broken(api_changes, searched.missing)
    counterexamples: list[Counterexample] = []
    for target, found in sorted(search.found.items()):
        if _hidden(target, broken):
            notes.append(
                f"{target}: behaves differently, and its public API changed (see api_changed)"
            )
            continue
        counterexamples.append(counterexample(found, (paths or {}).get(target)))
    findings: list[Finding] = [c.finding() for c in api_changes]
    findings += [c.finding(ctx.exercise.package) for c in counterexamples]
    if search.stopped:
        notes.append(f"search stopped early: {search.stopped}")
    for why, count in sorted(stats.unsettled.items()):
        notes.append(f"{count} program(s) not compared to the end: {why}")
    targets = _target_reports(public, searched)
    summary = _summary(settings, search, counterexamples, api_changes, targets)
    if searched.probe_report is not None:
        summary += f"; {_probe_summary(searched.probe_report, settings)}"
    elif stats.probes:  # shipped probes, with no golden score to match them to survivors
        summary += f"; {stats.probes} shipped probe(s) replayed first"
    status = Status.found(findings)
    if not findings and (search.lost or not stats.calls):
        # Never a pass by default: a search that could not compare says so.
        status = Status.SKIPPED
        summary = f"not run to the end: {search.lost or 'no call could be compared'}; {summary}"
    return DifferentialResult(
        check=CHECK,
        status=status,
        summary=summary,
        findings=tuple(findings),
        warnings=tuple(_warnings(stats) + _incomplete(settings, search, searched.probe_report)),
        **_budget(settings),
        programs=stats.programs,
        calls_compared=stats.calls,
        recorded_programs=stats.recorded,
        swept_programs=stats.swept,
        constant_programs=stats.constants,
        comparison_programs=stats.comparisons,
        comparison_targets=stats.comparison_targets,
        comparison_logged=stats.comparison_logged,
        comparison_logs_cut=stats.comparison_logs_cut,
        branches=tuple(
            BranchCoverage(side, reached, out_of)
            for side, (reached, out_of) in stats.branches.items()
        ),
        generated_programs=stats.generated,
        counterexamples=tuple(counterexamples),
        api_changes=tuple(api_changes),
        targets=tuple(targets),
        excused=tuple(_excused(stats)),
        nondeterministic=tuple(
            f"{t}: {n} program(s), e.g. {where}"
            for t, (n, where) in sorted(stats.nondeterministic.items())
        ),
        notes=tuple(notes),
        time_budget_hit=search.time_hit,
        isolation=ctx.runner.isolation.mode,
        probe_programs=stats.probes,
        probes=searched.probe_report,
    )


def _target_reports(public: Surface, searched: _Searched) -> list[TargetReport]:
    reports = []
    for target in public.targets:
        tally = searched.search.stats.tallies.get(target.path)
        note = None
        if target.path in searched.missing:
            note = "missing from the candidate"
        elif target.kind != ATTRIBUTE:
            note = searched.generator.untestable(target)
        reports.append(
            TargetReport(
                path=target.path,
                kind=target.kind,
                programs=tally.programs if tally else 0,
                calls=tally.calls if tally else 0,
                focus=target.path in searched.in_focus,
                note=note,
            )
        )
    return reports


def _excused(stats: Stats) -> list[str]:
    return [
        f"{target}: {why} (input: {rendering.render(program).splitlines()[-1][:300]})"
        for target, (why, program) in sorted(stats.excused.items())
    ]


def _warnings(stats: Stats) -> list[str]:
    out = [f"a difference that is no finding: {line}" for line in _excused(stats)]
    for target, (count, where) in sorted(stats.nondeterministic.items()):
        out.append(
            f"{target}: the original's two runs of the same input differ ({count} program(s), "
            f"e.g. {where}); those observations were excluded"
        )
    for target, (count, where) in sorted(stats.order_only.items()):
        out.append(
            f"{target}: a dict comes back with the same items in another order ({count} "
            f"program(s), e.g. {where}); equal as a mapping, so not a finding"
        )
    for target, (count, where) in sorted(stats.rounding.items()):
        out.append(
            f"{target}: float rounding noise: a float differs from the original's only in its "
            f"last bits ({count} program(s), e.g. {where}), as adding in another order does; "
            "not a finding"
        )
    return out


def _summary(
    settings: DifferentialSettings,
    search: Search,
    counterexamples: list[Counterexample],
    api_changes: list[ApiChange],
    targets: list[TargetReport],
) -> str:
    stats = search.stats
    done = (
        f"{stats.calls} calls compared in {stats.programs} programs ({stats.recorded} recorded, "
        f"{stats.swept} sweeping single changes, {stats.constants} with constants of both "
        f"versions, {stats.comparisons} steered by comparisons, {stats.generated} random; "
        f"seed {settings.seed})"
    )
    untested = [t.path for t in targets if t.kind != ATTRIBUTE and not t.calls]
    if untested:
        done += f"; not exercised: {', '.join(untested)} (see differential.targets)"
    if search.time_hit:
        done += f"; cut short by the time ceiling of {settings.seconds:g} s (incomplete)"
    parts = []
    if counterexamples:
        parts.append(f"{len(counterexamples)} behaviour difference(s)")
    if api_changes:
        parts.append(f"{len(api_changes)} public API change(s)")
    return f"{' and '.join(parts) or 'no behaviour difference'}: {done}"


def _probe_summary(report: ProbeReport, settings: DifferentialSettings) -> str:
    told = f"{len(report.told_apart)} of the {report.survivors} mutants the golden tests miss"
    text = f"{report.probes} probe(s) replayed first ({told} told apart from the original"
    if report.not_searched and not settings.probe_total_seconds:
        text += f"; {len(report.not_searched)} not searched: probe_total_seconds is 0"
    elif report.not_searched:
        text += f"; {len(report.not_searched)} not searched: the probe time ceiling came first"
    if report.cut_short:
        text += f"; {len(report.cut_short)} cut short by probe_seconds"
    return text + ")"


def _incomplete(
    settings: DifferentialSettings, search: Search, report: ProbeReport | None
) -> list[str]:
    """Warnings that the search did not spend its counted budget: a time ceiling cut it, so
    the same submission could be searched further on an idler machine."""
    out = []
    if search.time_hit:
        out.append(
            f"the differential search is incomplete: its time ceiling of {settings.seconds:g} s "
            f"cut it after {search.stats.programs} programs, before its counted budget was "
            "spent; the verdict rests on less than the exercise's budget"
        )
    if search.stats.comparison_logs_cut:
        out.append(
            f"comparison feedback is incomplete: {search.stats.comparison_logs_cut} of its "
            f"instrumented runs hit their time ceiling ({settings.call_timeout:g} s per call, "
            f"{cmplog.LOG_TIMEOUT_FACTOR} calls' worth per run); the inputs it derived from "
            "them could differ on an idler machine"
        )
    if (
        report is not None
        and settings.probe_total_seconds
        and (report.not_searched or report.cut_short)
    ):
        out.append(
            f"the probe search is incomplete: {len(report.not_searched)} of the "
            f"{report.survivors} mutants the golden tests miss were not searched and "
            f"{len(report.cut_short)} were cut short by a time ceiling (probe_seconds, "
            "probe_total_seconds); the next run of this exercise continues it, and shipping "
            "probes with the exercise ('exercise probes') makes it complete everywhere"
        )
    return out


# The budgets every result reports, run or not: the result names them as the settings do.
_BUDGETS = (
    "seed",
    "sweep_calls",
    "constant_calls",
    "comparison_calls",
    "comparison_rounds",
    "examples",
    "seconds",
)


def _budget(settings: DifferentialSettings) -> dict[str, Any]:
    """The budgets as the settings set them, by the result's field names."""
    return {name: getattr(settings, name) for name in _BUDGETS}


def _skipped(settings: DifferentialSettings, reason: str) -> DifferentialResult:
    return DifferentialResult(
        check=CHECK,
        status=Status.SKIPPED,
        summary=f"not run: {reason}",
        **_budget(settings),
    )
