"""``refactor-check show``: one finding or one mutant of a written report, in the terminal.

It reads report.json alone, as every other human report does, so a report directory copied
to another machine shows the same. The functions here return lines, each with a style name;
``echo`` draws them, in colour only on a terminal (click drops styling anywhere else).

Text from the submission (messages, values, test output, mutated code) reaches the terminal,
so control characters in it are shown escaped: a message cannot move the cursor, recolour
the screen or rewrite the title of the interviewer's terminal.
"""

from __future__ import annotations

import difflib
import json
import re
import shlex
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from ..errors import BadInputError
from ..report import Report, read_json
from ..results import Finding
from ..results.differential import CHECK as DIFFERENTIAL
from ..results.differential import MISMATCH, PREAMBLE, Counterexample, DifferentialResult
from ..results.mutation import CHECK as MUTATION
from ..results.mutation import NO_TESTS, Mutant, MutationScore
from . import json_report, stryker, view

Line = tuple[str, str | None]  # text, style name (None: plain)

# Each style name as click.style's keyword arguments.
_STYLES: dict[str, dict[str, Any]] = {
    "title": {"bold": True},
    "kind": {"fg": "cyan", "bold": True},
    "good": {"fg": "green"},
    "bad": {"fg": "red"},
    "warn": {"fg": "yellow"},
    "dim": {"dim": True},
    "removed": {"fg": "red"},
    "added": {"fg": "green"},
    "hunk": {"fg": "cyan"},
}
_VERDICT_STYLES = {"preserved": "good", "changed": "bad"}
_MUTANT_STYLES = {"killed": "good", "timeout": "good", "survived": "bad", "suspicious": "bad"}
_UNDETECTED = ("survived", "suspicious")
_SHORT_MESSAGE = 110  # characters of a message in the list: one terminal line, roughly
_SURVIVORS_LISTED = 5
_INDENT = "    "

# The three mutation scores: which code their mutants change, and whose tests ran.
SCORES = (
    ("candidate_tests", "candidate", "the candidate's tests, on their code"),
    ("candidate_tests_on_original", "original", "the candidate's tests, on the original"),
    ("golden_on_original", "original", "the golden suite, on the original"),
)


# Reading --------------------------------------------------------------------------------


def report_file(where: Path) -> Path:
    """report.json of a run's --out directory, or ``where`` when it is that file itself."""
    return where / json_report.FILENAME if where.is_dir() else where


