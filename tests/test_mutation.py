"""Mutation testing on real mutmut runs: scores, ranking, caching, timeouts, and the edges."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from refactor_check import cache as cache_module
from refactor_check import pipeline
from refactor_check.cache import Cache
from refactor_check.checks.mutation import score_from_json
from refactor_check.errors import BadInputError
from refactor_check.mutation import mutmut_run, profiles, unmutated
from refactor_check.results.mutation import MutationResult
from refactor_check.sources import load_package

from .conftest import EXAMPLES, FIXTURES, TOY_CLEAN, write_files

QUICK = pipeline.Options(mutation_profile="quick")


def grade(candidate: Path, golden: Path, **options: object) -> pipeline.Report:
    return pipeline.grade(
        candidate, pipeline.Options(golden=golden, mutation_profile="quick", **options)
    )


def mutation_of(report: pipeline.Report) -> MutationResult:
    result = report.check("mutation")
    assert isinstance(result, MutationResult), result
    return result


# -- profiles -------------------------------------------------------------------------------


def test_profiles_load_with_exercise_and_command_line_overrides() -> None:
    assert set(profiles.available()) >= {"quick", "default", "thorough"}
    quick = profiles.load("quick")
    assert quick.timeout_multiplier == 2.0 and quick.wall_seconds == 180
    chosen = profiles.for_exercise({"profile": "quick", "timeout_constant": 3}, None, 3)
    assert (chosen.name, chosen.timeout_constant, chosen.workers) == ("quick", 3.0, 3)
    # A profile named on the command line ignores the exercise's overrides of its own profile.
    assert profiles.for_exercise({"profile": "quick", "timeout_constant": 3}, "thorough").name == (
        "thorough"
    )
    assert (
        profiles.for_exercise(
            {"profile": "quick", "timeout_constant": 3}, "thorough"
        ).timeout_constant
        == 2.0
    )


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ({"profile": "nope"}, "unknown mutation profile 'nope'"),
        ({"timeout_multiplier": "fast"}, "must be a number"),
        ({"do_not_mutate": "x.py"}, "must be a list of strings"),
        ({"jobs": 1.5}, "whole number"),
        ({"colour": 1}, "unknown mutation setting 'colour'"),
        ({"candidate_score_target": 0.7}, r"scorecard's, e.g. \[scorecard.verification"),
    ],
)
def test_bad_mutation_settings_are_bad_input(section: dict, message: str) -> None:
    with pytest.raises(BadInputError, match=message):
        profiles.for_exercise(section)


# -- what mutmut leaves alone ---------------------------------------------------------------


def test_unmutated_code_is_listed(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "pkg/__init__.py": '"""Doc."""\nfrom .core import f\n',
            "pkg/core.py": """
                import math
                RATE = 3
                TABLE = {"a": 1}
                def f(x):
                    return x * RATE
                @property
                def g(self):
                    return 1
                class C:
                    limit = 10
                    @staticmethod
                    def s():
                        return 2
                    @property
                    def p(self):
                        return 3
                    class Inner:
                        def m(self):
                            return 4
            """,
        },
    )
    package = load_package(tmp_path, "pkg")
    assert package is not None
    found = {(u.file, u.line, u.what) for u in unmutated.scan(package)}
    assert found == {
        ("pkg/core.py", 2, "module-level code (RATE, TABLE)"),
        ("pkg/core.py", 6, "decorated function g()"),
        ("pkg/core.py", 10, "class attributes of C"),
        ("pkg/core.py", 14, "decorated method C.p()"),
        ("pkg/core.py", 17, "nested class C.Inner (its methods)"),
    }


# -- reading mutmut's files -----------------------------------------------------------------


def test_mangled_names_and_diff_offsets() -> None:
    assert mutmut_run._function_name("x_total") == "total"
    assert mutmut_run._function_name("x\u01c1Ledger\u01c1add") == "Ledger.add"
    diff = [
        "--- a",
        "+++ a",
        "@@ -1,4 +1,4 @@",
        " def f():",
        "     x = 1",
        "-    y = 2",
        "+    y = 3",
    ]
    assert mutmut_run._first_change(diff) == 2


def test_each_mutant_line_is_the_line_its_diff_changes(tmp_path: Path) -> None:
    # Comments above a def sit inside mutmut's span of the function; a line taken from the
    # span's start was off by their count (179 of 677 mutants of this example).
    source = EXAMPLES / "invoice" / "clean_refactor"
    shutil.copytree(source / "billing", tmp_path / "billing")
    (tmp_path / ".pytest.ini").write_text("")
    package = load_package(tmp_path, "billing")
    assert package is not None
    profile = profiles.load("quick")
    (tmp_path / "setup.cfg").write_text(mutmut_run.setup_cfg(package, [], profile))
    listing = [sys.executable, "-m", "mutmut", "run", mutmut_run._LIST_ONLY]
    subprocess.run(listing, cwd=tmp_path, capture_output=True, timeout=120, check=False)
    mutants = mutmut_run.read_results(tmp_path, package)
    assert len(mutants) > 500
    for m in mutants:
        removed = [s[1:] for s in m.diff.splitlines()[2:] if s.startswith("-")]
        lines = (tmp_path / m.file).read_text().splitlines()
        assert removed and lines[m.line - 1].strip() == removed[0].strip(), m.key


def test_files_left_unmutated_are_found_in_every_module_of_the_code(tmp_path: Path) -> None:
    # An exercise of several modules: a profile's glob names a file of the second module
    # and the files of a package folder; mutmut's own listing must leave all of them out.
    shutil.copytree(FIXTURES / "shop3" / "original", tmp_path, dirs_exist_ok=True)
    write_files(
        tmp_path, {"util/__init__.py": "", "util/tax.py": "def rate(x):\n    return x + 1\n"}
    )
    (tmp_path / ".pytest.ini").write_text("")
    package = load_package(tmp_path, "checkout", ("cart", "catalog", "util"))
    assert package is not None
    profile = replace(profiles.load("quick"), do_not_mutate=("catalog.py", "tax.py"))
    assert mutmut_run.unmutated_globs(package, profile.do_not_mutate) == [
        "util/catalog.py",
        "catalog.py",
        "util/tax.py",
        "tax.py",
    ]
    (tmp_path / "setup.cfg").write_text(mutmut_run.setup_cfg(package, [], profile))
    listing = [sys.executable, "-m", "mutmut", "run", mutmut_run._LIST_ONLY]
    subprocess.run(listing, cwd=tmp_path, capture_output=True, timeout=120, check=False)
    mutated = {m.file for m in mutmut_run.read_results(tmp_path, package)}
    assert mutated == {"checkout.py", "cart.py"}


def test_cache_keys_follow_the_tools_own_code(tmp_path: Path, monkeypatch) -> None:
    # A fix to how results are computed must not be shadowed by entries the old code stored,
    # though the version number did not move.
    store = Cache(tmp_path)
    before = store.key("exercise-hash", "mutation-golden")
    assert before == store.key("exercise-hash", "mutation-golden")
    monkeypatch.setattr(cache_module, "code_digest", lambda: "another build of the tool")
    assert store.key("exercise-hash", "mutation-golden") != before


def test_a_corrupt_cache_entry_is_a_miss() -> None:
    assert score_from_json({"killed": "many"}) is None
    assert score_from_json(None) is None


# -- real runs ------------------------------------------------------------------------------


def test_golden_adequacy_is_computed_once_and_reused(toy_golden: Path, make_candidate) -> None:
    first = mutation_of(grade(make_candidate(), toy_golden))
    golden = first.golden_on_original
    assert golden is not None and not golden.cached
    assert golden.total == golden.killed + golden.survived + golden.timeout + golden.no_tests
    assert 0 < golden.killed < golden.total
    # The golden tests never call Counter.bump with a negative amount: its check survives.
    assert "toy.Counter.bump" in first.golden_blind_spots()
    assert any("raise ValueError" in m.diff for m in golden.survivors)
    assert all(m.line > 0 and m.file == "toy.py" for m in golden.mutants)
    second = mutation_of(grade(make_candidate(), toy_golden))
    reused = second.golden_on_original
    assert reused is not None and reused.cached
    assert (reused.killed, reused.survived, reused.total) == (
        golden.killed,
        golden.survived,
        golden.total,
    )
    assert [(m.key, m.status, m.diff) for m in reused.mutants] == [
        (m.key, m.status, m.diff) for m in golden.mutants
    ]


def test_no_mutation_skips_the_stage(toy_golden: Path, make_candidate) -> None:
    report = grade(make_candidate(), toy_golden, mutation=False)
    result = report.check("mutation")
    assert result is not None and result.status.value == "skipped"
    assert report.to_dict()["mutation"]["candidate_tests"] is None


def test_a_mutant_that_loops_forever_is_a_timeout_not_a_hang(tmp_path: Path, make_candidate):
    golden = write_files(
        tmp_path / "loop",
        {
            "exercise.toml": '[exercise]\npackage = "loop"\n[mutation]\nprofile = "quick"\n',
            "original/loop.py": """
                def triangle(n):
                    total, i = 0, 0
                    while i < n:
                        total += i
                        i += 1
                    return total
            """,
            "tests/test_loop.py": """
                from loop import triangle
                def test_triangle():
                    assert triangle(4) == 6
            """,
        },
    )
    candidate = make_candidate({"loop.py": (golden / "original" / "loop.py").read_text()})
    report = pipeline.grade(candidate, pipeline.Options(golden=golden))
    score = mutation_of(report).golden_on_original
    assert score is not None and score.timeout >= 1 and score.not_checked == 0
    assert report.verdict.verdict == "preserved"


def test_own_tests_that_fail_on_their_own_code_score_zero_with_a_note(
    toy_golden: Path, make_candidate
) -> None:
    candidate = make_candidate(
        {
            "toy.py": TOY_CLEAN,
            "tests/test_own.py": "from toy import price\n\n"
            "def test_wrong():\n    assert price(1, 1.0) == 2.0\n",
        }
    )
    result = mutation_of(grade(candidate, toy_golden))
    own = result.candidate_tests
    assert own is not None and own.score == 0.0
    assert own.note is not None and "do not pass on their own code" in own.note


def test_tests_needing_new_helpers_are_skipped_on_the_original(
    toy_golden: Path, make_candidate
) -> None:
    helper = (
        TOY_CLEAN + "\n\ndef bulk_factor(qty):\n    return BULK_FACTOR if qty >= BULK_QTY else 1\n"
    )
    candidate = make_candidate(
        {
            "toy.py": helper,
            "tests/test_own.py": (
                "import pytest\nfrom toy import price, bulk_factor\n\n"
                "def test_bulk():\n    assert bulk_factor(10) == 0.9\n"
            ),
            "tests/test_old.py": (
                "import pytest\nfrom toy import price\n\n"
                "def test_price():\n    assert price(10, 1.0) == 9.0\n\n"
                "def test_zero():\n    with pytest.raises(ValueError):\n        price(0, 1.0)\n"
            ),
        }
    )
    result = mutation_of(grade(candidate, toy_golden))
    on_original = result.candidate_tests_on_original
    assert on_original is not None
    assert on_original.tests_used == (
        "tests/test_old.py::test_price",
        "tests/test_old.py::test_zero",
    )
    assert on_original.tests_skipped == ("tests/test_own.py",)  # it cannot import there
    assert on_original.killed > 0
    assert any("do not pass on the original" in n for n in result.notes)


_STRONG_TESTS = """\
import pytest
from toy import Counter, price


