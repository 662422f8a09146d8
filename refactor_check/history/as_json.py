"""The ``history`` block of report.json: always present, ``available`` false with ``why``
when the submission has no history to read (or --no-history was given)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from ..results.codec import each, structure
from .model import (
    Break,
    Commit,
    Facts,
    GitHistory,
    History,
    PinnedFirst,
    Step,
    StepOutcome,
    Touched,
)


def to_dict(history: History | None) -> dict[str, Any]:
    if history is None:
        return {"available": False, "why": "not read"}
    data: dict[str, Any] = {"available": history.available, "why": history.why}
    git = history.read
    if git is None:
        return data
    data.update(
        repository=str(git.repository),
        head=git.head,
        starter=git.starter,
        starter_how=git.starter_how,
        walked=git.walked,
        walk_cut=git.walk_cut,
        commits=[_commit(s.commit, s.outcome) for s in history.steps],
        facts=_facts(history.facts) if history.facts is not None else None,
        notes=list(history.notes or git.notes),
    )
    return data


def _commit(commit: Commit, outcome: StepOutcome | None) -> dict[str, Any]:
    touched = commit.touched
    data: dict[str, Any] = {
        "sha": commit.sha,
        "short": commit.short,
        "message": commit.message,
        "time": commit.time,
        "merge": commit.merge,
        "holds_original": commit.holds_original,
        "touched": {
            "package": list(touched.package),
            "tests": list(touched.tests),
            "other": list(touched.other),
            "package_files": touched.package_files,
            "test_files": touched.test_files,
            "other_files": touched.other_files,
        },
        "package_lines": commit.package_lines,
        "graded": outcome is not None,
    }
    if outcome is None:
        return data
    data.update(
        problem=outcome.problem,
        golden={
            "passed": outcome.golden_passed,
            "total": outcome.golden_total,
            "failing": list(outcome.golden_failing),
        },
        own_tests=(
            {
                "passed": outcome.own_passed,
                "total": outcome.own_total,
                "failing": list(outcome.own_failing),
            }
            if outcome.own_total
            else None
        ),
        behaviour=outcome.behaviour,
        behaviour_evidence=outcome.behaviour_evidence,
        green=outcome.green,
    )
    return data


def _facts(facts: Facts) -> dict[str, Any]:
    pinned = facts.pinned_first
    return {
        "first_package_change": facts.first_package_change,
        "pinned_first": (
            {
                "commit": pinned.commit,
                "tests": list(pinned.tests),
                "count": len(pinned.tests),
                "mutants_killed": pinned.mutants_killed,
                "mutants_total": pinned.mutants_total,
                "note": pinned.note,
            }
            if pinned is not None
            else None
        ),
        "pinned_note": facts.pinned_note,
        "green_commits": facts.green_commits,
        "judged_commits": facts.judged_commits,
        "green_share": facts.green_share,
        "breaks": [
            {"commit": b.commit, "what": b.what, "repaired_by": b.repaired_by} for b in facts.breaks
        ],
        "largest_change": (
            {"commit": facts.largest_change[0], "package_lines": facts.largest_change[1]}
            if facts.largest_change is not None
            else None
        ),
    }


def from_dict(data: dict[str, Any]) -> History:
    """What ``to_dict`` wrote. What it leaves out stays unknown: where each commit's files
    were written, their tree, which of their tests passed; a report's writers need none."""
    if "repository" not in data:
        return History(why=data["why"])
    git = GitHistory(
        repository=Path(data["repository"]),
        head=data["head"],
        starter=data["starter"],
        starter_how=data["starter_how"],
        commits=(),
        walked=data["walked"],
        walk_cut=data["walk_cut"],
        notes=(),
    )
    steps = tuple(_step_from_json(c) for c in data["commits"])
    return History(
        why=data["why"],
        read=replace(git, commits=tuple(s.commit for s in steps)),
        steps=steps,
        facts=None if data["facts"] is None else _facts_from_json(data["facts"]),
        notes=tuple(data["notes"]),
    )


def _step_from_json(data: dict[str, Any]) -> Step:
    commit = Commit(
        sha=data["sha"],
        message=data["message"],
        time=data["time"],
        merge=data["merge"],
        holds_original=data["holds_original"],
        touched=structure(data["touched"], Touched),
        package_lines=data["package_lines"],
        tree=None,
        directory=None,
    )
    if not data["graded"]:
        return Step(commit, None)
    own = data["own_tests"] or {"passed": 0, "total": 0, "failing": []}
    outcome = StepOutcome(
        problem=data["problem"],
        golden_passed=data["golden"]["passed"],
        golden_total=data["golden"]["total"],
        golden_failing=tuple(data["golden"]["failing"]),
        own_passed=own["passed"],
        own_total=own["total"],
        own_failing=tuple(own["failing"]),
        behaviour=data["behaviour"],
        behaviour_evidence=data["behaviour_evidence"],
    )
    return Step(commit, outcome)


def _facts_from_json(data: dict[str, Any]) -> Facts:
    largest = data["largest_change"]
    return Facts(
        first_package_change=data["first_package_change"],
        pinned_first=(
            None if data["pinned_first"] is None else structure(data["pinned_first"], PinnedFirst)
        ),
        pinned_note=data["pinned_note"],
        green_commits=data["green_commits"],
        judged_commits=data["judged_commits"],
        breaks=each(data["breaks"], Break),
        largest_change=None if largest is None else (largest["commit"], largest["package_lines"]),
    )
