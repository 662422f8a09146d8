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
from collections.abc import Callable, Sequence
from pathlib import Path

from ..report import Report
from ..results import CheckResult, Finding, Status
from ..results.differential import DifferentialResult
from . import view

FILENAME = "junit.xml"
ROOT = "refactor-check"
# Characters XML 1.0 cannot carry at all (test output may hold any byte pytest captured).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render(report: Report) -> str:
    timing = _timing(report)
    root = ET.Element("testsuites", name=ROOT)
    for check in report.checks:
        suite = ET.SubElement(root, "testsuite", name=f"{ROOT}.{check.check}")
        builder = _BUILDERS.get(check.check, _whole_check)
        builder(suite, check, report)
        _count(suite, timing.get(check.check, 0.0))
    _count(root, sum(timing.values()))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def write(report: Report, out_dir: Path) -> Path:
    path = out_dir / FILENAME
    path.write_text(render(report), encoding="utf-8")
    return path


def _timing(report: Report) -> dict[str, float]:
    """Each stage's seconds as report.json states them (to the millisecond): the run's total
    is the sum of the figures a reader of report.json sees, not of finer ones."""
    return {stage: round(seconds, 3) for stage, seconds in report.timing.items()}


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


def _stage_time(report: Report, check: str) -> str:
    return f"{_timing(report).get(check, 0.0):.3f}"


def _findings_of(report: Report, check: str) -> list[Finding]:
    """The verdict's findings of ``check`` (those it adds itself included: a check that
    errored, a required one that did not run)."""
    return [f for f in report.findings if f.check == check]


def _whole_check(suite: ET.Element, check: CheckResult, report: Report) -> None:
    """One case for the whole check: its findings as the failure."""
    name = check.check
    case = _case(suite, f"{ROOT}.{name}", name, time=_stage_time(report, name))
    _status(case, check, _findings_of(report, name))


def _status(case: ET.Element, check: CheckResult, findings: Sequence[Finding]) -> None:
    summary = check.summary
    if check.status is Status.SKIPPED:
        ET.SubElement(case, "skipped", message=_clean(summary))
    elif check.status is Status.ERROR:
        _fail(case, "error", summary, "check_error")
    elif check.status is Status.FAILED or findings:
        details = "\n\n".join(
            f"[{f.kind}] {f.message}\n{f.evidence or ''}".strip() for f in findings
        )
        kind = findings[0].kind if findings else "failed"
        _fail(case, "failure", summary, kind, details or summary)
    out = ET.SubElement(case, "system-out")
    out.text = _clean("\n".join([summary, *check.warnings]))


def _golden(suite: ET.Element, check: CheckResult, report: Report) -> None:
    golden = report.golden
    if golden is None or not golden.tests:
        _whole_check(suite, check, report)
        return
    findings = _findings_of(report, "golden")
    by_test = {f.test_id: f for f in findings if f.test_id}
    for test in golden.tests:
        path, _, rest = test.id.partition("::")
        classname, _, name = rest.rpartition("::")
        module = path.removesuffix(".py").replace("/", ".")
        case = _case(
            suite,
            f"golden.{module}" + (f".{classname}" if classname else ""),
            name or test.id,
            file=_clean(path),
        )
        if test.outcome == test.expected:
            if test.outcome in ("skipped", "xfailed"):
                ET.SubElement(case, "skipped", message=f"{test.outcome}, as on the original")
            continue
        finding = by_test.get(test.id)
        message = test.message or f"{test.outcome} (on the original: {test.expected})"
        evidence = test.evidence or (finding.evidence if finding else None) or message
        kind = (finding.kind if finding else None) or "golden_test_failed"
        _fail(case, "failure", message, kind, evidence)
    # Findings about the run as a whole (channels disagreeing) have no test of their own.
    for finding in findings:
        if not finding.test_id:
            case = _case(suite, f"{ROOT}.golden", finding.kind)
            _fail(case, "failure", finding.message, finding.kind)


def _differential(suite: ET.Element, check: CheckResult, report: Report) -> None:
    findings = _findings_of(report, "differential")
    names = [t.path for t in check.targets] if isinstance(check, DifferentialResult) else []
    for finding in findings:
        name = _call_target(finding)
        if name and name not in names:
            names.append(name)
    if not names or check.status in (Status.SKIPPED, Status.ERROR):
        _whole_check(suite, check, report)
        return
    for name in names:
        case = _case(suite, "differential", name)
        mine = [f for f in findings if _call_target(f) == name]
        if mine:
            first = mine[0]
            text = "\n\n".join(
                "\n".join(
                    part for part in (f"call: {f.call}" if f.call else "", f.evidence or "") if part
                )
                for f in mine
            )
            _fail(case, "failure", first.message, first.kind, text)
    stray = [f for f in findings if not _call_target(f)]
    if stray:
        case = _case(suite, "differential", "differential")
        _fail(case, "failure", stray[0].message, stray[0].kind)


def _call_target(finding: Finding) -> str:
    """billing.compute_total(items, customer) -> billing.compute_total."""
    return finding.call.split("(", 1)[0].strip() if finding.call else ""


def _mutation(suite: ET.Element, check: CheckResult, report: Report) -> None:
    bar = view.verification_bar(report)
    label = f"candidate's tests' mutation score >= {bar:.0%}" if bar is not None else "mutation"
    case = _case(suite, f"{ROOT}.mutation", label, time=_stage_time(report, "mutation"))
    word, why = view.mutation_outcome(report)
    if check.status is not Status.PASSED:
        _status(case, check, [])
        return
    if word == "skipped":
        ET.SubElement(case, "skipped", message=str(why))
    elif word == "failed":
        result = view.mutation(report)
        own = result.candidate_tests if result else None
        survivors = own.survivors if own else ()
        text = "\n\n".join(m.diff or m.key for m in survivors[:20])
        _fail(case, "failure", str(why), "mutation_score", text or str(why))
    out = ET.SubElement(case, "system-out")
    out.text = _clean(view.status(report, "mutation")[1])


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


_Builder = Callable[[ET.Element, CheckResult, Report], None]
_BUILDERS: dict[str, _Builder] = {
    "golden": _golden,
    "differential": _differential,
    "mutation": _mutation,
}
