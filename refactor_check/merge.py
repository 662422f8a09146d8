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

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from . import reports, scorecard, sharding
from .batch import merge as batch_merge
from .batch import state
from .batch.rows import Row
from .errors import BadInputError
from .report import Report, read_json
from .reports import json_report
from .results.codec import first_difference
from .results.mutation import CHECK, SCORES, MutationResult, MutationScore, build_result, tally
from .results.run import Recheck
from .scorecard import Scorecard

# Parts of a shard's report that may differ between shards: they are rebuilt, not compared.
_REBUILT = ("timing", "shard", "mutation", "scorecard", "recheck")


def merge_reports(reports: Sequence[Report]) -> Report:
    """The report an unsharded run writes, from the reports of all N shards of it."""
    ordered = _complete(reports)
    _agree(ordered)
    first = ordered[0]
    joined = _join_mutation(ordered)
    checks = first.checks
    card = first.scorecard
    if joined is not None:
        checks = tuple(joined if c.check == CHECK else c for c in first.checks)
        if card is not None:
            card = _rescore(replace(first, checks=checks), ordered)
    recheck = first.recheck
    if recheck is not None and any(r.recheck != recheck for r in ordered):
        # Each shard is its own grading, kept (or not) under its own key.
        recheck = Recheck(
            from_cache=all(r.recheck is not None and r.recheck.from_cache for r in ordered),
            key=None,
            kept=False,
            why_not_kept="a merged report is not kept; its shards' reports are",
        )
    return replace(
        first,
        checks=checks,
        scorecard=card,  # the gates are held to the joined scorecard, not the first shard's
        timing=_slowest([r.timing for r in ordered]),
        shard=None,
        recheck=recheck,
    )


@dataclass(frozen=True)
class Merged:
    written: tuple[Path, ...]
    report: Report | None = None  # of a joined run
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
    return Merged(tuple(reports.write_all(merged, out)), report=merged)


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


def _read_report(directory: Path) -> Report:
    path = directory / json_report.FILENAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BadInputError(f"cannot read {path} ({exc.__class__.__name__})") from None
    return read_json(data, str(path))


# Which shards ----------------------------------------------------------------------------


def _complete(reports: Sequence[Report]) -> list[Report]:
    """The reports in shard order; bad input unless they are shards 1..N of N, once each."""
    pairs = [(r.shard.index, r.shard.count) for r in reports if r.shard is not None]
    if len(pairs) != len(reports):
        raise BadInputError("a report given to merge is not from 'run --shard I/N'")
    return [reports[i] for i in sharding.check_complete(pairs)]


def _agree(reports: Sequence[Report]) -> None:
    """Everything not rebuilt must be the same in every shard. Compared in the JSON form, so
    a disagreement is named by the field a person finds in report.json."""
    first = _comparable(reports[0])
    for other in reports[1:]:
        field = first_difference(first, _comparable(other))
        if field is not None:
            raise BadInputError(
                f"shard {_index(other)} disagrees with shard {_index(reports[0])} on "
                f"{field}: {_likely_cause(field)}"
            )


def _index(report: Report) -> int:
    return report.shard.index if report.shard is not None else 0


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


def _comparable(report: Report) -> dict[str, Any]:
    data = report.to_dict()
    kept = {k: v for k, v in data.items() if k not in _REBUILT}
    # CI machines may check the submission out at different paths; the content is compared.
    kept["candidate"] = {k: v for k, v in data["candidate"].items() if k != "path"}
    kept["checks"] = [c for c in data["checks"] if c["check"] != CHECK]
    # Each shard's scorecard, so which gates it is below, rests on its share of the mutants.
    kept["gates"] = {k: v for k, v in data["gates"].items() if k != "below"}
    # Whether the exercise's probes came from a shard's cache or were searched there is the
    # machine's history, not the run's: the probes themselves are compared.
    differential = data["differential"]
    if isinstance(differential.get("probes"), dict):
        probes = {k: v for k, v in differential["probes"].items() if k != "source"}
        kept["differential"] = {**differential, "probes": probes}
    return kept


# The mutation stage ----------------------------------------------------------------------


