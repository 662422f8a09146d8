"""The original's mutants are generated once (by the golden run) and laid into later runs of
other tests on the original: the same mutants, the same outcomes, no second generation."""

from __future__ import annotations

import json
from pathlib import Path

from refactor_check import workspace
from refactor_check.cache import default_root
from refactor_check.mutation import mutmut_run, premutated, profiles
from refactor_check.results.mutation import MutationResult
from refactor_check.runner import Runner
from refactor_check.sources import load_package

from .conftest import TOY_CLEAN, TOY_GOLDEN, write_files
from .test_mutation import grade

_MARK = "\n# laid by refactor-check, not generated in this run\n"


def test_laid_mutants_are_run_as_generated_without_generating_again() -> None:
    original = load_package(TOY_GOLDEN / "original", "toy")
    assert original is not None
    profile = profiles.load("quick")
    kept: list[dict[str, str]] = []
    with workspace.prepare() as ws:
        runner = Runner()
        first = mutmut_run.run(
            runner,
            ws,
            original,
            TOY_GOLDEN / "tests",
            "golden",
            profile,
            keep_generated=kept.append,
        )
        (files,) = kept
        assert {"toy.py", "toy.py.meta", "toy.py.spans"} <= set(files)
        codes = json.loads(files["toy.py.meta"])["exit_code_by_key"]
        assert codes and all(code is None for code in codes.values())  # every one unchecked
        assert set(codes) == {m.key for m in first.mutants}

        laid = {**files, "toy.py": files["toy.py"] + _MARK}
        second = mutmut_run.run(
            runner, ws, original, TOY_GOLDEN / "tests", "again", profile, generated=laid
        )
        run_root = max((ws.root / "runs").iterdir())
        # mutmut took the laid file as its own: it did not write the mutants again.
        assert (run_root / "mutants" / "toy.py").read_text("utf-8").endswith(_MARK)
    assert first.problem is None and second.problem is None
    assert [(m.key, m.status, m.diff) for m in second.mutants] == [
        (m.key, m.status, m.diff) for m in first.mutants
    ]


def test_their_tests_on_the_original_score_the_same_with_the_golden_runs_mutants(
    toy_golden: Path, tmp_path: Path
) -> None:
    tests = "import toy\n\n\ndef test_pinned():\n    assert toy.price(10, 1.0) == 9.0\n"
    candidate = write_files(tmp_path / "cand", {"toy.py": TOY_CLEAN, "tests/test_mine.py": tests})
    laid = grade(candidate, toy_golden).check("mutation")
    # The golden run kept the original's mutants (the test's own cache, from conftest).
    (entry,) = (default_root() / "mutation-original-mutants").glob("*.json")
    kept = premutated.valid(json.loads(entry.read_text("utf-8")))
    assert kept is not None and "toy.py.meta" in kept
    fresh = grade(candidate, toy_golden, use_cache=False).check("mutation")
    assert isinstance(laid, MutationResult) and isinstance(fresh, MutationResult)
    assert laid.candidate_tests_on_original is not None
    assert fresh.candidate_tests_on_original is not None
    assert [(m.key, m.status) for m in laid.candidate_tests_on_original.mutants] == [
        (m.key, m.status) for m in fresh.candidate_tests_on_original.mutants
    ]


def test_a_malformed_cache_entry_is_not_laid() -> None:
    assert premutated.valid({"../outside.py": "x"}) is None
    assert premutated.valid({"/abs.py": "x"}) is None
    assert premutated.valid({"toy.py": 3}) is None
    assert premutated.valid([]) is None
    assert premutated.valid({"toy.py": "x", "toy.py.meta": "{}"}) is not None


def test_scrub_leaves_what_generation_wrote() -> None:
    meta = {
        "exit_code_by_key": {"toy.x_f__mutmut_1": 1, "toy.x_f__mutmut_2": 0},
        "hash_by_function_name": {"x_f": "abc"},
        "durations_by_key": {"toy.x_f__mutmut_1": 0.1},
        "type_check_error_by_key": {},
        "estimated_durations_by_key": {"toy.x_f__mutmut_2": 0.2},
    }
    scrubbed = json.loads(premutated.scrub(json.dumps(meta)))
    assert scrubbed == {
        "exit_code_by_key": {"toy.x_f__mutmut_1": None, "toy.x_f__mutmut_2": None},
        "hash_by_function_name": {"x_f": "abc"},
        "durations_by_key": {},
        "type_check_error_by_key": {},
        "estimated_durations_by_key": {},
    }
