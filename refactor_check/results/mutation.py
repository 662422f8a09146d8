"""The mutation check's outcome: three scores, each with every mutant and what killed it.

What a mutant is and the states mutmut gives it live here, not beside the code that runs
mutmut, so a report (or merge, joining shards' shares) reads a score without loading mutmut.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from . import BASE_FIELDS, CheckResult, Status, base_fields
from .codec import fields_from, jsonable, pairs, structure

CHECK = "mutation"

KILLED, SURVIVED, TIMEOUT, NO_TESTS, SUSPICIOUS, NOT_CHECKED = (
    "killed",
    "survived",
    "timeout",
    "no_tests",
    "suspicious",
    "not_checked",
)
STATUSES = (KILLED, SURVIVED, TIMEOUT, NO_TESTS, SUSPICIOUS, NOT_CHECKED)
# The check's three scores, as report.json names them.
SCORES = ("golden_on_original", "candidate_tests", "candidate_tests_on_original")


@dataclass(frozen=True)
class Mutant:
    key: str  # mutmut's own name, e.g. billing.invoice.x_total__mutmut_3
    file: str  # relative to the package root, e.g. billing/invoice.py
    function: str  # module-qualified, e.g. billing.invoice.Ledger.add
    line: int  # first changed line, in the unmutated file
    status: str
    diff: str


@dataclass(frozen=True)
class ShardShare:
    """A score that covers one shard's mutants only: what merge needs to join the shares."""

    shard: str  # "I/N"
    selected: int  # mutants this shard tested
    generated: int  # mutants mutmut generated in all
    keys_digest: str  # of every generated key: shares of one score agree on it
    # The note of a run that could not start (it zeroes the score); written only when set.
    failure: str | None = None
    timed_out: bool = False


@dataclass(frozen=True)
class MutationScore:
    killed: int
    survived: int
    timeout: int
    no_tests: int
    suspicious: int
    not_checked: int
    total: int
    score: float  # (killed + timeout) / (total - not_checked); 0.0 when nothing was checked
    mutants: tuple[Mutant, ...]
    source_files: tuple[tuple[str, str], ...]  # (path, text) of the mutated package
    note: str | None = None  # why the score is partial or zero
    tests_used: tuple[str, ...] = ()  # test ids the score rests on, where they were chosen
    tests_skipped: tuple[str, ...] = ()  # tests that could not be used (fail on that code)
    cached: bool = False
    shard: ShardShare | None = None  # set when the score covers one shard's mutants only
    # Tests that fail under a null mutant (see mutmut_run.null_mutant): left out of the score.
    harness_detectors: tuple[str, ...] = ()

    @property
    def survivors(self) -> tuple[Mutant, ...]:
        return tuple(m for m in self.mutants if m.status == SURVIVED)

    def blind_spots(self) -> tuple[str, ...]:
        """Functions where the tests scored leave mutants alive, sorted."""
        return tuple(sorted({m.function for m in self.survivors}))


@dataclass(frozen=True)
class NotMutated:
    package: str  # "original" or "candidate"
    file: str
    line: int
    end_line: int
    what: str


@dataclass(frozen=True, kw_only=True)
class MutationResult(CheckResult):
    profile: str
    golden_on_original: MutationScore | None = None
    candidate_tests: MutationScore | None = None
    candidate_tests_on_original: MutationScore | None = None
    not_mutated: tuple[NotMutated, ...] = ()
    notes: tuple[str, ...] = ()

    def golden_blind_spots(self) -> tuple[str, ...]:
        """Functions of the original where golden tests leave mutants alive, sorted."""
        if self.golden_on_original is None:
            return ()
        return self.golden_on_original.blind_spots()


