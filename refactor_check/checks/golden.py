"""The hidden golden tests, run against the candidate's package.

The expected outcome of every golden test comes from a run against the original (trusted,
cached per golden repo content); the candidate must reproduce each one. A golden suite that
does not pass on its own original is a broken exercise, not a candidate's fault (exit 2).
"""

from __future__ import annotations

from .. import suite
from ..errors import BadInputError
from ..results import Finding, Status
from ..results.golden import CHECK, GoldenResult, GoldenTest
from . import CheckContext

_CACHE_NAMESPACE = "golden-baseline"
# Outcomes a golden test may have on the original for the exercise to be sound.
_SOUND = frozenset({suite.PASSED, suite.SKIPPED, suite.XFAILED})


def baseline(ctx: CheckContext) -> dict[str, str]:
    """Every golden test id with its outcome on the original, in collection order."""
    key = ctx.cache.key(ctx.exercise.content_hash, "golden-baseline")
    cached = ctx.cache.get(_CACHE_NAMESPACE, key)
    if _valid_baseline(cached):
        return {test_id: outcome for test_id, outcome in cached or ()}
    outcome = suite.run_suite(
        ctx.runner, ctx.workspace, ctx.original, ctx.exercise.tests, label="golden-original"
    )
    broken = [t for t in outcome.tests if t.outcome not in _SOUND]
    if not outcome.tests:
        why = suite.golden_nothing_collected(outcome)
        raise BadInputError(f"golden repo {ctx.exercise.root}: golden tests collected none ({why})")
    if broken:
        names = ", ".join(f"{t.id} ({t.outcome})" for t in broken[:5])
        more = f" and {len(broken) - 5} more" if len(broken) > 5 else ""
        raise BadInputError(
            f"golden repo {ctx.exercise.root} is broken: golden tests fail on the original: "
            f"{names}{more}"
        )
    # Stored as pairs: collection order is part of the baseline, and JSON objects may be
    # reordered by whoever writes them.
    ctx.cache.put(_CACHE_NAMESPACE, key, [[t.id, t.outcome] for t in outcome.tests])
    return {t.id: t.outcome for t in outcome.tests}


def _valid_baseline(value: object) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(
            isinstance(pair, list)
            and len(pair) == 2
            and isinstance(pair[0], str)
            and pair[1] in _SOUND
            for pair in value
        )
    )


def run(ctx: CheckContext) -> GoldenResult:
    expected = baseline(ctx)
    outcome = suite.run_suite(
        ctx.runner,
        ctx.workspace,
        ctx.candidate.package,
        ctx.exercise.tests,
        label="golden-candidate",
        expected=list(expected),
    )
    tests = tuple(
        GoldenTest(t.id, expected[t.id], t.outcome, t.message, t.evidence) for t in outcome.tests
    )
    findings = _findings(tests, outcome)
    total = len(tests)
    passed = sum(t.outcome == t.expected for t in tests)
    summary = f"{passed} of {total} golden tests behave as on the original"
    return GoldenResult(
        check=CHECK,
        status=Status.found(findings),
        summary=summary,
        findings=findings,
        tests=tests,
        processes=outcome.processes,
        isolation=outcome.isolation,
    )


def _findings(tests: tuple[GoldenTest, ...], outcome: suite.SuiteOutcome) -> tuple[Finding, ...]:
    findings: list[Finding] = []
    import_failures: dict[str, list[GoldenTest]] = {}
    not_run: list[GoldenTest] = []
    for test in tests:
        if test.outcome == test.expected:
            continue
        if test.outcome == suite.COLLECT_ERROR:
            import_failures.setdefault(test.message or "", []).append(test)
        elif test.outcome == suite.NOT_RUN:
            not_run.append(test)
        elif test.outcome == suite.TIMEOUT:
            findings.append(_finding("golden_test_timeout", test, test.message or "timed out"))
        elif _hit_output_limit(test):
            findings.append(
                _finding(
                    "output_limit",
                    test,
                    f"wrote more output than the limit allows and was cut off ({_describe(test)})",
                )
            )
        elif test.outcome == suite.CRASHED:
            findings.append(_finding("run_aborted", test, test.message or "process died"))
        else:
            findings.append(_finding("golden_test_failed", test, _describe(test)))
    for message, group in import_failures.items():
        findings.append(
            Finding(
                kind="import_failed",
                message=(f"{len(group)} golden tests could not be collected: {message}"),
                check=CHECK,
                test_id=group[0].id,
                evidence=group[0].evidence,
            )
        )
    if not_run:
        ids = "\n".join(t.id for t in not_run)
        findings.append(
            Finding(
                kind="run_aborted",
                message=(
                    f"{len(not_run)} golden tests never reported a result: {not_run[0].message}"
                ),
                check=CHECK,
                test_id=not_run[0].id,
                evidence=f"tests without a result:\n{ids}",
            )
        )
    for problem in outcome.inconsistencies:
        findings.append(
            Finding(
                kind="results_inconsistent",
                message=f"the test run's result channels disagree: {problem}",
                check=CHECK,
            )
        )
    return tuple(findings)


def _finding(kind: str, test: GoldenTest, message: str) -> Finding:
    return Finding(
        kind=kind,
        message=f"{test.id}: {message}",
        check=CHECK,
        test_id=test.id,
        evidence=test.evidence,
    )


def _hit_output_limit(test: GoldenTest) -> bool:
    # Python ignores SIGXFSZ, so a write past RLIMIT_FSIZE fails with EFBIG (errno 27),
    # typically inside pytest's output capture, and the test fails with that error.
    return test.outcome in (suite.FAILED, suite.ERROR) and "[Errno 27]" in (test.message or "")


def _describe(test: GoldenTest) -> str:
    if test.message:
        return test.message.splitlines()[0]
    return f"{test.outcome} (on the original: {test.expected})"
