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

from .. import __version__
from ..errors import BadInputError
from ..report import SCHEMA_VERSION
from ..results.differential import MISMATCH, PREAMBLE
from . import json_report, view

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


def load(where: Path) -> dict[str, Any]:
    """report.json of a run's --out directory (or that file itself), checked enough to show."""
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
    if not isinstance(data, dict) or "schema_version" not in data:
        raise BadInputError(f"{path} is not a refactor-check report (no schema_version)")
    version = data.get("schema_version")
    if version != SCHEMA_VERSION:
        wrote = view.section(data, "tool").get("version", "another version")
        raise BadInputError(
            f"{path} has schema_version {version!r} (written by refactor-check {wrote}); "
            f"refactor-check {__version__} reads schema_version {SCHEMA_VERSION}: "
            "show it with the version that wrote it"
        )
    findings = data.get("findings")
    if not isinstance(findings, list) or not all(isinstance(f, dict) for f in findings):
        raise BadInputError(f"{path} is not a refactor-check report (its findings are not a list)")
    return data


def _batch_hint(where: Path) -> str:
    """A batch's --out holds one run's directory per candidate: say so rather than fail."""
    if not where.is_dir():
        return ""
    runs = sorted(p.parent.name for p in where.glob(f"*/{json_report.FILENAME}"))
    if not runs:
        return ": pass the --out directory of 'refactor-check run'"
    return f": a batch's directory? pass one candidate's, e.g. {where / runs[0]}"


# The list -------------------------------------------------------------------------------


def overview(data: dict[str, Any], where: Path) -> list[Line]:
    """The findings, numbered, and how to see one; the surviving mutants' keys, likewise."""
    exercise, candidate = view.section(data, "exercise"), view.section(data, "candidate")
    verdict = str(data.get("verdict"))
    lines: list[Line] = [
        (f"exercise {exercise.get('name')} · candidate {candidate.get('path')}", None),
        (f"verdict: {verdict.upper()}: {data.get('reason')}", _VERDICT_STYLES.get(verdict, "warn")),
    ]
    partial = view.section(data, "partial")
    if partial:
        lines.append((f"partial report: {partial.get('note', 'not complete yet')}", "warn"))
    findings = data["findings"]
    command = f"refactor-check show {shlex.quote(str(where))}"
    if findings:
        lines.append((f"findings ({len(findings)}):", "title"))
        width = len(str(len(findings)))
        for number, finding in enumerate(findings, start=1):
            message = _clip(_first_line(str(finding.get("message", ""))), _SHORT_MESSAGE)
            lines.append((f"  {number:>{width}}  [{finding.get('kind')}] {message}", None))
        lines.append((f"see one: {command} --finding N", "dim"))
    else:
        lines.append(("no findings", "good"))
    lines += _mutation_overview(data, command)
    return lines


def _mutation_overview(data: dict[str, Any], command: str) -> list[Line]:
    mutation = view.section(data, "mutation")
    scores = [(label, s) for key, _, label in SCORES if isinstance(s := mutation.get(key), dict)]
    if not scores:
        summary = mutation.get("summary") or "not run"
        return [(f"mutation testing: {summary}", "dim")]
    lines: list[Line] = [("mutants:", "title")]
    for label, score in scores:
        detected = _count(score.get("killed")) + _count(score.get("timeout"))
        checked = _count(score.get("total")) - _count(score.get("not_checked"))
        survivors = [str(m.get("key")) for m in _mutants(score) if m.get("status") in _UNDETECTED]
        line = f"  {label}: {detected} of {checked} detected ({view.percent(score.get('score'))})"
        if survivors:
            listed = ", ".join(survivors[:_SURVIVORS_LISTED])
            more = len(survivors) - _SURVIVORS_LISTED
            line += f"; {len(survivors)} survived: {listed}"
            line += f" and {more} more" if more > 0 else ""
        uncovered = sum(m.get("status") == "no_tests" for m in _mutants(score))
        if uncovered:  # undetected too, but no test even ran their code
            line += f"; {uncovered} in code no test runs"
        lines.append((line, None))
    lines.append((f"see one: {command} --mutant KEY", "dim"))
    return lines


# One finding ----------------------------------------------------------------------------


def finding_at(data: dict[str, Any], number: int) -> dict[str, Any]:
    """Finding ``number`` (1-based, as ``overview`` numbers them)."""
    findings = data["findings"]
    if not findings:
        raise BadInputError(f"this report has no findings (verdict: {data.get('verdict')})")
    if not 1 <= number <= len(findings):
        raise BadInputError(f"no finding {number}: this report has findings 1 to {len(findings)}")
    found: dict[str, Any] = findings[number - 1]
    return found


