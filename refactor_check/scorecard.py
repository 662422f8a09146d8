"""The scorecard: behaviour as a gate, Verification and Stewardship as levels 1-4, a total.

The hiring rubric weighs Verification ("regressions are expensive to ship") and Stewardship
("the codebase is growing fast") differently per role, so both are set per exercise:

    [scorecard]
    weights = { verification = 2, stewardship = 1 }

    [scorecard.verification.level_3]
    candidate_tests_min = 0.8          # <figure>_min or <figure>_max

A level is reached when every threshold of it and of the levels below is met by a measured
figure; level 1 needs nothing. A threshold on a figure that was not measured stops the climb
there, and says so: a level is never earned on a number nobody measured. The weighted total
counts only when the behaviour gate passed and both levels are known.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from .errors import BadInputError
from .history.model import History
from .results import CheckResult, Status
from .results.codec import structure
from .results.complexity import ComplexityResult
from .results.mutation import MutationResult
from .verdict import CHANGED, PRESERVED, Verdict

LEVELS = (1, 2, 3, 4)
TOP_LEVEL = LEVELS[-1]
VERIFICATION, STEWARDSHIP = "verification", "stewardship"
MIN, MAX = "min", "max"
_WHERE = "exercise.toml [scorecard]"


@dataclass(frozen=True)
class FigureSpec:
    label: str  # what it measures, for people
    unit: str  # "share" (0..1), "count", "ratio", "points" (an index), "change" (signed)
    # Measured only for some submissions (the git history's figures): a threshold on it is
    # left out, not held, where it was not measured, so lacking a history is never a penalty.
    optional: bool = False


# What each dimension measures. Verification: mutation scores of the candidate's own tests.
# Stewardship: radon's measures of the candidate against the original's.
FIGURES: dict[str, dict[str, FigureSpec]] = {
    VERIFICATION: {
        "own_test_files": FigureSpec("test files the candidate wrote", "count"),
        "candidate_tests": FigureSpec(
            "mutants of their code their tests detect (mutation score)", "share"
        ),
        "candidate_tests_on_original": FigureSpec(
            "mutants of the original their tests detect (pinned before changing)", "share"
        ),
        "golden_on_original": FigureSpec(
            "mutants of the original the golden suite detects (the exercise's own strength)",
            "share",
        ),
        # From the git history (``history``); no default level uses them: an exercise opts in.
        "history_pinned_tests": FigureSpec(
            "their tests that passed on the original before the package first changed",
            "count",
            optional=True,
        ),
        "history_green_share": FigureSpec(
            "commits after the first package change with golden and their tests green",
            "share",
            optional=True,
        ),
    },
    STEWARDSHIP: {
        "cc_max_ratio": FigureSpec(
            "largest function's cyclomatic complexity, candidate / original", "ratio"
        ),
        "cc_max": FigureSpec("largest function's cyclomatic complexity", "count"),
        "complex_functions": FigureSpec("functions of complexity above 10 (rank C-F)", "count"),
        "mi_min": FigureSpec("least maintainable module's maintainability index", "points"),
        "mi_min_change": FigureSpec("change in the least maintainable module's index", "change"),
        "duplicated_lines_added": FigureSpec("duplicated lines the candidate added", "count"),
        "lines_changed": FigureSpec(
            "lines of the package changed (removed plus added, blank lines apart)", "count"
        ),
    },
}


@dataclass(frozen=True)
class LevelRule:
    level: int
    meaning: str
    thresholds: dict[str, float]  # "<figure>_min" / "<figure>_max" -> bound


@dataclass(frozen=True)
class DimensionRules:
    name: str
    floor: str  # what level 1 means
    levels: tuple[LevelRule, ...]  # levels 2, 3, 4, each on top of the ones below


# The defaults. Verification: 0.7 is the common bar for a mutation score that "pins most of
# the code" (a third of mutants alive means whole branches unasserted); 0.4 separates tests
# that check some results from tests that only run code. Stewardship: a refactor of a gnarly
# module should cut its worst function markedly (to at most 60%) and raise the weakest
# module's maintainability index, without pasting code; at the top no function is left above
# complexity 10, radon's line between "simple" and "moderate risk". A package left as the
# starter gave it earns nothing: its figures equal the original's, which would otherwise
# read as "no harder to change".
DEFAULT_RULES = {
    VERIFICATION: DimensionRules(
        VERIFICATION,
        "no evidence that their tests pin behaviour",
        (
            LevelRule(
                2,
                "their tests pin some behaviour",
                {"own_test_files_min": 1, "candidate_tests_min": 0.4},
            ),
            LevelRule(3, "their tests pin most of their code", {"candidate_tests_min": 0.7}),
            LevelRule(
                4,
                "and pinned the original's behaviour before changing it",
                {"candidate_tests_on_original_min": 0.7},
            ),
        ),
    ),
    STEWARDSHIP: DimensionRules(
        STEWARDSHIP,
        "harder to change than the original, or not refactored at all",
        (
            LevelRule(
                2,
                "no harder to change than the original",
                {"cc_max_ratio_max": 1.0, "mi_min_change_min": 0.0, "lines_changed_min": 1},
            ),
            LevelRule(
                3,
                "clearly easier to change",
                {
                    "cc_max_ratio_max": 0.6,
                    "mi_min_change_min": 5.0,
                    "duplicated_lines_added_max": 0,
                },
            ),
            LevelRule(
                4,
                "easy to change: no complex function left",
                {"cc_max_max": 10, "complex_functions_max": 0},
            ),
        ),
    ),
}
DEFAULT_WEIGHTS = {VERIFICATION: 1.0, STEWARDSHIP: 1.0}


@dataclass(frozen=True)
class Settings:
    rules: dict[str, DimensionRules] = field(default_factory=lambda: dict(DEFAULT_RULES))
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    source: str = "defaults"  # or where overrides came from


@dataclass(frozen=True)
class Figure:
    name: str
    label: str
    unit: str
    value: float | None  # None: not measured
    note: str | None = None  # why not measured, or what qualifies the number

    @property
    def display(self) -> str:
        return "not measured" if self.value is None else format_value(self.value, self.unit)


@dataclass(frozen=True)
class ThresholdCheck:
    figure: str
    op: str  # MIN or MAX
    bound: float
    actual: float | None
    met: bool | None  # None: the figure was not measured


@dataclass(frozen=True)
class LevelCheck:
    level: int
    meaning: str
    thresholds: tuple[ThresholdCheck, ...]

    @property
    def met(self) -> bool | None:
        if any(t.met is False for t in self.thresholds):
            return False
        if any(t.met is None for t in self.thresholds):
            return None
        return True


@dataclass(frozen=True)
class Dimension:
    name: str
    level: int | None  # None: not measured
    meaning: str
    why: str  # one line: what set the level
    floor: str  # what level 1 means
    weight: float
    figures: tuple[Figure, ...]
    levels: tuple[LevelCheck, ...]


@dataclass(frozen=True)
class Gate:
    status: str  # "passed", "failed" or "unknown" (the tool could not decide)
    verdict: str
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class Scorecard:
    gate: Gate
    dimensions: tuple[Dimension, ...]
    weighted_total: float | None
    total_note: str
    source: str

    def dimension(self, name: str) -> Dimension:
        return next(d for d in self.dimensions if d.name == name)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Scorecard:
        """What ``to_dict`` wrote; what it derives (a figure's display, a threshold's text,
        the weights by name) is derived again."""
        return structure(data, cls)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: every key always present, null where nothing was measured."""
        return {
            "gate": {
                "name": "behaviour preserved",
                "status": self.gate.status,
                "verdict": self.gate.verdict,
                "evidence": list(self.gate.evidence),
            },
            "dimensions": [_dimension_json(d) for d in self.dimensions],
            "weights": {d.name: d.weight for d in self.dimensions},
            "weighted_total": self.weighted_total,
            "out_of": TOP_LEVEL,
            "total_note": self.total_note,
            "source": self.source,
        }


