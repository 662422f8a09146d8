"""A validation as people read it (text) and as pipelines read it (JSON)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from .model import Check, State
from .validate import Validation

JSON_VERSION = 1
# How a check's state reads in the table; a failed check that does not block is a warning.
_LABELS = {
    State.PASSED: "passed",
    State.FAILED: "FAILED",
    State.SKIPPED: "skipped",
    State.NOT_AVAILABLE: "n/a",
}


def to_dict(validation: Validation) -> dict[str, Any]:
    data = asdict(validation)
    for check in data["checks"]:
        check["state"] = State(check["state"]).value
    return {
        "version": JSON_VERSION,
        "fit": validation.fit,
        "reasons": list(validation.reasons),
        **data,
    }


def to_json(validation: Validation) -> str:
    return json.dumps(to_dict(validation), indent=2, sort_keys=True) + "\n"


def render(validation: Validation) -> list[str]:
    lines = [
        f"refactor-check · exercise {validation.exercise} (package {validation.package}) · "
        f"{validation.root}"
    ]
    width = max(len(c.name) for c in validation.checks)
    for check in validation.checks:
        lines.append(
            f"  {check.name:<{width}}  {_label(check):<7}  {_time(check):>7}  {check.summary}"
        )
        indent = f"  {'':<{width}}    "
        if check.state is State.FAILED:
            lines += [f"{indent}- {reason}" for reason in check.reasons]
        if check.calls_per_target:
            counts = ", ".join(f"{path} {n}" for path, n in check.calls_per_target)
            lines.append(f"{indent}calls recorded: {counts}")
        lines += [f"{indent}warning: {warning}" for warning in check.warnings]
    for check in validation.checks:
        if check.survivors:
            lines.append(f"mutants the golden tests miss ({len(check.survivors)}):")
            for survivor in check.survivors:
                lines.append(
                    f"  {survivor.function} ({survivor.file}:{survivor.line}, {survivor.status})"
                )
                lines += [f"    {line}" for line in survivor.diff.splitlines()]
    lines.append(f"isolation: {validation.isolation}")
    if validation.fit:
        lines.append(f"fit to hand out: yes ({validation.exercise})")
    else:
        lines.append(f"fit to hand out: NO ({validation.exercise})")
        lines += [f"  - {reason}" for reason in validation.reasons]
    return lines


def _label(check: Check) -> str:
    if check.state is State.FAILED and not check.blocking:
        return "warning"
    return _LABELS[check.state]


def _time(check: Check) -> str:
    if check.state in (State.SKIPPED, State.NOT_AVAILABLE):
        return "-"
    return f"{check.seconds:.1f}s"
