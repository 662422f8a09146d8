"""What the candidate's package did while it ran, as its processes' audit hooks saw it.

The static integrity scan reads the source; this check reads what every process that hosted
the package reported (see ``refactor_check.audit``): an import of a capability, a walk of
the garbage collector, a frame read, code compiled at run time, a process started. Each is a
blocking finding, with the file, line and run that show it. It runs last, after every check
that starts the candidate's code, so it sees all of their runs.
"""

from __future__ import annotations

from .. import audit
from ..exercise import Exercise
from ..results import CheckResult, Finding, Status
from ..sources import PackageSource
from . import CheckContext, integrity

CHECK = "runtime"


def policy(
    exercise: Exercise, original: PackageSource, candidate: PackageSource
) -> audit.AuditPolicy:
    """The candidate's runs' audit policy: events whose rule the original's own source trips
    are inherited behaviour and not watched, as in the static scan."""
    declared = exercise.dependencies
    allowed = integrity.allowed_imports(original.module_names, declared)
    original_rules = {hit.rule for hit in integrity.scan_package(original, allowed)}
    return audit.policy(original, candidate, declared, original_rules)


def run(ctx: CheckContext) -> CheckResult:
    raw = ctx.runner.audit_lines() if ctx.audit is None else ctx.audit
    events: dict[tuple[str, str, str, int], audit.Event] = {}
    for run_name, line in raw:
        for event in audit.parse([line], run_name):
            events.setdefault((event.event, event.detail, event.file, event.line), event)
    findings = tuple(
        Finding(
            kind="integrity",
            message=f"{event.describe()} (run {event.run})",
            check=CHECK,
            file=event.file,
            line=event.line,
            rule=event.rule,
        )
        for event in sorted(events.values(), key=lambda e: (e.file, e.line, e.event, e.detail))
    )
    if findings:
        summary = f"{len(findings)} capability use(s) seen at run time"
    else:
        summary = "nothing beyond the original's capabilities seen at run time"
    return CheckResult(
        check=CHECK,
        status=Status.found(findings),
        summary=summary,
        findings=findings,
    )
