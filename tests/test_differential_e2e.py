"""Differential testing end to end, through the real command line, on the bundled exercise:
the example whose change the golden tests miss is caught, the clean refactor is not."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import EXAMPLES, FIXTURES, TOY_CLEAN, snapshot

INVOICE = EXAMPLES / "invoice"
pytestmark = pytest.mark.slow


def test_the_golden_gap_example_is_changed_by_a_difference_the_golden_tests_miss(
    cli, tmp_path: Path
) -> None:
    before = snapshot(INVOICE / "golden_gap")
    result = cli("run", INVOICE / "golden_gap", "--no-mutation", "--seed", "3")
    assert result.code == 1, result.stdout + result.stderr
    report = result.report
    assert report["verdict"] == "changed"
    assert report["golden"]["passed"] == report["golden"]["total"] == 40
    (finding,) = report["findings"]
    assert finding["kind"] == "differential_mismatch" and finding["check"] == "differential"
    assert finding["message"].startswith("billing.compute_total: ")
    # qty 50: 5 % off in the original, 2 % in the candidate (the golden tests price 49 and 51).
    assert "'qty': 50" in finding["call"] and finding["call"].startswith("billing.compute_total(")
    assert "Decimal('0.05')" in finding["evidence"] and "Decimal('0.02')" in finding["evidence"]
    section = report["differential"]
    assert section["status"] == "failed" and section["seed"] == 3
    (example,) = section["counterexamples"]
    assert example["call"] == finding["call"]
    assert ["return value['lines'][0]['discount_rate']", "Decimal('0.05')", "Decimal('0.02')"] in (
        example["differences"]
    )
    assert "[differential_mismatch] billing.compute_total" in result.stdout
    assert snapshot(INVOICE / "golden_gap") == before
    assert not (tmp_path / ".hypothesis").exists()  # nothing left in the caller's directory


def test_mutation_survivors_focus_the_search(cli, make_candidate) -> None:
    # The toy's golden tests leave mutants alive in both public functions: both get the
    # larger budget, and the report says so.
    result = cli("run", make_candidate({"toy.py": TOY_CLEAN}), "--golden", FIXTURES / "toy")
    assert result.code == 0, result.stdout + result.stderr
    report = result.report
    assert report["mutation"]["golden_blind_spots"]
    focused = {t["path"] for t in report["differential"]["targets"] if t["focus"]}
    assert focused == {"toy.Counter", "toy.price"}