@pytest.mark.parametrize(
    "qty,unit,expected", [(1, 2.0, 2.0), (9, 1.0, 9.0), (10, 1.0, 9.0), (3, 1.555, 4.67)]
)
def test_price(qty, unit, expected):
    assert price(qty, unit) == expected


@pytest.mark.parametrize("qty", [0, -1])
def test_price_rejects_what_is_not_positive(qty):
    with pytest.raises(ValueError, match="qty must be positive"):
        price(qty, 1.0)


def test_counter_counts_from_zero_by_one_or_more():
    c = Counter()
    assert c.count == 0
    assert c.bump() == 1 and c.bump(2) == 3 and c.bump(0) == 3


def test_counter_rejects_a_negative_step():
    c = Counter()
    with pytest.raises(ValueError, match="negative"):
        c.bump(-1)
    assert c.count == 0
"""
_WEAK_TESTS = "from toy import price\n\n\ndef test_price():\n    assert price(1, 2.0) == 2.0\n"


def test_strong_tests_outrank_weak_tests_outrank_none(toy_golden: Path, tmp_path: Path) -> None:
    """The mutation issue's ranking: strong > weak > none, on the same refactor."""
    scores, cached = {}, []
    for name, tests in (("strong", _STRONG_TESTS), ("weak", _WEAK_TESTS), ("none", None)):
        files = {"toy.py": TOY_CLEAN, **({"tests/test_mine.py": tests} if tests else {})}
        result = mutation_of(
            grade(write_files(tmp_path / name, files), toy_golden, differential=False)
        )
        own = result.candidate_tests
        scores[name] = None if own is None else own.score
        assert result.golden_on_original is not None
        cached.append(result.golden_on_original.cached)
    # The golden adequacy was computed for the first candidate and reused for the others.
    assert cached == [False, True, True]
    assert scores["none"] is None
    assert scores["strong"] > scores["weak"] > 0.0


def test_a_mutation_run_cut_short_reports_its_unchecked_mutants(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    configs = tmp_path / "configs"
    shutil.copytree(profiles.profiles_root(), configs)
    (configs / "tight.toml").write_text(
        "[mutation]\nwall_seconds = 6\njobs = 1\nown_tests_on_original = false\n"
    )
    monkeypatch.setenv("REFACTOR_CHECK_MUTATION_CONFIGS", str(configs))
    started = time.monotonic()
    report = pipeline.grade(
        EXAMPLES / "invoice" / "no_tests",
        pipeline.Options(mutation_profile="tight", differential=False),
    )
    elapsed = time.monotonic() - started
    golden = mutation_of(report).golden_on_original
    assert golden is not None
    assert golden.note is not None and "time limit" in golden.note
    assert golden.not_checked > 0 or golden.total == 0
    assert elapsed < 6 + 30  # the golden runs, plus one mutmut run cut at its limit
    assert report.verdict.verdict == "preserved"  # mutation never decides the verdict