# Parsing exercise.toml [scorecard] -------------------------------------------------------


def settings_from(table: object) -> Settings:
    """Defaults, with an exercise's ``[scorecard]`` table applied; bad input is one line."""
    if table is None:
        return Settings()
    if not isinstance(table, dict):
        raise BadInputError(f"{_WHERE} must be a table")
    unknown = set(table) - {"weights", *DEFAULT_RULES}
    if unknown:
        raise BadInputError(
            f"{_WHERE}: unknown key {sorted(unknown)[0]!r} "
            f"(known: weights, {', '.join(DEFAULT_RULES)})"
        )
    weights = _weights(table.get("weights", {}))
    rules = {name: _rules(name, table.get(name, {})) for name in DEFAULT_RULES}
    return Settings(rules=rules, weights=weights, source=_WHERE if table else "defaults")


def _weights(table: object) -> dict[str, float]:
    if not isinstance(table, dict):
        raise BadInputError(f"{_WHERE}: weights must be a table")
    weights = dict(DEFAULT_WEIGHTS)
    for name, value in table.items():
        if name not in weights:
            raise BadInputError(f"{_WHERE}: unknown weight {name!r} (known: {', '.join(weights)})")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise BadInputError(f"{_WHERE}: weight {name} must be a number >= 0")
        weights[name] = float(value)
    if not any(weights.values()):
        raise BadInputError(f"{_WHERE}: at least one weight must be above 0")
    return weights


