"""``refactor-check merge``: join the reports of ``run --shard I/N`` into the unsharded report.

A shard's report.json is a whole report whose candidate mutation scores each cover only the
shard's share of the mutants (``mutation.<score>.shard``); the golden suite's score is whole
in every shard. Joining is exact: the union of the shares' mutants goes through
``results.mutation.tally``, the arithmetic an unsharded run uses, and the sections that rest
on the scores (the mutation check's summary, the scorecard) are rebuilt by the code that
builds them in a run. Everything else must be the same in every shard: a
difference means the shards are not shards of one run (or one of them went wrong), and the
merge refuses rather than guess. Only ``timing`` varies (each stage: the slowest shard).

Batch outputs (``batch --shard``) are joined by ``batch.merge``; ``merge`` tells them apart.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from . import level_gate, reports, scorecard, sharding
from . import report as report_mod
from .batch import merge as batch_merge
from .batch import state
from .batch.rows import Row
from .errors import BadInputError
from .reports import json_report
from .results import CheckResult, Finding, Status
from .results import complexity as complexity_result
from .results.mutation import (
    Mutant,
    MutationResult,
    MutationScore,
    NotMutated,
    build_result,
    tally,
)
from .verdict import Verdict

SCORES = ("golden_on_original", "candidate_tests", "candidate_tests_on_original")
# Parts of a shard's report that may differ between shards: they are rebuilt, not compared.
_REBUILT = ("timing", "shard", "mutation", "scorecard", "recheck")


def merge_reports(reports: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The report an unsharded run writes, from the reports of all N shards of it."""
    ordered = _complete(reports)
    _agree(ordered)
    merged = copy.deepcopy(ordered[0])
    joined = _join_mutation([r["mutation"] for r in ordered])
    if joined is not None:
        merged["mutation"] = report_mod.mutation_section(joined)
        merged["checks"] = [
            report_mod.check_summary(joined) if c["check"] == "mutation" else c
            for c in merged["checks"]
        ]
        if merged.get("scorecard") is not None:
            merged["scorecard"] = _rescore(merged, joined, ordered)
    if "gates" in merged:  # held to the joined scorecard, not to the first shard's
        gates, source = level_gate.from_section(merged)
        merged["gates"] = level_gate.section(gates, source, merged)
    merged["timing"] = _slowest([r.get("timing", {}) for r in ordered])
    del merged["shard"]
    blocks = [r.get("recheck") for r in ordered]
    if "recheck" in merged and any(b != blocks[0] for b in blocks):
        # Each shard is its own grading, kept (or not) under its own key.
        merged["recheck"] = {
            "from_cache": all(bool((r.get("recheck") or {}).get("from_cache")) for r in ordered),
            "key": None,
            "kept": False,
            "why_not_kept": "a merged report is not kept; its shards' reports are",
        }
    return merged


@dataclass(frozen=True)
class Merged:
    written: tuple[Path, ...]
    report: dict[str, Any] | None = None  # of a joined run
    cohort: tuple[Row, ...] = ()  # of a joined batch


def merge(directories: Sequence[Path], out: Path) -> Merged:
    """Join the outputs in ``directories``: all of ``run --shard`` or all of ``batch --shard``."""
    kinds = {_kind(d) for d in directories}
    if len(kinds) > 1:
        raise BadInputError("merge joins shards of one kind: all from 'run' or all from 'batch'")
    if kinds == {"batch"}:
        cohort, written = batch_merge.merge_batches(directories, out)
        return Merged(written, cohort=cohort)
    merged = merge_reports([_read_report(d) for d in directories])
    return Merged(write(merged, out), report=merged)


def write(merged: dict[str, Any], out_dir: Path) -> tuple[Path, ...]:
    """Every report a run writes, from the joined JSON form."""
    return tuple(reports.write_data(merged, out_dir))


def _kind(directory: Path) -> str:
    if not directory.is_dir():
        raise BadInputError(f"shard directory {directory} does not exist")
    if state.read_manifest(directory) is not None:
        return "batch"
    if (directory / json_report.FILENAME).is_file():
        return "run"
    raise BadInputError(
        f"{directory} is neither the --out of 'run --shard I/N' (report.json) nor of "
        "'batch --shard I/N' (batch.json)"
    )


def _read_report(directory: Path) -> dict[str, Any]:
    path = directory / json_report.FILENAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BadInputError(f"cannot read {path} ({exc.__class__.__name__})") from None
    if not isinstance(data, dict):
        raise BadInputError(f"{path} is not a refactor-check report")
    return data


# Which shards ----------------------------------------------------------------------------


