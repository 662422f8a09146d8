"""Is the submission's code all there, and does every file of it parse? (libcst, then the
compiler.) A module of the exercise the submission no longer has is a finding: callers import
every one of them by name."""

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
    findings += tuple(
        Finding(
            kind="module_removed",
            message=(
                f"module {name!r} of the original is not in the submission "
                f"(expected {name}.py or {name}/): every caller that imports {name} breaks; "
                "a refactor that moves its contents keeps the module, importing them back"
            ),
            check=CHECK,
        )
        for name in ctx.candidate.removed_modules
    )
    files = len(package.files)
    if findings:
        return CheckResult(
            check=CHECK,
            status=Status.FAILED,
            summary=_failed(len(package.problems), files, len(ctx.candidate.removed_modules)),
            findings=findings,
        )
    return CheckResult(check=CHECK, status=Status.PASSED, summary=f"all {files} files parse")


def _failed(unparsed: int, files: int, removed: int) -> str:
    parts = [f"{unparsed} of {files} files do not parse"] if unparsed else []
    if removed:
        parts.append(f"{removed} module(s) of the original removed")
    return "; ".join(parts)
