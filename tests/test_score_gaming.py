"""Score tricks that move figures without improving the code, graded through the CLI
beside the honest refactor they dress up: the gamed level is never above the honest one.

The candidates are in ``tests/gaming/``: each is the toy exercise's clean refactor
(``tests/fixtures/toy_clean``) with one trick and no behaviour change.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import FIXTURES, TOY_GOLDEN

GAMING = Path(__file__).resolve().parent / "gaming"


def _grade(cli, candidate: Path) -> dict[str, Any]:
    result = cli("run", candidate, "--golden", TOY_GOLDEN, "--no-mutation", "--sandbox", "none")
    assert result.code == 0, result.stdout + result.stderr
    return result.report


def _level(report: dict[str, Any], name: str) -> int:
    (dimension,) = [d for d in report["scorecard"]["dimensions"] if d["name"] == name]
    return dimension["level"]


@pytest.fixture(scope="module")
def honest(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The clean refactor's report, once for the module (the ``cli`` fixture is per test)."""
    out = tmp_path_factory.mktemp("honest")
    command = [sys.executable, "-m", "refactor_check", "run", str(FIXTURES / "toy_clean")]
    command += ["--golden", str(TOY_GOLDEN), "--no-mutation", "--sandbox", "none"]
    subprocess.run([*command, "--out", str(out)], check=True, capture_output=True, timeout=300)
    return json.loads((out / "report.json").read_text(encoding="utf-8"))


def test_banner_comments_do_not_lift_maintainability(cli, honest) -> None:
    report = _grade(cli, GAMING / "banner_comments")
    before, after = honest["complexity"]["candidate"], report["complexity"]["candidate"]
    assert after["comments"] > before["comments"] + 10
    assert after["mi_min"] == before["mi_min"]
    assert _level(report, "stewardship") <= _level(honest, "stewardship")


def test_branches_moved_into_a_table_of_lambdas_still_count(cli, honest) -> None:
    report = _grade(cli, GAMING / "lambda_dispatch")
    rows = {r["name"]: r["complexity"] for r in report["complexity"]["candidate"]["per_function"]}
    # The functions have no decision left; the table of lambdas holds every one of them.
    assert rows["toy.price"] == 1 and rows["toy.Counter.bump"] == 1
    assert rows["toy.<module level>"] >= 4
    assert (
        report["complexity"]["candidate"]["cc_max"] >= honest["complexity"]["candidate"]["cc_max"]
    )
    assert _level(report, "stewardship") <= _level(honest, "stewardship")


def test_tests_that_detect_the_harness_earn_nothing_and_are_named(cli, honest) -> None:
    result = cli("run", GAMING / "detects_harness", "--golden", TOY_GOLDEN, "--sandbox", "none")
    assert result.code == 0, result.stdout + result.stderr
    report = result.report
    own = report["mutation"]["candidate_tests"]
    assert own["harness_detectors"] == [
        "tests/test_toy_pins.py::test_bump",
        "tests/test_toy_pins.py::test_price",
    ]
    assert own["killed"] == 0 and "detect the harness" in own["note"]
    assert _level(report, "verification") <= _level(honest, "verification")