def _join_mutation(reports: Sequence[Report]) -> MutationResult | None:
    """The joined result, or None when the stage did not run (then it is the same everywhere)."""
    results = [r.check(CHECK) for r in reports]
    ran = [r for r in results if isinstance(r, MutationResult)]
    if len(ran) < len(results):
        if any(r != results[0] for r in results):
            raise BadInputError("the mutation stage did not run alike in every shard")
        return None
    first = ran[0]
    for name in ("status", "profile", "not_mutated", "notes"):
        if any(getattr(r, name) != getattr(first, name) for r in ran):
            raise BadInputError(f"the shards disagree on mutation {name!r}")
    golden, own, own_on_original = (
        _join_score(name, [getattr(r, name) for r in ran]) for name in SCORES
    )
    if golden is None:
        raise BadInputError("the shards' reports hold no golden_on_original score")
    return build_result(first.profile, golden, own, own_on_original, first.not_mutated, first.notes)


def _join_score(name: str, parts: Sequence[MutationScore | None]) -> MutationScore | None:
    if all(p is None for p in parts):
        return None
    scored = [p for p in parts if p is not None]
    if len(scored) == len(parts) and all(p.shard is None for p in scored):
        return _whole_score(name, scored)
    shares = [p.shard for p in scored if p.shard is not None]
    if len(shares) != len(parts):
        raise BadInputError(f"mutation {name}: a shard has no share of this score")
    if len({(s.generated, s.keys_digest) for s in shares}) != 1:
        raise BadInputError(
            f"mutation {name}: the shards generated different mutants "
            "(different code, profile or mutmut version)"
        )
    for key in ("tests_used", "tests_skipped", "source_files"):
        if any(getattr(p, key) != getattr(scored[0], key) for p in scored):
            raise BadInputError(f"mutation {name}: the shards disagree on {key!r}")
    mutants = [m for p in scored for m in p.mutants]
    keys = {m.key for m in mutants}
    if len(keys) != len(mutants) or len(keys) != shares[0].generated:
        raise BadInputError(
            f"mutation {name}: the shards' mutants do not add up to the "
            f"{shares[0].generated} generated (each must be tested by exactly one shard)"
        )
    mutants.sort(key=lambda m: (m.file, m.line, m.key))
    score = tally(
        mutants,
        scored[0].source_files,
        failure=next((s.failure for s in shares if s.failure), None),
        timed_out=any(s.timed_out for s in shares),
    )
    return replace(
        score,
        tests_used=scored[0].tests_used,
        tests_skipped=scored[0].tests_skipped,
        cached=all(p.cached for p in scored),
    )


def _whole_score(name: str, parts: Sequence[MutationScore]) -> MutationScore:
    """A score every shard computed whole (the golden suite's): the same in each of them."""
    if any(replace(p, cached=False) != replace(parts[0], cached=False) for p in parts):
        raise BadInputError(f"mutation {name}: the shards computed different scores")
    # Taken from the cache only if every shard took it from there.
    return replace(parts[0], cached=all(p.cached for p in parts))


# The scorecard ---------------------------------------------------------------------------


def _rescore(merged: Report, shards: Sequence[Report]) -> Scorecard:
    """The scorecard a run computes, from the joined scores and the report's other facts.

    Its other inputs are all in the report: the verdict, each check's status (the behaviour
    gate), the complexity check's result (static: every shard measured the same sources) and
    the exercise's [scorecard] settings (in the shard block). What does not rest on mutation
    must come out as every shard has it, or the rebuild is not faithful and merge stops.
    """
    card = scorecard.compute(
        scorecard.settings_from(merged.exercise.scorecard_settings),
        merged.verdict,
        merged.checks,
        len(merged.candidate.own_tests),
        merged.history,
    )
    for shard in shards:
        if shard.scorecard is None or _beside_verification(card) != _beside_verification(
            shard.scorecard
        ):
            raise BadInputError(
                "cannot rebuild the scorecard from the shards' reports (its parts that do not "
                "rest on mutation come out different); merge needs reports of this version"
            )
    return card


def _beside_verification(card: Scorecard) -> Scorecard:
    """The parts of a scorecard that do not rest on the mutation scores."""
    others = tuple(d for d in card.dimensions if d.name != scorecard.VERIFICATION)
    return replace(card, dimensions=others, weighted_total=None, total_note="")


def _slowest(timings: Sequence[dict[str, float]]) -> dict[str, float]:
    """Each stage's time in the slowest shard: the shards run side by side."""
    stages: dict[str, float] = {}
    for timing in timings:
        for stage, seconds in timing.items():
            stages[stage] = max(stages.get(stage, 0.0), seconds)
    return stages