def _complete(reports: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The reports in shard order; bad input unless they are shards 1..N of N, once each."""
    blocks = [r.get("shard") for r in reports]
    pairs = [(b["index"], b["count"]) for b in blocks if isinstance(b, dict)]
    if len(pairs) != len(reports):
        raise BadInputError("a report given to merge is not from 'run --shard I/N'")
    return [reports[i] for i in sharding.check_complete(pairs)]


def _agree(reports: Sequence[dict[str, Any]]) -> None:
    """Everything not rebuilt must be the same in every shard."""
    first = _comparable(reports[0])
    for other in reports[1:]:
        field = _first_difference(first, _comparable(other))
        if field is not None:
            raise BadInputError(
                f"shard {other['shard']['index']} disagrees with shard "
                f"{reports[0]['shard']['index']} on {field}: {_likely_cause(field)}"
            )


# What a disagreement on a top-level field most likely means, for the one-line error.
_CAUSES = {
    "tool": "the shards ran different refactor-check versions; grade every shard with one",
    "exercise": "the shards graded against different exercises or versions of one",
    "candidate": "the shards graded different submissions (or different versions of one)",
    "differential": "the shards ran differential testing with different settings "
    "(--seed, --differential-examples) or one was cut short by its time ceiling",
    "checks": "a check came out differently in one shard (a flaky test, or a run cut short)",
    "isolation": "the shards ran under different sandboxes (--sandbox, or bwrap missing on one)",
}


def _likely_cause(field: str) -> str:
    top = field.split(".", 1)[0].split("[", 1)[0]
    cause = _CAUSES.get(top, "they are not shards of one run")
    return f"{cause}; run the shards again alike, then merge"


def _first_difference(a: object, b: object, path: str = "") -> str | None:
    """The dotted path of the first field where ``a`` and ``b`` differ, else None."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b), key=str):
            found = _first_difference(a.get(key), b.get(key), f"{path}.{key}" if path else key)
            if found is not None:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            found = _first_difference(x, y, f"{path}[{index}]")
            if found is not None:
                return found
        return None
    return None if a == b else (path or "the report")


def _comparable(data: dict[str, Any]) -> dict[str, Any]:
    kept = {k: v for k, v in data.items() if k not in _REBUILT}
    # CI machines may check the submission out at different paths; the content is compared.
    kept["candidate"] = {k: v for k, v in data.get("candidate", {}).items() if k != "path"}
    kept["checks"] = [c for c in data.get("checks", []) if c.get("check") != "mutation"]
    # Each shard's scorecard, so which gates it is below, rests on its share of the mutants.
    if isinstance(data.get("gates"), dict):
        kept["gates"] = {k: v for k, v in data["gates"].items() if k != "below"}
    # Whether the exercise's probes came from a shard's cache or were searched there is the
    # machine's history, not the run's: the probes themselves are compared.
    differential = data.get("differential")
    if isinstance(differential, dict) and isinstance(differential.get("probes"), dict):
        probes = {k: v for k, v in differential["probes"].items() if k != "source"}
        kept["differential"] = {**differential, "probes": probes}
    return kept


# The mutation stage ----------------------------------------------------------------------


def _join_mutation(sections: Sequence[dict[str, Any]]) -> MutationResult | None:
    """The joined result, or None when the stage did not run (then it is the same everywhere)."""
    if any("profile" not in s for s in sections):
        if any(s != sections[0] for s in sections):
            raise BadInputError("the mutation stage did not run alike in every shard")
        return None
    for key in ("status", "profile", "not_mutated", "notes"):
        if any(s.get(key) != sections[0].get(key) for s in sections):
            raise BadInputError(f"the shards disagree on mutation {key!r}")
    golden, own, own_on_original = (_join_score(name, sections) for name in SCORES)
    if golden is None:
        raise BadInputError("the shards' reports hold no golden_on_original score")
    return build_result(
        sections[0]["profile"],
        golden,
        own,
        own_on_original,
        tuple(NotMutated(**n) for n in sections[0]["not_mutated"]),
        tuple(sections[0]["notes"]),
    )


def _join_score(name: str, sections: Sequence[dict[str, Any]]) -> MutationScore | None:
    parts = [s.get(name) for s in sections]
    if all(p is None for p in parts):
        return None
    if all(isinstance(p, dict) and "shard" not in p for p in parts):
        return _whole_score(name, [p for p in parts if isinstance(p, dict)])
    if any(not isinstance(p, dict) or not isinstance(p.get("shard"), dict) for p in parts):
        raise BadInputError(f"mutation {name}: a shard has no share of this score")
    shares = [p["shard"] for p in parts if isinstance(p, dict)]
    scored = [p for p in parts if isinstance(p, dict)]
    if len({(s["generated"], s["keys_digest"]) for s in shares}) != 1:
        raise BadInputError(
            f"mutation {name}: the shards generated different mutants "
            "(different code, profile or mutmut version)"
        )
    for key in ("tests_used", "tests_skipped", "source_files"):
        if any(p.get(key) != scored[0].get(key) for p in scored):
            raise BadInputError(f"mutation {name}: the shards disagree on {key!r}")
    mutants = [Mutant(**m) for p in scored for m in p["mutants"]]
    keys = {m.key for m in mutants}
    if len(keys) != len(mutants) or len(keys) != shares[0]["generated"]:
        raise BadInputError(
            f"mutation {name}: the shards' mutants do not add up to the "
            f"{shares[0]['generated']} generated (each must be tested by exactly one shard)"
        )
    mutants.sort(key=lambda m: (m.file, m.line, m.key))
    score = tally(
        mutants,
        tuple(scored[0]["source_files"].items()),
        failure=next((s["failure"] for s in shares if s.get("failure")), None),
        timed_out=any(s["timed_out"] for s in shares),
    )
    return replace(
        score,
        tests_used=tuple(scored[0].get("tests_used", ())),
        tests_skipped=tuple(scored[0].get("tests_skipped", ())),
        cached=all(p.get("cached", False) for p in scored),
    )


def _whole_score(name: str, parts: Sequence[dict[str, Any]]) -> MutationScore:
    """A score every shard computed whole (the golden suite's): the same in each of them."""
    if any(_but_cached(p) != _but_cached(parts[0]) for p in parts):
        raise BadInputError(f"mutation {name}: the shards computed different scores")
    data = parts[0]
    fields = {k: data[k] for k in MutationScore.__dataclass_fields__ if k in data}
    fields["mutants"] = tuple(Mutant(**m) for m in data["mutants"])
    fields["source_files"] = tuple(data["source_files"].items())
    fields["tests_used"] = tuple(data.get("tests_used", ()))
    fields["tests_skipped"] = tuple(data.get("tests_skipped", ()))
    # Taken from the cache only if every shard took it from there.
    fields["cached"] = all(p.get("cached", False) for p in parts)
    return MutationScore(**fields)


def _but_cached(score: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in score.items() if k != "cached"}


# The scorecard ---------------------------------------------------------------------------


def _rescore(
    merged: dict[str, Any], joined: MutationResult, shards: Sequence[dict[str, Any]]
) -> dict[str, Any]:
    """The scorecard a run computes, from the joined scores and the report's other facts.

    Its other inputs are all in report.json: the verdict, each check's status (the behaviour
    gate), the complexity check's section (static: every shard measured the same sources) and
    the exercise's [scorecard] settings (in the shard block). What does not rest on mutation
    must come out as every shard has it, or the rebuild is not faithful and merge stops.
    """
    settings = scorecard.settings_from(merged["shard"].get("scorecard_settings"))
    verdict = Verdict(
        merged["verdict"], merged["reason"], tuple(Finding(**f) for f in merged["findings"])
    )
    gate_checks = [
        CheckResult(check=c["check"], status=Status(c["status"]), summary=c["summary"])
        for c in merged["checks"]
        if c["check"] not in ("mutation", "complexity")
    ]
    checks: list[CheckResult] = [*gate_checks, joined]
    if any(c["check"] == "complexity" for c in merged["checks"]):
        checks.append(_complexity(merged))
    own_tests = len(merged["candidate"].get("own_tests", []))
    history = merged.get("history")
    card = scorecard.compute(
        settings, verdict, checks, own_tests, history if isinstance(history, dict) else None
    ).to_dict()
    for shard in shards:
        if _beside_verification(card) != _beside_verification(shard["scorecard"]):
            raise BadInputError(
                "cannot rebuild the scorecard from the shards' reports (its parts that do not "
                "rest on mutation come out different); merge needs reports of this version"
            )
    return card


def _beside_verification(card: dict[str, Any]) -> dict[str, Any]:
    """The parts of a scorecard that do not rest on the mutation scores."""
    return {
        "gate": card.get("gate"),
        "weights": card.get("weights"),
        "source": card.get("source"),
        "dimensions": [
            d for d in card.get("dimensions", []) if d.get("name") != scorecard.VERIFICATION
        ],
    }


def _complexity(merged: dict[str, Any]) -> CheckResult:
    """The complexity check's result as the shards' report holds it (it is static: every
    shard measured the same sources)."""
    entry = next(c for c in merged["checks"] if c["check"] == "complexity")
    section = merged.get("complexity") or {}
    if section.get("original") is None:  # not measured: the scorecard says why
        return CheckResult(
            check=entry["check"], status=Status(entry["status"]), summary=entry["summary"]
        )
    return complexity_result.from_json(entry, section)


def _slowest(timings: Sequence[dict[str, float]]) -> dict[str, float]:
    """Each stage's time in the slowest shard: the shards run side by side."""
    stages: dict[str, float] = {}
    for timing in timings:
        for stage, seconds in timing.items():
            stages[stage] = max(stages.get(stage, 0.0), seconds)
    return stages