def build_result(
    profile: str,
    golden: MutationScore,
    own: MutationScore | None,
    own_on_original: MutationScore | None,
    not_mutated: tuple[NotMutated, ...],
    notes: tuple[str, ...],
) -> MutationResult:
    """The check's result from its three scores (also how merge rebuilds a joined result)."""
    parts = [f"golden suite detects {_percent(golden)} of the original's mutants"]
    if own is not None:
        parts.append(f"candidate's tests detect {_percent(own)} of theirs")
    if own_on_original is not None:
        parts.append(f"{_percent(own_on_original)} of the original's")
    return MutationResult(
        check=CHECK,
        status=Status.PASSED,
        summary="; ".join(parts),
        profile=profile,
        golden_on_original=golden,
        candidate_tests=own,
        candidate_tests_on_original=own_on_original,
        not_mutated=not_mutated,
        notes=notes,
        warnings=tuple(s.note for s in (golden, own, own_on_original) if s and s.note),
    )


def tally(
    mutants: Sequence[Mutant],
    source_files: tuple[tuple[str, str], ...],
    failure: str | None,
    timed_out: bool,
    generated: int | None = None,
) -> MutationScore:
    """Counts, score and note of these mutants' results.

    ``failure`` is the note of a run that could not start; ``generated`` is how many mutants
    there were in all when ``mutants`` is one shard's share of them.
    """
    counts = {status: 0 for status in STATUSES}
    for mutant in mutants:
        counts[mutant.status] += 1
    total = len(mutants)
    checked = total - counts[NOT_CHECKED]
    note = None
    if failure is not None:
        note = failure
    elif timed_out:
        note = (
            f"the mutation run hit its time limit: {counts[NOT_CHECKED]} of "
            f"{total} mutants were not checked"
        )
    elif (total if generated is None else generated) == 0:
        note = "mutmut generated no mutants (no function bodies to mutate)"
    detected = counts[KILLED] + counts[TIMEOUT]
    # A run that failed to start proves nothing, whatever mutmut recorded before failing.
    score = 0.0 if failure is not None or not checked else detected / checked
    return MutationScore(
        killed=counts[KILLED],
        survived=counts[SURVIVED],
        timeout=counts[TIMEOUT],
        no_tests=counts[NO_TESTS],
        suspicious=counts[SUSPICIOUS],
        not_checked=counts[NOT_CHECKED],
        total=total,
        score=round(score, 4),
        mutants=tuple(mutants),
        source_files=source_files,
        note=note,
    )


def _percent(score: MutationScore | None) -> str:
    return "n/a" if score is None else f"{score.score:.0%}"


# The JSON form (report.json "mutation"): every key always there, null where not measured.


def as_json(result: CheckResult | None) -> dict[str, Any]:
    """report.json's ``mutation``: also how merge writes a joined result."""
    if not isinstance(result, MutationResult):
        return {
            "status": result.status.value if result else "skipped",
            "summary": result.summary if result else "not run",
            "golden_on_original": None,
            "candidate_tests": None,
            "candidate_tests_on_original": None,
            "not_mutated": [],
            "notes": [],
        }
    return {
        "status": result.status.value,
        "summary": result.summary,
        "profile": result.profile,
        "golden_on_original": _score_json(result.golden_on_original),
        "candidate_tests": _score_json(result.candidate_tests),
        "candidate_tests_on_original": _score_json(result.candidate_tests_on_original),
        "golden_blind_spots": list(result.golden_blind_spots()),
        "not_mutated": [jsonable(n) for n in result.not_mutated],
        "notes": list(result.notes),
    }


def _score_json(score: MutationScore | None) -> dict[str, Any] | None:
    if score is None:
        return None
    data: dict[str, Any] = jsonable(score)
    data["note"] = score.note
    data["source_files"] = dict(score.source_files)
    return data


def from_json(base: CheckResult, data: dict[str, Any]) -> CheckResult:
    """``base`` (the check's entry) with its section: a MutationResult when the stage ran."""
    if "profile" not in data:
        return base
    return MutationResult(
        **base_fields(base),
        golden_on_original=score_from_json(data["golden_on_original"]),
        candidate_tests=score_from_json(data["candidate_tests"]),
        candidate_tests_on_original=score_from_json(data["candidate_tests_on_original"]),
        **fields_from(data, MutationResult, skip=(*BASE_FIELDS, *SCORES)),
    )


def score_from_json(data: dict[str, Any] | None) -> MutationScore | None:
    if data is None:
        return None
    return structure({**data, "source_files": pairs(data["source_files"])}, MutationScore)
