"""The history as a terminal table, one row per commit (``refactor-check history``)."""

from __future__ import annotations

from ..history.model import History, Step
from . import view

_MESSAGE_WIDTH = 44


def render(history: History | None) -> list[str]:
    lines = [view.history_line(history)]
    git = history.read if history is not None else None
    if history is None or not history.available or git is None:
        return lines
    lines.append(
        f"starter {str(git.starter)[:8]} (found by {git.starter_how}), HEAD {git.head[:8]}"
    )
    lines.append(
        f"  {'commit':<8}  {'message':<{_MESSAGE_WIDTH}}  {'pkg/tst/oth':<14}  {'lines':>5}  "
        f"{'golden':<8}  {'theirs':<8}  {'calls':<12}  state"
    )
    for step in history.steps:
        lines.append("  " + _row(step))
    # The notes of the history as read, unless grading it noted anything (report.json's too).
    for note in history.notes or git.notes:
        lines.append(f"note: {note}")
    return lines


def _row(step: Step) -> str:
    commit, outcome = step.commit, step.outcome
    message = commit.message
    if len(message) > _MESSAGE_WIDTH:
        message = message[: _MESSAGE_WIDTH - 1] + "…"
    touched = commit.touched
    kinds = f"{touched.package_files}/{touched.test_files}/{touched.other_files}"
    if outcome is None:
        not_graded = f"{'not graded':<8}"
        return (
            f"{commit.short:<8}  {message:<{_MESSAGE_WIDTH}}  {kinds:<14}  "
            f"{commit.package_lines:>5}  {not_graded}"
        )
    golden_text = (
        "problem" if outcome.problem else f"{outcome.golden_passed}/{outcome.golden_total}"
    )
    # No tests of theirs at this commit: report.json writes null, shown as none.
    own_text = f"{outcome.own_passed}/{outcome.own_total}" if outcome.own_total else "none"
    calls = "original" if commit.holds_original else outcome.behaviour
    state = "green" if outcome.green else "RED"
    return (
        f"{commit.short:<8}  {message:<{_MESSAGE_WIDTH}}  {kinds:<14}  "
        f"{commit.package_lines:>5}  {golden_text:<8}  {own_text:<8}  {calls:<12}  {state}"
    )
