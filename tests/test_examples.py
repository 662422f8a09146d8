"""The bundled exercise and its example submissions, graded through the CLI as users do."""

from __future__ import annotations

from .conftest import EXAMPLES, GOLDEN_REPOS, snapshot

INVOICE = EXAMPLES / "invoice"


def test_the_clean_refactor_example_passes(cli) -> None:
    """One example through ``run`` with the default differential budget; the verdicts of the
    other invoice examples come from one ``batch`` (test_batch_examples.py), and every
    exercise's from benchmarks/examples.py."""
    before = snapshot(INVOICE / "clean_refactor")
    # The exercise comes from .refactor-check.toml; mutation is tested in test_mutation.py.
    result = cli("run", INVOICE / "clean_refactor", "--no-mutation")
    assert result.code == 0, result.stdout + result.stderr
    report = result.report
    assert report["verdict"] == "preserved" and report["findings"] == []
    assert report["golden"]["passed"] == report["golden"]["total"] == 40
    assert report["exercise"]["name"] == "invoice"
    section = report["differential"]
    assert section["status"] == "passed" and section["counterexamples"] == []
    assert section["calls_compared"] > 1000 and not section["budget"]["time_budget_hit"]
    compared = {t["path"] for t in section["targets"] if t["calls"]}
    assert {"billing.compute_total", "billing.InvoiceBook", "billing.render_invoice"} <= compared
    assert snapshot(INVOICE / "clean_refactor") == before


def test_breaking_example_names_the_golden_tests_it_fails(cli) -> None:
    before = snapshot(INVOICE / "breaks_golden")
    result = cli(
        "run",
        INVOICE / "breaks_golden",
        "--exercise",
        "invoice",
        "--no-mutation",
        "--no-differential",
    )
    assert result.code == 1
    findings = result.report["findings"]
    assert {f["kind"] for f in findings} == {"golden_test_failed"}
    assert "tests/test_pricing.py::test_tax_rounds_half_up" in {f["test_id"] for f in findings}
    half_up = next(f for f in findings if f["test_id"].endswith("test_tax_rounds_half_up"))
    assert "Decimal('0.14')" in half_up["message"]
    assert "assert" in half_up["evidence"]
    assert snapshot(INVOICE / "breaks_golden") == before


def test_syntax_error_example_names_file_and_line(cli) -> None:
    result = cli(
        "run", INVOICE / "syntax_error", "--golden", GOLDEN_REPOS / "invoice", "--no-mutation"
    )
    assert result.code == 1
    (finding,) = result.report["findings"]
    assert finding["kind"] == "syntax_error"
    assert (finding["file"], finding["line"]) == ("billing/book.py", 78)
    assert "billing/book.py:78" in result.stdout


def test_bundled_exercise_has_a_strong_golden_suite_shape() -> None:
    tests = list((GOLDEN_REPOS / "invoice" / "tests").glob("test_*.py"))
    assert len(tests) >= 2
    source = (GOLDEN_REPOS / "invoice" / "original" / "billing" / "invoice.py").read_text()
    assert 200 <= len(source.splitlines()) <= 350