def load(where: Path) -> Report:
    """The Report in report.json of a run's --out directory (or that file itself); a file
    that is not one, as this version writes it, is bad input."""
    path = report_file(where)
    if not where.exists():
        raise BadInputError(f"{where} does not exist: pass the --out directory of a run")
    if not path.is_file():
        raise BadInputError(f"no {json_report.FILENAME} in {where}{_batch_hint(where)}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInputError(f"cannot read {path}: {exc}") from None
    except ValueError as exc:
        raise BadInputError(f"{path} is not valid JSON ({exc}); was it cut short?") from None
    return read_json(data, str(path))


def _batch_hint(where: Path) -> str:
    """A batch's --out holds one run's directory per candidate: say so rather than fail."""
    if not where.is_dir():
        return ""
    runs = sorted(p.parent.name for p in where.glob(f"*/{json_report.FILENAME}"))
    if not runs:
        return ": pass the --out directory of 'refactor-check run'"
    return f": a batch's directory? pass one candidate's, e.g. {where / runs[0]}"


# The list -------------------------------------------------------------------------------


def overview(report: Report, where: Path) -> list[Line]:
    """The findings, numbered, and how to see one; the surviving mutants' keys, likewise."""
    verdict = report.verdict.verdict
    lines: list[Line] = [
        (f"exercise {report.exercise.name} · candidate {report.candidate.path}", None),
        (
            f"verdict: {verdict.upper()}: {report.verdict.reason}",
            _VERDICT_STYLES.get(verdict, "warn"),
        ),
    ]
    if report.pending:
        lines.append((f"partial report: {report.partial_note}", "warn"))
    findings = report.findings
    command = f"refactor-check show {shlex.quote(str(where))}"
    if findings:
        lines.append((f"findings ({len(findings)}):", "title"))
        width = len(str(len(findings)))
        for number, finding in enumerate(findings, start=1):
            message = _clip(_first_line(finding.message), _SHORT_MESSAGE)
            lines.append((f"  {number:>{width}}  [{finding.kind}] {message}", None))
        lines.append((f"see one: {command} --finding N", "dim"))
    else:
        lines.append(("no findings", "good"))
    lines += _mutation_overview(report, command)
    return lines


def _mutation_overview(report: Report, command: str) -> list[Line]:
    measured = stryker.scores(report)
    scores = [(label, measured[key]) for key, _, label in SCORES if key in measured]
    if not scores:
        _, summary = view.status(report, MUTATION)
        return [(f"mutation testing: {summary or 'not run'}", "dim")]
    lines: list[Line] = [("mutants:", "title")]
    for label, score in scores:
        detected = score.killed + score.timeout
        checked = score.total - score.not_checked
        survivors = [m.key for m in score.mutants if m.status in _UNDETECTED]
        line = f"  {label}: {detected} of {checked} detected ({view.percent(score.score)})"
        if survivors:
            listed = ", ".join(survivors[:_SURVIVORS_LISTED])
            more = len(survivors) - _SURVIVORS_LISTED
            line += f"; {len(survivors)} survived: {listed}"
            line += f" and {more} more" if more > 0 else ""
        uncovered = sum(m.status == NO_TESTS for m in score.mutants)
        if uncovered:  # undetected too, but no test even ran their code
            line += f"; {uncovered} in code no test runs"
        lines.append((line, None))
    lines.append((f"see one: {command} --mutant KEY", "dim"))
    return lines


# One finding ----------------------------------------------------------------------------


def finding_at(report: Report, number: int) -> Finding:
    """Finding ``number`` (1-based, as ``overview`` numbers them)."""
    findings = report.findings
    if not findings:
        raise BadInputError(f"this report has no findings (verdict: {report.verdict.verdict})")
    if not 1 <= number <= len(findings):
        raise BadInputError(f"no finding {number}: this report has findings 1 to {len(findings)}")
    return findings[number - 1]


def finding(report: Report, number: int, where: Path) -> list[Line]:
    """The whole finding: kind, message, and the evidence its kind has."""
    item = finding_at(report, number)
    total = len(report.findings)
    lines: list[Line] = [
        (f"finding {number} of {total}: {item.kind} (check: {item.check})", "kind"),
        (item.message, "title"),
    ]
    if item.file:
        place = f"{item.file}:{item.line}" if item.line else item.file
        lines.append((f"where: {place}", None))
    if item.rule:
        lines.append((f"rule: {item.rule}", None))
    counterexample = _counterexample(report, item)
    if counterexample is not None:
        lines += _counterexample_lines(report, counterexample)
        command = f"refactor-check show {shlex.quote(str(where))} --finding {number}"
        lines.append(
            (f"both sides as a script: {command} --repro-out repro.py && python3 repro.py", "dim")
        )
        return lines
    if item.test_id:
        lines += _test_lines(report, item.test_id, item.evidence)
    elif item.evidence:
        lines.append(("evidence:", "title"))
        lines += _indented(item.evidence)
    if item.call:
        lines.append(("call:", "title"))
        lines += _indented(item.call)
    return lines


def counterexample_of(report: Report, number: int) -> Counterexample:
    """The differential counterexample behind finding ``number``; bad input for any other."""
    item = finding_at(report, number)
    counterexample = _counterexample(report, item)
    if counterexample is None:
        raise BadInputError(
            f"finding {number} is {item.kind}, not a differential counterexample "
            f"({MISMATCH}): only those can be reproduced as a script"
        )
    return counterexample


def _counterexample(report: Report, item: Finding) -> Counterexample | None:
    """The differential check's counterexample the finding was made from: the one with its
    call."""
    if item.kind != MISMATCH or not item.call:
        return None
    result = report.check(DIFFERENTIAL)
    examples = result.counterexamples if isinstance(result, DifferentialResult) else ()
    return next((c for c in examples if c.call == item.call), None)


def _counterexample_lines(report: Report, example: Counterexample) -> list[Line]:
    lines: list[Line] = [("input (the call; the last step is the one that differs):", "title")]
    lines += _indented(example.call)
    for where, original, candidate in example.differences:
        lines += [
            (f"differs at {where}:", None),
            (f"{_INDENT}original:  {original}", "good"),
            (f"{_INDENT}candidate: {candidate}", "bad"),
        ]
    for side, style in (("original", "good"), ("candidate", "bad")):
        lines.append((f"{side}:", style))
        shown = observed(example, side)
        lines += [(f"{_INDENT}{line}", None) for line in shown or ["(not recorded)"]]
    if example.origin:
        steps = example.steps_before_shrinking or 1
        shrunk = f"; shrunk from {steps} steps" if steps > 1 else ""
        lines.append((f"found by: {example.origin}{shrunk}", "dim"))
    lines.append(("reproduce, with the package importable:", "title"))
    lines += _indented("\n".join([*_imports(report), example.call]))
    return lines


def observed(example: Counterexample, side: str) -> list[str]:
    """The lines the differing step's observation on ``side`` ("original" or "candidate")
    recorded; none when it holds none (the observation is kept as the worker wrote it)."""
    observation = example.original if side == "original" else example.candidate
    lines = observation.get("lines")
    return [str(line) for line in lines or []]


def modules(report: Report) -> list[str]:
    """The exercise's modules, which a counterexample's call is written against."""
    exercise = report.exercise
    return [m for m in exercise.modules or [exercise.package] if m]


def _imports(report: Report) -> list[str]:
    """What a counterexample's call needs before it: the exercise's modules and the types
    its values are written with."""
    return [
        "; ".join(f"import {m}" for m in modules(report)),
        PREAMBLE,
    ]


def _test_lines(report: Report, test_id: str, evidence: str | None) -> list[Line]:
    golden = report.golden
    test = next((t for t in golden.tests if t.id == test_id), None) if golden else None
    lines: list[Line] = [(f"test: {test_id}", None)]
    if test is not None:
        lines.append((f"on the original: {test.expected}; on the candidate: {test.outcome}", None))
        evidence = evidence or test.evidence or test.message
    if evidence:
        lines.append(("assertion:", "title"))
        lines += _indented(evidence)
    return lines


# One mutant -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Found:
    score: MutationScore
    label: str
    code: str  # "candidate" or "original": which package the mutant changes
    mutant: Mutant
    tests: str  # which tests ran against it


def mutant(report: Report, key: str) -> list[Line]:
    """Every score that holds mutant ``key``: its status there, and its diff against the file.

    The candidate's and the original's mutants are numbered apart by mutmut, so one key may
    name a mutant of each: they are shown one after the other, each with its own diff.
    """
    found = _find_mutant(report, key)
    lines: list[Line] = []
    for code in ("candidate", "original"):
        here = [f for f in found if f.code == code]
        if not here:
            continue
        if lines:
            lines.append(("", None))
        first = here[0].mutant
        whose = "the candidate's code" if code == "candidate" else "the original"
        lines.append(
            (
                f"mutant {key} of {whose}: {first.function} at {first.file}:{first.line}",
                "kind",
            )
        )
        for f in here:
            status = f.mutant.status
            lines.append((f"  {f.label}: {status}", _MUTANT_STYLES.get(status)))
            lines.append((f"{_INDENT}  tests: {f.tests}", "dim"))
        if any(f.mutant.status in ("killed", "timeout") for f in here):
            lines.append(("which test killed it is not recorded in report.json", "dim"))
        source = _source(report, here[0])
        diff, note = file_diff(first, source)
        if note:
            lines.append((note, "warn"))
        lines += [(line, _diff_style(line)) for line in diff]
    return lines


def _find_mutant(report: Report, key: str) -> list[_Found]:
    scores = stryker.scores(report)
    if not scores:
        _, summary = view.status(report, MUTATION)
        raise BadInputError(
            f"this report has no mutation scores (mutation testing: {summary or 'not run'})"
        )
    found = [
        _Found(scores[score_key], label, code, m, _tests(report, score_key, scores[score_key]))
        for score_key, code, label in SCORES
        if score_key in scores
        for m in scores[score_key].mutants
        if m.key == key
    ]
    if found:
        return found
    keys = sorted({m.key for s in scores.values() for m in s.mutants})
    close = difflib.get_close_matches(key, keys, n=1, cutoff=0.8)
    hint = f"did you mean {close[0]}? " if close else ""
    raise BadInputError(
        f"no mutant {key!r} among this report's {len(keys)}: {hint}"
        "'refactor-check show REPORT_DIR' lists the survivors' keys"
    )


def _tests(report: Report, score_key: str, score: MutationScore) -> str:
    """Which tests ran against each mutant of a score (report.json records them per score)."""
    used = score.tests_used
    left_out = len(score.tests_skipped) + len(score.harness_detectors)
    if used:
        text = ", ".join(used[:3]) + (f" and {len(used) - 3} more" if len(used) > 3 else "")
    elif score_key == "golden_on_original":
        text = "the golden suite"
    else:
        own = report.candidate.own_tests
        text = "the candidate's tests" + (f" ({', '.join(own)})" if own else "")
    return text + (f"; {left_out} left out (see report.json)" if left_out else "")


def _source(report: Report, found: _Found) -> str | None:
    """The text of the file the mutant changes: the score's own copy, else the report's."""
    path = found.mutant.file
    own = dict(found.score.source_files).get(path)
    if own is not None:
        return own
    texts = report.exercise.texts if found.code == "original" else report.candidate.texts
    return dict(texts).get(path)


# The diff ---------------------------------------------------------------------------------


_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


def file_diff(mutant: Mutant, source: str | None) -> tuple[list[str], str | None]:
    """A unified diff of the mutant against its file, and a note when it could not be made.

    report.json stores each mutant's diff as mutmut gives it: of its function alone, dedented,
    numbered from the ``def`` line. With the file's text (report.json keeps it) and the line
    the mutant first changes, the diff is placed in the file: re-indented, renumbered, with
    the file's own context. When the stored diff does not match the file, it is shown as
    stored, and the note says so.
    """
    stored = mutant.diff
    file = mutant.file
    function = mutant.function
    if not stored:
        return [], "report.json holds no diff for this mutant"
    if source is None:
        return stored.splitlines(), (
            f"the text of {file} is not in report.json: the diff below is numbered from "
            f"the start of {function}"
        )
    mutated = _apply(stored, source, mutant.line)
    if mutated is None:
        return stored.splitlines(), (
            f"the stored diff does not match {file} as report.json holds it: shown as "
            f"stored, numbered from the start of {function}"
        )
    original = source.splitlines()
    diff = difflib.unified_diff(
        original, mutated, fromfile=f"a/{file}", tofile=f"b/{file}", lineterm=""
    )
    return list(diff), None


def _apply(stored: str, source: str, line: int) -> list[str] | None:
    """The file's lines with the function diff applied, or None when they do not match."""
    hunks = _hunks(stored)
    lines = source.splitlines()
    first = next(
        (
            (start + offset, text)
            for start, body in hunks
            for offset, text in _old_side(body)
            if text[0] == "-"
        ),
        None,
    )
    if first is None or not 1 <= line <= len(lines):
        return None
    relative, removed = first
    shift = line - relative  # function-relative line numbers to the file's
    indent = _indent(lines[line - 1], removed[1:])
    if indent is None:
        return None
    out = list(lines)
    for start, body in reversed(hunks):  # from the end: earlier hunks keep their place
        at = start + shift - 1
        old = list(_old_side(body))
        for offset, text in old:
            index = at + offset
            if not (0 <= index < len(lines)) or not _same(lines[index], indent, text[1:]):
                return None
        new = [
            lines[at + offset] if text[0] == " " else (indent + text[1:]).rstrip()
            for offset, text in _new_side(body)
        ]
        out[at : at + len(old)] = new
    return out


def _hunks(diff: str) -> list[tuple[int, list[str]]]:
    """(first old line, body lines) of each hunk; file headers and "\\ No newline" dropped."""
    hunks: list[tuple[int, list[str]]] = []
    for line in diff.splitlines():
        match = _HUNK.match(line)
        if match:
            hunks.append((int(match[1]), []))
        elif hunks and line[:1] in (" ", "-", "+") and not line.startswith(("--- ", "+++ ")):
            hunks[-1][1].append(line)
        elif hunks and line == "":
            hunks[-1][1].append(" ")  # a blank context line that lost its leading space
    return hunks


def _old_side(body: Sequence[str]) -> Iterable[tuple[int, str]]:
    """Context and removed lines, each with its offset from the hunk's first old line."""
    return enumerate(line for line in body if line[0] in " -")


def _new_side(body: Sequence[str]) -> Iterable[tuple[int, str]]:
    """Context and added lines; a context line's offset is its place among the old lines."""
    old = 0
    for line in body:
        if line[0] == " ":
            yield old, line
            old += 1
        elif line[0] == "-":
            old += 1
        else:
            yield -1, line


def _indent(file_line: str, dedented: str) -> str | None:
    """What the function's dedenting took off this line; None when the line is another."""
    if not dedented.strip() or not file_line.rstrip().endswith(dedented.rstrip()):
        return None
    prefix = file_line.rstrip()[: len(file_line.rstrip()) - len(dedented.rstrip())]
    return prefix if not prefix.strip() else None


def _same(file_line: str, indent: str, dedented: str) -> bool:
    if not dedented.strip():
        return not file_line.strip()
    return file_line.rstrip() == (indent + dedented).rstrip()


def _diff_style(line: str) -> str | None:
    if line.startswith(("--- ", "+++ ")):
        return "title"
    if line.startswith("@@"):
        return "hunk"
    return {"-": "removed", "+": "added"}.get(line[:1])


# Drawing ----------------------------------------------------------------------------------


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def echo(lines: Iterable[Line]) -> None:
    for text, style in lines:
        shown = _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}", text)
        if style is None:
            click.echo(shown)
        else:
            click.secho(shown, **_STYLES[style])


def _indented(text: str) -> list[Line]:
    return [(f"{_INDENT}{line}", None) for line in text.splitlines()]


def _first_line(text: str) -> str:
    return text.splitlines()[0] if text else ""


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
