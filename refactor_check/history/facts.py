"""The facts an interviewer asks of a history, each tied to the commit that shows it.

- Pinned first: their tests that passed on the original before the package first changed.
- Small safe steps: the share of commits, from the first change of the package on, at which
  the golden suite (and the recorded calls) and their own tests were green.
- Breaks: a commit that turned red after a green one, and the commit that turned it green.
- The largest single change: package lines changed by one commit.
"""

from __future__ import annotations

from collections.abc import Sequence

from .model import DIFFERENT, Break, Facts, PinnedFirst, Step, StepOutcome


def derive(steps: Sequence[Step]) -> Facts:
    graded = [(s.commit, s.outcome) for s in steps if s.outcome is not None]
    first_change = next((s.commit for s in steps if not s.commit.holds_original), None)
    pinned, pinned_note = _pinned(steps)
    after: list[tuple[str, StepOutcome]] = []
    started = False
    for commit, outcome in graded:
        started = started or not commit.holds_original
        if started:
            after.append((commit.sha, outcome))
    largest = max(steps, key=lambda s: s.commit.package_lines, default=None)
    return Facts(
        first_package_change=first_change.sha if first_change else None,
        pinned_first=pinned,
        pinned_note=pinned_note,
        green_commits=sum(o.green for _, o in after),
        judged_commits=len(after),
        breaks=_breaks([(c.sha, o) for c, o in graded]),
        largest_change=(
            (largest.commit.sha, largest.commit.package_lines)
            if largest is not None and largest.commit.package_lines
            else None
        ),
    )


def _pinned(steps: Sequence[Step]) -> tuple[PinnedFirst | None, str]:
    """Their passing tests at the last graded commit that still held the original."""
    before = []
    for step in steps:
        if not step.commit.holds_original:
            break
        before.append(step)
    if len(before) == len(steps):
        return None, "the package never changed in the history read"
    if not before:
        return None, "the first commit after the starter already changed the package"
    last = next((s for s in reversed(before) if s.outcome is not None), None)
    if last is None or last.outcome is None:
        return None, "the commits before the package changed were not graded"
    if not last.outcome.own_passing:
        return None, "no test of theirs passed on the original before the package changed"
    tests = last.outcome.own_passing
    note = (
        f"{len(tests)} test(s) of theirs passed on the original at {last.commit.short}, "
        "before the package first changed"
    )
    return PinnedFirst(commit=last.commit.sha, tests=tests), note


def _breaks(graded: Sequence[tuple[str, StepOutcome]]) -> tuple[Break, ...]:
    """Each turn from green (or the start) to red, with the next turn back to green."""
    found: list[Break] = []
    green_before = True  # the starter: the original passes its own golden suite
    for index, (sha, outcome) in enumerate(graded):
        if green_before and not outcome.green:
            repaired = next((s for s, o in graded[index + 1 :] if o.green), None)
            found.append(Break(commit=sha, what=what_failed(outcome), repaired_by=repaired))
        green_before = outcome.green
    return tuple(found)


def what_failed(outcome: StepOutcome) -> str:
    """What made a commit red, in words."""
    if outcome.problem is not None:
        return outcome.problem
    parts = []
    if outcome.golden_passed < outcome.golden_total:
        failing = outcome.golden_total - outcome.golden_passed
        parts.append(f"{failing} golden test(s) fail ({', '.join(outcome.golden_failing)})")
    if outcome.behaviour == DIFFERENT and outcome.behaviour_evidence:
        parts.append(f"a recorded call behaves differently: {outcome.behaviour_evidence}")
    if outcome.own_green is False:
        failing = outcome.own_total - outcome.own_passed
        parts.append(f"{failing} of their tests fail ({', '.join(outcome.own_failing)})")
    return "; ".join(parts) or "nothing failed"