def finding(data: dict[str, Any], number: int, where: Path) -> list[Line]:
    """The whole finding: kind, message, and the evidence its kind has."""
    item = finding_at(data, number)
    total = len(data["findings"])
    lines: list[Line] = [
        (f"finding {number} of {total}: {item.get('kind')} (check: {item.get('check')})", "kind"),
        (str(item.get("message", "")), "title"),
    ]
    if item.get("file"):
        place = f"{item['file']}:{item['line']}" if item.get("line") else str(item["file"])
        lines.append((f"where: {place}", None))
    if item.get("rule"):
        lines.append((f"rule: {item['rule']}", None))
    counterexample = _counterexample(data, item)
    if counterexample is not None:
        lines += _counterexample_lines(data, counterexample)
        command = f"refactor-check show {shlex.quote(str(where))} --finding {number}"
        lines.append(
            (f"both sides as a script: {command} --repro-out repro.py && python3 repro.py", "dim")
        )
        return lines
    if item.get("test_id"):
        lines += _test_lines(data, item)
    elif item.get("evidence"):
        lines.append(("evidence:", "title"))
        lines += _indented(str(item["evidence"]))
    if item.get("call"):
        lines.append(("call:", "title"))
        lines += _indented(str(item["call"]))
    return lines


def counterexample_of(data: dict[str, Any], number: int) -> dict[str, Any]:
    """The differential counterexample behind finding ``number``; bad input for any other."""
    item = finding_at(data, number)
    counterexample = _counterexample(data, item)
    if counterexample is None:
        raise BadInputError(
            f"finding {number} is {item.get('kind')}, not a differential counterexample "
            f"({MISMATCH}): only those can be reproduced as a script"
        )
    return counterexample


def _counterexample(data: dict[str, Any], item: dict[str, Any]) -> dict[str, Any] | None:
    """The finding's record in ``differential.counterexamples``: the one with its call."""
    if item.get("kind") != MISMATCH or not item.get("call"):
        return None
    examples = view.section(data, "differential").get("counterexamples") or []
    return next(
        (c for c in examples if isinstance(c, dict) and c.get("call") == item["call"]), None
    )


def _counterexample_lines(data: dict[str, Any], example: dict[str, Any]) -> list[Line]:
    lines: list[Line] = [("input (the call; the last step is the one that differs):", "title")]
    lines += _indented(str(example.get("call", "")))
    for difference in example.get("differences") or []:
        if isinstance(difference, list) and len(difference) == 3:
            where, original, candidate = (str(part) for part in difference)
            lines += [
                (f"differs at {where}:", None),
                (f"{_INDENT}original:  {original}", "good"),
                (f"{_INDENT}candidate: {candidate}", "bad"),
            ]
    for side, style in (("original", "good"), ("candidate", "bad")):
        observation = example.get(side)
        shown = observation.get("lines") if isinstance(observation, dict) else None
        lines.append((f"{side}:", style))
        lines += [(f"{_INDENT}{line}", None) for line in shown or ["(not recorded)"]]
    origin = example.get("origin")
    if origin:
        steps = example.get("steps_before_shrinking") or 1
        shrunk = f"; shrunk from {steps} steps" if steps > 1 else ""
        lines.append((f"found by: {origin}{shrunk}", "dim"))
    lines.append(("reproduce, with the package importable:", "title"))
    lines += _indented("\n".join([*_imports(data), example.get("call", "")]))
    return lines


def _imports(data: dict[str, Any]) -> list[str]:
    """What a counterexample's call needs before it: the exercise's modules and the types
    its values are written with."""
    exercise = view.section(data, "exercise")
    modules = [str(m) for m in exercise.get("modules") or [exercise.get("package")] if m]
    return [
        "; ".join(f"import {m}" for m in modules),
        PREAMBLE,
    ]


def _test_lines(data: dict[str, Any], item: dict[str, Any]) -> list[Line]:
    test_id = str(item["test_id"])
    golden = view.section(data, "golden")
    test = next(
        (t for t in golden.get("tests") or [] if isinstance(t, dict) and t.get("id") == test_id),
        {},
    )
    lines: list[Line] = [(f"test: {test_id}", None)]
    if test:
        lines.append(
            (
                f"on the original: {test.get('expected')}; on the candidate: {test.get('outcome')}",
                None,
            )
        )
    evidence = item.get("evidence") or test.get("evidence") or test.get("message")
    if evidence:
        lines.append(("assertion:", "title"))
        lines += _indented(str(evidence))
    return lines


# One mutant -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Found:
    score: str  # its key in report.json's mutation section
    label: str
    code: str  # "candidate" or "original": which package the mutant changes
    mutant: dict[str, Any]
    tests: str  # which tests ran against it


