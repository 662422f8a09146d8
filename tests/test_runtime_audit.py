"""The runtime audit: what the candidate's package did while it ran, reported by the audit
hook of every process that hosted it, and what it leaves alone."""

from __future__ import annotations

import json

from refactor_check import audit, pipeline

from .conftest import TOY_CLEAN

# The name of a function's code object, taken from data the way a field list would be: the
# static scan can only remark on the computed getattr; the hook sees the read itself.
_COMPUTED_REACH = """

_FIELDS = [name.lower() for name in ("__CODE__",)]
_CODE = getattr(lambda: 0, _FIELDS[0])
"""

# Standard-library code that compiles, reads frames and walks what it needs on its own
# account (dataclasses, enum, namedtuple, typing): the candidate's code never does it itself.
_HONEST_LIBRARIES = """

import dataclasses
import datetime
import enum
import typing
from collections import namedtuple

Pair = namedtuple("Pair", "qty unit")


@dataclasses.dataclass(frozen=True)
class Line:
    qty: int
    unit: float = 1.0


class Kind(enum.Enum):
    A = 1


Tag = enum.Enum("Tag", "x y")
# C code importing its private helper on first use (datetime imports _strptime).
EPOCH = datetime.datetime.strptime("2024-01-02", "%Y-%m-%d")
# A codec looked up by name: encodings' own search function imports it (encodings.cp037).
EBCDIC = "cafe".encode("cp037")
Alias = typing.NamedTuple("Alias", [("n", int)])
"""


def _grade(golden, candidate) -> pipeline.Report:
    return pipeline.grade(
        candidate, pipeline.Options(golden=golden, mutation=False, differential=True, seed=0)
    )


def test_a_reach_the_source_does_not_spell_out_is_seen_when_it_runs(
    toy_golden, make_candidate
) -> None:
    candidate = make_candidate({"toy.py": TOY_CLEAN + _COMPUTED_REACH})
    report = _grade(toy_golden, candidate)
    static = report.check("integrity")
    assert static is not None and static.findings == ()
    assert any("[dynamic_attribute]" in w for w in static.warnings)
    runtime = report.check("runtime")
    assert runtime is not None
    assert [(f.rule, f.file) for f in runtime.findings] == [("reaches_into", "toy.py")]
    assert "__code__" in runtime.findings[0].message
    assert report.verdict.verdict == "changed"


def test_the_standard_librarys_own_introspection_is_not_the_candidates(
    toy_golden, make_candidate
) -> None:
    candidate = make_candidate({"toy.py": TOY_CLEAN + _HONEST_LIBRARIES})
    report = _grade(toy_golden, candidate)
    runtime = report.check("runtime")
    assert runtime is not None and runtime.findings == (), runtime.findings
    assert report.verdict.verdict == "preserved", report.verdict.findings


def test_what_the_original_does_at_run_time_is_inherited(toy_golden, make_candidate) -> None:
    reach = "\n\n_CODE = (lambda: 0).__code__\n"
    original = toy_golden / "original" / "toy.py"
    original.write_text(original.read_text() + reach)
    candidate = make_candidate({"toy.py": TOY_CLEAN + _COMPUTED_REACH})
    report = _grade(toy_golden, candidate)
    runtime = report.check("runtime")
    assert runtime is not None and runtime.findings == ()
    assert report.verdict.verdict == "preserved", report.verdict.findings


def test_lines_that_are_not_the_hooks_are_dropped() -> None:
    good = {"event": "gc.get_objects", "detail": "", "file": "toy.py", "line": 3}
    lines = [
        json.dumps(good),
        json.dumps({**good, "event": "not.watched"}),
        json.dumps({**good, "line": True}),
        json.dumps({**good, "line": "3"}),
        "not json",
        json.dumps([good]),
        json.dumps({**good, "detail": "x" * 5000}),
    ]
    events = audit.parse(lines, "01-golden")
    assert [(e.event, e.rule, e.file, e.line) for e in events] == [
        ("gc.get_objects", "inspects_frames", "toy.py", 3)
    ]
