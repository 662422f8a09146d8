"""The history as a terminal table, one row per commit (``refactor-check history``)."""

from __future__ import annotations

from typing import Any

from . import view

_MESSAGE_WIDTH = 44


def render(history: dict[str, Any]) -> list[str]:
    lines = [view.history_line({"history": history}) or "history: none"]
    if not history.get("available"):
        return lines
    lines.append(
        f"starter {str(history.get('starter'))[:8]} (found by {history.get('starter_how')}), "
        f"HEAD {str(history.get('head'))[:8]}"
    )
    lines.append(
        f"  {'commit':<8}  {'message':<{_MESSAGE_WIDTH}}  {'pkg/tst/oth':<14}  {'lines':>5}  "
        f"{'golden':<8}  {'theirs':<8}  {'calls':<12}  state"
    )
    for commit in history.get("commits") or []:
        lines.append("  " + _row(commit))
    for note in history.get("notes") or []:
        lines.append(f"note: {note}")
    return lines


def _row(commit: dict[str, Any]) -> str:
    message = str(commit.get("message"))
    if len(message) > _MESSAGE_WIDTH:
        message = message[: _MESSAGE_WIDTH - 1] + "…"
    touched = commit.get("touched") or {}
    kinds = "/".join(str(touched.get(f"{k}_files")) for k in ("package", "test", "other"))
    if not commit.get("graded"):
        outcome = f"{'not graded':<8}"
        return (
            f"{commit.get('short'):<8}  {message:<{_MESSAGE_WIDTH}}  {kinds:<14}  "
            f"{commit.get('package_lines'):>5}  {outcome}"
        )
    golden = commit.get("golden") or {}
    own = commit.get("own_tests")
    golden_text = (
        "problem" if commit.get("problem") else f"{golden.get('passed')}/{golden.get('total')}"
    )
    own_text = "none" if own is None else f"{own.get('passed')}/{own.get('total')}"
    calls = "original" if commit.get("holds_original") else str(commit.get("behaviour"))
    state = "green" if commit.get("green") else "RED"
    return (
        f"{commit.get('short'):<8}  {message:<{_MESSAGE_WIDTH}}  {kinds:<14}  "
        f"{commit.get('package_lines'):>5}  {golden_text:<8}  {own_text:<8}  {calls:<12}  {state}"
    )