def _rules(name: str, table: object) -> DimensionRules:
    defaults = DEFAULT_RULES[name]
    if not isinstance(table, dict):
        raise BadInputError(f"{_WHERE}: [scorecard.{name}] must be a table")
    by_key = {f"level_{rule.level}": rule for rule in defaults.levels}
    levels = dict(by_key)
    for key, overrides in table.items():
        if key not in by_key:
            raise BadInputError(
                f"{_WHERE}: unknown table [scorecard.{name}.{key}] (known: {', '.join(by_key)})"
            )
        if not isinstance(overrides, dict):
            raise BadInputError(f"{_WHERE}: [scorecard.{name}.{key}] must be a table")
        thresholds = dict(by_key[key].thresholds)
        for threshold, bound in overrides.items():
            _check_threshold(name, key, threshold, bound)
            thresholds[threshold] = float(bound)
        levels[key] = replace(by_key[key], thresholds=thresholds)
    return replace(defaults, levels=tuple(levels[k] for k in by_key))


def _check_threshold(dimension: str, level: str, key: str, bound: object) -> None:
    figure, _, op = key.rpartition("_")
    where = f"{_WHERE}: [scorecard.{dimension}.{level}] {key}"
    if op not in (MIN, MAX) or figure not in FIGURES[dimension]:
        known = ", ".join(f"{f}_min, {f}_max" for f in FIGURES[dimension])
        raise BadInputError(f"{where}: unknown threshold (known: {known})")
    if isinstance(bound, bool) or not isinstance(bound, (int, float)):
        raise BadInputError(f"{where} must be a number")


# Computing it ----------------------------------------------------------------------------


def compute(
    settings: Settings,
    verdict: Verdict,
    checks: Sequence[CheckResult],
    own_test_files: int,
    history: History | None = None,
) -> Scorecard:
    """``history`` is the candidate's git history as read (None: not asked for)."""
    gate = _gate(verdict, checks)
    figures = {
        VERIFICATION: _verification_figures(checks, own_test_files) + _history_figures(history),
        STEWARDSHIP: _stewardship_figures(checks),
    }
    dimensions = tuple(
        _dimension(settings.rules[name], figures[name], settings.weights[name])
        for name in (VERIFICATION, STEWARDSHIP)
    )
    total, note = _total(gate, dimensions)
    return Scorecard(gate, dimensions, total, note, settings.source)


def _gate(verdict: Verdict, checks: Sequence[CheckResult]) -> Gate:
    status = {PRESERVED: "passed", CHANGED: "failed"}.get(verdict.verdict, "unknown")
    behaviour = [c for c in checks if c.check in ("syntax", "integrity", "golden", "differential")]
    evidence = [f"{c.check}: {c.status.value}: {c.summary}" for c in behaviour]
    if verdict.findings:
        kinds = sorted({f.kind for f in verdict.findings})
        evidence.append(f"{len(verdict.findings)} finding(s): {', '.join(kinds)}")
    return Gate(status, verdict.verdict, tuple(evidence))


