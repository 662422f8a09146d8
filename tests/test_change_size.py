"""The size-of-change figure on real submissions: how much of the original each one left."""

from __future__ import annotations

from pathlib import Path

from refactor_check import sources
from refactor_check.results.complexity import ChangeSize
from refactor_check.structure import change_size, functions

ROOT = Path(__file__).resolve().parent.parent


def _measure(candidate: str) -> ChangeSize:
    original = sources.load_package(ROOT / "golden_repos" / "invoice" / "original", "billing")
    submitted = sources.load_package(ROOT / "examples" / "invoice" / candidate, "billing")
    assert original is not None and submitted is not None
    return change_size.measure(
        original, submitted, functions.collect(original), functions.collect(submitted)
    )


def test_the_original_against_itself_is_unchanged() -> None:
    original = sources.load_package(ROOT / "golden_repos" / "invoice" / "original", "billing")
    assert original is not None
    found = functions.collect(original)
    same = change_size.measure(original, original, found, found)
    assert same.unchanged and same.kept_share == 1.0
    assert same.functions_changed == 0 and same.original_functions == len(found) > 5
    assert "nothing was refactored" in same.describe()


def test_a_light_tidy_keeps_more_of_the_original_than_an_aggressive_rewrite() -> None:
    tidy, rewrite = _measure("light_tidy"), _measure("aggressive_rewrite")
    for change in (tidy, rewrite):
        assert not change.unchanged
        assert 0 < change.functions_changed <= change.original_functions
        assert change.lines_kept + change.lines_removed == change.original_lines
        assert change.lines_kept + change.lines_added == change.candidate_lines
    assert tidy.kept_share > rewrite.kept_share
    assert tidy.functions_kept > rewrite.functions_kept
    assert f"{tidy.kept_share:.0%} of the original's lines" in tidy.describe()
