"""Does every file of the submission's package parse? (libcst, then the compiler.)"""

from __future__ import annotations

from ..results import CheckResult, Finding, Status
from . import CheckContext

CHECK = "syntax"


def run(ctx: CheckContext) -> CheckResult:
    if ctx.candidate.rejected is not None:
        reason = ctx.candidate.rejected
        finding = Finding(kind="submission_too_large", message=reason, check=CHECK)
        return CheckResult(check=CHECK, status=Status.FAILED, summary=reason, findings=(finding,))
    package = ctx.candidate.package
    findings = tuple(
        Finding(
            kind="syntax_error",
            message=f"{p.path}:{p.line}:{p.column}: {p.message}",
            check=CHECK,
            file=p.path,
            line=p.line,
        )
        for p in package.problems
    )
    files = len(package.files)
    if findings:
        return CheckResult(
            check=CHECK,
            status=Status.FAILED,
            summary=f"{len(findings)} of {files} files do not parse",
            findings=findings,
        )
    return CheckResult(check=CHECK, status=Status.PASSED, summary=f"all {files} files parse")