def _figure(dimension: str, name: str, value: float | None, note: str | None = None) -> Figure:
    spec = FIGURES[dimension][name]
    return Figure(name, spec.label, spec.unit, value, note)


def _verification_figures(checks: Sequence[CheckResult], own_test_files: int) -> list[Figure]:
    result = next((c for c in checks if c.check == "mutation"), None)
    own = _figure(VERIFICATION, "own_test_files", own_test_files)
    if not isinstance(result, MutationResult) or result.status is not Status.PASSED:
        why = "mutation testing did not run" + (f" ({result.summary})" if result else "")
        return [own] + [
            _figure(VERIFICATION, name, None, why)
            for name in ("candidate_tests", "candidate_tests_on_original", "golden_on_original")
        ]
    absent = "the candidate wrote no tests" if own_test_files == 0 else " ".join(result.notes)
    figures = [own]
    for name in ("candidate_tests", "candidate_tests_on_original", "golden_on_original"):
        score = getattr(result, name)
        if score is None:
            figures.append(_figure(VERIFICATION, name, None, absent or "not scored"))
        else:
            figures.append(_figure(VERIFICATION, name, score.score, score.note))
    return figures


def _history_figures(history: History | None) -> list[Figure]:
    facts = history.facts if history is not None else None
    if facts is None:
        # None: not asked for (merge, --no-history), said as report.json says it.
        why = "not read" if history is None else history.why or "no history read"
        return [
            _figure(VERIFICATION, "history_pinned_tests", None, why),
            _figure(VERIFICATION, "history_green_share", None, why),
        ]
    pinned, judged = facts.pinned_first, facts.judged_commits
    return [
        _figure(
            VERIFICATION,
            "history_pinned_tests",
            len(pinned.tests) if pinned is not None else 0,
            facts.pinned_note,
        ),
        _figure(
            VERIFICATION,
            "history_green_share",
            facts.green_share,
            f"{facts.green_commits} of {judged} commits"
            if judged
            else "no commit changed the package",
        ),
    ]


def _stewardship_figures(checks: Sequence[CheckResult]) -> list[Figure]:
    result = next((c for c in checks if c.check == "complexity"), None)
    names = list(FIGURES[STEWARDSHIP])
    if not isinstance(result, ComplexityResult):
        why = "complexity was not measured" + (f" ({result.summary})" if result else "")
        return [_figure(STEWARDSHIP, name, None, why) for name in names]
    if result.candidate.unparsed:
        why = f"{len(result.candidate.unparsed)} file(s) of the candidate do not parse"
        return [_figure(STEWARDSHIP, name, None, why) for name in names]
    before, after = result.original, result.candidate
    values: dict[str, float | None] = {
        "cc_max_ratio": round(after.cc_max / before.cc_max, 3) if before.cc_max else None,
        "cc_max": after.cc_max,
        "complex_functions": after.complex_functions,
        "mi_min": after.mi_min,
        "mi_min_change": (
            round(after.mi_min - before.mi_min, 2)
            if after.mi_min is not None and before.mi_min is not None
            else None
        ),
        "duplicated_lines_added": sum(b.redundant_lines for b in result.duplicates_added),
        "lines_changed": result.change.lines_changed if result.change is not None else None,
    }
    return [
        _figure(STEWARDSHIP, name, values[name], None if values[name] is not None else "no code")
        for name in names
    ]


def _dimension(rules: DimensionRules, figures: list[Figure], weight: float) -> Dimension:
    by_name = {f.name: f for f in figures}
    checks = tuple(_level_check(rule, by_name) for rule in rules.levels)
    level: int | None = 1
    meaning = rules.floor
    why = f"level {TOP_LEVEL}: every threshold met"
    for check in checks:
        if check.met is True:
            level, meaning = check.level, check.meaning
            continue
        if check.met is None and level == 1:
            level, meaning = None, "not measured"
            why = f"not measured: {_held(check)}"
        else:
            why = f"level {level}; level {check.level} not reached: {_held(check)}"
        break
    return Dimension(
        name=rules.name,
        level=level,
        meaning=meaning,
        why=why,
        floor=rules.floor,
        weight=weight,
        figures=tuple(figures),
        levels=checks,
    )


