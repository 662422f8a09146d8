"""junit.xml: every check as test cases, so a CI test pane shows what failed and why.

One suite per check. Golden tests become one case each (failing when the outcome differs
from the original's, with pytest's assertion text); differential testing one case per entry
point; mutation testing one case for the candidate's score against the scorecard's bar for
Verification level 3; the integrity scan and the other checks one case each.

Times come from report.json's ``timing`` (seconds per stage): every suite has its stage's
time, and so does a case that stands for a whole check (the mutation case among them). A
golden test or a differential entry point has no time of its own: report.json does not keep
per-test durations, and a share of the stage's time would be made up.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from . import view

FILENAME = "junit.xml"
ROOT = "refactor-check"
# Characters XML 1.0 cannot carry at all (test output may hold any byte pytest captured).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render(data: dict[str, Any]) -> str:
    timing = data.get("timing") or {}
    root = ET.Element("testsuites", name=ROOT)
    for check in data.get("checks", []):
        name = str(check.get("check"))
        suite = ET.SubElement(root, "testsuite", name=f"{ROOT}.{name}")
        builder = _BUILDERS.get(name, _whole_check)
        builder(suite, check, data)
        _count(suite, float(timing.get(name, 0.0)))
    _count(root, sum(float(v) for v in timing.values()))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def write(data: dict[str, Any], out_dir: Path) -> Path:
    path = out_dir / FILENAME
    path.write_text(render(data), encoding="utf-8")
    return path


def _case(suite: ET.Element, classname: str, name: str, **attributes: str) -> ET.Element:
    names = {"classname": _clean(classname), "name": _clean(name)}
    return ET.SubElement(suite, "testcase", names, **attributes)


def _fail(case: ET.Element, tag: str, message: str, kind: str, text: str | None = None) -> None:
    element = ET.SubElement(case, tag, message=_clean(message), type=_clean(kind))
    if text:
        element.text = _clean(text)


def _count(element: ET.Element, seconds: float) -> None:
    cases = list(element.iter("testcase"))
    element.set("tests", str(len(cases)))
    element.set("failures", str(sum(c.find("failure") is not None for c in cases)))
    element.set("errors", str(sum(c.find("error") is not None for c in cases)))
    element.set("skipped", str(sum(c.find("skipped") is not None for c in cases)))
    element.set("time", f"{seconds:.3f}")


def _stage_time(data: dict[str, Any], check: str) -> str:
    try:
        seconds = float((data.get("timing") or {}).get(check, 0.0))
    except (TypeError, ValueError):
        seconds = 0.0
    return f"{seconds:.3f}"


def _findings_of(data: dict[str, Any], check: str) -> list[dict[str, Any]]:
    return [f for f in data.get("findings", []) if isinstance(f, dict) and f.get("check") == check]


def _whole_check(suite: ET.Element, check: dict[str, Any], data: dict[str, Any]) -> None:
    """One case for the whole check: its findings as the failure."""
    name = str(check.get("check"))
    case = _case(suite, f"{ROOT}.{name}", name, time=_stage_time(data, name))
    _status(case, check, _findings_of(data, name))


def _status(case: ET.Element, check: dict[str, Any], findings: list[dict[str, Any]]) -> None:
    status = check.get("status")
    summary = str(check.get("summary", ""))
    if status == "skipped":
        ET.SubElement(case, "skipped", message=_clean(summary))
    elif status == "error":
        _fail(case, "error", summary, "check_error")
    elif status == "failed" or findings:
        details = "\n\n".join(
            f"[{f.get('kind')}] {f.get('message')}\n{f.get('evidence') or ''}".strip()
            for f in findings
        )
        kind = str(findings[0].get("kind")) if findings else "failed"
        _fail(case, "failure", summary, kind, details or summary)
    warnings = check.get("warnings") or []
    out = ET.SubElement(case, "system-out")
    out.text = _clean("\n".join([summary, *map(str, warnings)]))


def _golden(suite: ET.Element, check: dict[str, Any], data: dict[str, Any]) -> None:
    golden = data.get("golden")
    if not isinstance(golden, dict) or not golden.get("tests"):
        _whole_check(suite, check, data)
        return
    by_test = {f.get("test_id"): f for f in _findings_of(data, "golden") if f.get("test_id")}
    for test in golden["tests"]:
        test_id = str(test.get("id"))
        path, _, rest = test_id.partition("::")
        classname, _, name = rest.rpartition("::")
        module = path.removesuffix(".py").replace("/", ".")
        case = _case(
            suite,
            f"golden.{module}" + (f".{classname}" if classname else ""),
            name or test_id,
            file=_clean(path),
        )
        expected, outcome = test.get("expected"), test.get("outcome")
        if outcome == expected:
            if outcome in ("skipped", "xfailed"):
                ET.SubElement(case, "skipped", message=f"{outcome}, as on the original")
            continue
        finding = by_test.get(test_id) or {}
        message = str(test.get("message") or f"{outcome} (on the original: {expected})")
        evidence = str(test.get("evidence") or finding.get("evidence") or message)
        _fail(case, "failure", message, str(finding.get("kind") or "golden_test_failed"), evidence)
    # Findings about the run as a whole (channels disagreeing) have no test of their own.
    for finding in _findings_of(data, "golden"):
        if not finding.get("test_id"):
            case = _case(suite, f"{ROOT}.golden", str(finding.get("kind")))
            _fail(case, "failure", str(finding.get("message")), str(finding.get("kind")))


def _differential(suite: ET.Element, check: dict[str, Any], data: dict[str, Any]) -> None:
    section = view.section(data, "differential")
    findings = _findings_of(data, "differential")
    names = [_entry_name(e) for e in section.get("targets") or section.get("entry_points") or []]
    for finding in findings:
        name = _call_target(finding)
        if name and name not in names:
            names.append(name)
    if not names or check.get("status") in ("skipped", "error"):
        _whole_check(suite, check, data)
        return
    for name in names:
        case = _case(suite, "differential", name)
        mine = [f for f in findings if _call_target(f) == name]
        if mine:
            first = mine[0]
            text = "\n\n".join(
                "\n".join(
                    part
                    for part in (
                        f"call: {f.get('call')}" if f.get("call") else "",
                        f"original: {f.get('original')}" if "original" in f else "",
                        f"candidate: {f.get('candidate')}" if "candidate" in f else "",
                        str(f.get("evidence") or ""),
                    )
                    if part
                )
                for f in mine
            )
            _fail(case, "failure", str(first.get("message")), str(first.get("kind")), text)
    stray = [f for f in findings if not _call_target(f)]
    if stray:
        case = _case(suite, "differential", "differential")
        _fail(case, "failure", str(stray[0].get("message")), str(stray[0].get("kind")))


def _entry_name(entry: object) -> str:
    if isinstance(entry, dict):
        return str(entry.get("path") or entry.get("name") or entry.get("entry_point") or entry)
    return str(entry)


def _call_target(finding: dict[str, Any]) -> str:
    """billing.compute_total(items, customer) -> billing.compute_total."""
    call = finding.get("call")
    return str(call).split("(", 1)[0].strip() if call else ""


def _mutation(suite: ET.Element, check: dict[str, Any], data: dict[str, Any]) -> None:
    mutation = view.section(data, "mutation")
    bar = view.verification_bar(data)
    label = f"candidate's tests' mutation score >= {bar:.0%}" if bar is not None else "mutation"
    case = _case(suite, f"{ROOT}.mutation", label, time=_stage_time(data, "mutation"))
    word, why = view.mutation_outcome(data)
    if check.get("status") != "passed":
        _status(case, check, [])
        return
    if word == "skipped":
        ET.SubElement(case, "skipped", message=str(why))
    elif word == "failed":
        own = mutation.get("candidate_tests") or {}
        survivors = [m for m in own.get("mutants") or [] if m.get("status") == "survived"]
        text = "\n\n".join(str(m.get("diff") or m.get("key")) for m in survivors[:20])
        _fail(case, "failure", str(why), "mutation_score", text or str(why))
    out = ET.SubElement(case, "system-out")
    out.text = _clean(str(mutation.get("summary", "")))


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


_BUILDERS = {"golden": _golden, "differential": _differential, "mutation": _mutation}