def mutant(data: dict[str, Any], key: str) -> list[Line]:
    """Every score that holds mutant ``key``: its status there, and its diff against the file.

    The candidate's and the original's mutants are numbered apart by mutmut, so one key may
    name a mutant of each: they are shown one after the other, each with its own diff.
    """
    found = _find_mutant(data, key)
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
                f"mutant {key} of {whose}: {first.get('function')} at "
                f"{first.get('file')}:{first.get('line')}",
                "kind",
            )
        )
        for f in here:
            status = str(f.mutant.get("status"))
            lines.append((f"  {f.label}: {status}", _MUTANT_STYLES.get(status)))
            lines.append((f"{_INDENT}  tests: {f.tests}", "dim"))
        if any(f.mutant.get("status") in ("killed", "timeout") for f in here):
            lines.append(("which test killed it is not recorded in report.json", "dim"))
        source = _source(data, here[0])
        diff, note = file_diff(first, source)
        if note:
            lines.append((note, "warn"))
        lines += [(line, _diff_style(line)) for line in diff]
    return lines


def _find_mutant(data: dict[str, Any], key: str) -> list[_Found]:
    mutation = view.section(data, "mutation")
    scores = {k: s for k, _, _ in SCORES if isinstance(s := mutation.get(k), dict)}
    if not scores:
        summary = mutation.get("summary") or "not run"
        raise BadInputError(f"this report has no mutation scores (mutation testing: {summary})")
    found = [
        _Found(score_key, label, code, m, _tests(data, score_key, scores[score_key]))
        for score_key, code, label in SCORES
        if score_key in scores
        for m in _mutants(scores[score_key])
        if m.get("key") == key
    ]
    if found:
        return found
    keys = sorted({str(m.get("key")) for s in scores.values() for m in _mutants(s)})
    close = difflib.get_close_matches(key, keys, n=1, cutoff=0.8)
    hint = f"did you mean {close[0]}? " if close else ""
    raise BadInputError(
        f"no mutant {key!r} among this report's {len(keys)}: {hint}"
        "'refactor-check show REPORT_DIR' lists the survivors' keys"
    )


def _mutants(score: dict[str, Any]) -> list[dict[str, Any]]:
    return [m for m in score.get("mutants") or [] if isinstance(m, dict)]


def _tests(data: dict[str, Any], score_key: str, score: dict[str, Any]) -> str:
    """Which tests ran against each mutant of a score (report.json records them per score)."""
    used = [str(t) for t in score.get("tests_used") or []]
    left_out = len(score.get("tests_skipped") or []) + len(score.get("harness_detectors") or [])
    if used:
        text = ", ".join(used[:3]) + (f" and {len(used) - 3} more" if len(used) > 3 else "")
    elif score_key == "golden_on_original":
        text = "the golden suite"
    else:
        own = view.section(data, "candidate").get("own_tests") or []
        text = "the candidate's tests" + (f" ({', '.join(map(str, own))})" if own else "")
    return text + (f"; {left_out} left out (see report.json)" if left_out else "")


def _source(data: dict[str, Any], found: _Found) -> str | None:
    """The text of the file the mutant changes: the score's own copy, else the report's."""
    path = str(found.mutant.get("file"))
    own = view.section(view.section(data, "mutation"), found.score).get("source_files")
    mine = own.get(path) if isinstance(own, dict) else None
    if isinstance(mine, str):
        return mine
    text = view.section(view.section(data, "sources"), found.code).get(path)
    return text if isinstance(text, str) else None


# The diff ---------------------------------------------------------------------------------


_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


def file_diff(mutant: dict[str, Any], source: str | None) -> tuple[list[str], str | None]:
    """A unified diff of the mutant against its file, and a note when it could not be made.

    report.json stores each mutant's diff as mutmut gives it: of its function alone, dedented,
    numbered from the ``def`` line. With the file's text (report.json keeps it) and the line
    the mutant first changes, the diff is placed in the file: re-indented, renumbered, with
    the file's own context. When the stored diff does not match the file, it is shown as
    stored, and the note says so.
    """
    stored = str(mutant.get("diff") or "")
    file = str(mutant.get("file"))
    function = str(mutant.get("function"))
    if not stored:
        return [], "report.json holds no diff for this mutant"
    if source is None:
        return stored.splitlines(), (
            f"the text of {file} is not in report.json: the diff below is numbered from "
            f"the start of {function}"
        )
    mutated = _apply(stored, source, _count(mutant.get("line")))
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


def _count(value: object) -> int:
    """A count or line number from report.json; 0 for anything else (a hand-edited file)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _first_line(text: str) -> str:
    return text.splitlines()[0] if text else ""


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