def _level_check(rule: LevelRule, figures: dict[str, Figure]) -> LevelCheck:
    thresholds = []
    for key, bound in rule.thresholds.items():
        name, _, op = key.rpartition("_")
        actual = figures[name].value
        if actual is None and _spec(name).optional:
            continue  # not measured for this submission: neither met nor held
        met = None if actual is None else (actual >= bound if op == MIN else actual <= bound)
        thresholds.append(ThresholdCheck(name, op, bound, actual, met))
    return LevelCheck(rule.level, rule.meaning, tuple(thresholds))


def _spec(name: str) -> FigureSpec:
    return next(specs[name] for specs in FIGURES.values() if name in specs)


def _held(check: LevelCheck) -> str:
    """The thresholds of ``check`` that were not met, and why."""
    held = []
    for t in check.thresholds:
        if t.met is False:
            held.append(f"{t.figure} is {_plain(t.actual)}, needs {_bound(t)}")
        elif t.met is None:
            held.append(f"{t.figure} needs {_bound(t)}, not measured")
    return "; ".join(held)


def _bound(t: ThresholdCheck, unit: str | None = None) -> str:
    bound = _plain(t.bound) if unit is None else format_value(t.bound, unit)
    return f"{'>=' if t.op == MIN else '<='} {bound}"


def _plain(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:g}"


def _total(gate: Gate, dimensions: Sequence[Dimension]) -> tuple[float | None, str]:
    weighted = [d for d in dimensions if d.weight > 0]
    unmeasured = [d.name for d in weighted if d.level is None]
    formula = " + ".join(f"{d.weight:g} x {d.name}" for d in weighted)
    total_weight = sum(d.weight for d in weighted)
    if gate.status != "passed":
        return None, f"not scored: the behaviour gate did not pass (verdict {gate.verdict})"
    if unmeasured:
        return None, f"not scored: {', '.join(unmeasured)} not measured"
    value = sum(d.weight * (d.level or 0) for d in weighted) / total_weight
    return round(value, 2), f"({formula}) / {total_weight:g}"


def format_value(value: float, unit: str) -> str:
    formats: dict[str, Callable[[float], str]] = {
        "share": lambda v: f"{v:.0%}",
        "count": lambda v: f"{v:g}",
        "ratio": lambda v: f"{v:.2f}x",
        "points": lambda v: f"{v:.1f}",
        "change": lambda v: f"{v:+.1f}",
    }
    return formats[unit](value)


def threshold_text(dimension: Dimension, t: ThresholdCheck) -> str:
    """'candidate_tests >= 70%: 77%', in the unit of the dimension's figure it bounds."""
    unit = next(f.unit for f in dimension.figures if f.name == t.figure)
    actual = "not measured" if t.actual is None else format_value(t.actual, unit)
    return f"{t.figure} {_bound(t, unit)}: {actual}"


def _dimension_json(d: Dimension) -> dict[str, Any]:
    return {
        "name": d.name,
        "level": d.level,
        "out_of": TOP_LEVEL,
        "meaning": d.meaning,
        "why": d.why,
        "floor": d.floor,
        "weight": d.weight,
        "figures": [
            {
                "name": f.name,
                "label": f.label,
                "unit": f.unit,
                "value": f.value,
                "display": f.display,
                "note": f.note,
            }
            for f in d.figures
        ],
        "levels": [
            {
                "level": check.level,
                "meaning": check.meaning,
                "met": check.met,
                "thresholds": [
                    {
                        "figure": t.figure,
                        "op": t.op,
                        "bound": t.bound,
                        "actual": t.actual,
                        "met": t.met,
                        "text": threshold_text(d, t),
                    }
                    for t in check.thresholds
                ],
            }
            for check in d.levels
        ],
    }
