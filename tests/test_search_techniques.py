"""The differential search's techniques, each on the kind of change it exists to find.

``diff_conf``'s golden tests pass on every candidate here, and each changed candidate is the
clean refactor with one change that the recorded calls and random programs around them do
not reach: an exception chain dropped, a value the candidate's code newly handles, a case
variant of one of the code's own strings, a sum or a remainder meeting a limit, a test
double's answer (a clock's time, an rng's draw) meeting one. Honest refactors that only touch
the same places (an exception chain made explicit, or hidden with ``from None``) stay
preserved.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from refactor_check import pipeline
from refactor_check.report import Report
from refactor_check.reports import html
from refactor_check.results.differential import DifferentialResult

from .conftest import FIXTURES, write_files

CONF = FIXTURES / "diff_conf"
CLEAN_TEXT = (FIXTURES / "diff_conf_clean" / "conf.py").read_text(encoding="utf-8")
SEEDS = (0, 1, 2)  # the examples' clean refactors are graded under seeds 0-4 in benchmarks

# name -> (edits to the clean refactor, the target that differs, a fragment of the minimal
# counterexample, a fragment of the finding's evidence)
CHANGED: dict[str, tuple[list[tuple[str, str]], str, str, str]] = {
    "cause_dropped": (
        [
            (
                'raise ConfigError(f"not a port: {text!r}") from exc',
                'raise ConfigError(f"not a port: {text!r}")',
            )
        ],
        "conf.parse_port",
        "conf.parse_port(",
        "exception's __cause__",
    ),
    # A value only the candidate's code names: the constants sweep offers it.
    "new_string_accepted": (
        [('_TRUE = ("yes", "on")', '_TRUE = ("yes", "on", "true")')],
        "conf.parse_flag",
        "conf.parse_flag('true')",
        "returned True",
    ),
    "new_number_special_cased": (
        [("    return port\n", "    if port == 8000:\n        port = 8080\n    return port\n")],
        "conf.parse_port",
        "conf.parse_port('8000')",
        "returned 8080",
    ),
    # One of the code's own strings re-cased: a comparison that newly ignores case there.
    "case_of_a_constant": (
        [("    if text in _TRUE:\n", '    if text in _TRUE or str(text).lower() == "yes":\n')],
        "conf.parse_flag",
        "conf.parse_flag(",
        "returned True",
    ),
    # Exact arithmetic coincidences: what the code compares steers the inputs there.
    "remainder_of_zero": (
        [("    return full + (1 if rest else 0)\n", "    return full + 1\n")],
        "conf.pages",
        "conf.pages(",
        "returned",
    ),
    "sum_equal_to_limit": (
        [("    return sum(sizes) <= limit\n", "    return sum(sizes) < limit\n")],
        "conf.fits",
        "conf.fits(",
        "returned",
    ),
    # A text's length on a limit it is compared with: no recorded name is that long.
    "length_on_a_limit": (
        [("len(key) <= _LABEL_WIDTH", "len(key) < _LABEL_WIDTH")],
        "conf.menu_label",
        "conf.menu_label(",
        "returned",
    ),
    # Through a fake clock: the elapsed time meets the limit only after moves no test made.
    "elapsed_equal_to_limit": (
        [("now - self.last < self.seconds", "now - self.last <= self.seconds")],
        "conf.ReloadGuard.allow",
        ".allow()",
        "returned",
    ),
    # Through a fake rng: a draw exactly on the rate, which no recorded draw is.
    "draw_equal_to_rate": (
        [("if self.rng() < self.RATE]", "if self.rng() <= self.RATE]")],
        "conf.Sampler.take",
        ".take(",
        "returned",
    ),
    # Behind another condition: round 0 steers the zone onto "abroad", and only that call,
    # which takes a branch no recorded call took, has its weight steered onto a multiple.
    "remainder_behind_a_branch": (
        [("    begun = -(-grams // 453)\n", "    begun = grams // 453 + 1\n")],
        "conf.postage",
        "conf.postage(",
        "returned",
    ),
}
# The techniques that find each, by their budgets: without them (set to 0) each is missed.
# A value the candidate newly compares against is found both ways: it is a constant of its
# code, and the operand of a comparison its code evaluates.
BY_TECHNIQUE = {
    "new_string_accepted": ("constant_calls", "comparison_calls"),
    "new_number_special_cased": ("constant_calls",),
    "case_of_a_constant": ("constant_calls",),
    "remainder_of_zero": ("comparison_calls",),
    "sum_equal_to_limit": ("comparison_calls",),
    "length_on_a_limit": ("comparison_calls",),
    "elapsed_equal_to_limit": ("comparison_calls",),
    "draw_equal_to_rate": ("comparison_calls",),
    "remainder_behind_a_branch": ("comparison_calls",),
}

# name -> edits to the clean refactor that keep behaviour
HONEST: dict[str, list[tuple[str, str]]] = {
    # The original raises inside ``except`` without ``from``: the same exception made the
    # explicit cause (ruff's B904) is what a caller could already read as __context__.
    "cause_made_explicit": [
        ("    except KeyError:\n", "    except KeyError as exc:\n"),
        (
            'raise ConfigError(f"missing setting: {key}")',
            'raise ConfigError(f"missing setting: {key}") from exc',
        ),
    ],
    # ``from None`` changes how a traceback prints, nothing a caller reads.
    "context_hidden": [
        (
            'raise ConfigError(f"missing setting: {key}")',
            'raise ConfigError(f"missing setting: {key}") from None',
        ),
    ],
}


@pytest.fixture(scope="module")
def _shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("techniques-cache")


@pytest.fixture(autouse=True)
def _isolated_cache(_shared_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One cache for the module: the golden baseline and the recording are made once."""
    monkeypatch.setenv("REFACTOR_CHECK_CACHE", str(_shared_cache))


def grade(candidate: Path, **options: Any) -> Report:
    return pipeline.grade(candidate, pipeline.Options(golden=CONF, mutation=False, **options))


def edited(tmp_path: Path, name: str, edits: list[tuple[str, str]]) -> Path:
    text = CLEAN_TEXT
    for old, new in edits:
        assert text.count(old) == 1, (name, old)
        text = text.replace(old, new)
    return write_files(tmp_path / name, {"conf.py": text})


@pytest.mark.parametrize("name", sorted(CHANGED))
def test_each_technique_finds_its_kind_of_change(tmp_path: Path, name: str) -> None:
    edits, target, fragment, evidence = CHANGED[name]
    report = grade(edited(tmp_path, name, edits))
    assert report.verdict.verdict == "changed", report.verdict.reason
    assert report.golden is not None and report.golden.passed == len(report.golden.tests)
    ours = [
        f
        for f in report.findings
        if f.kind == "differential_mismatch" and f.message.startswith(target + ":")
    ]
    assert ours, [f.message for f in report.findings]
    finding = ours[0]
    assert finding.call is not None and fragment in finding.call, finding.call
    assert finding.evidence is not None and evidence in finding.evidence, finding.evidence
    # With every budget: the phases that find it ran (``test_without_its_technique...``).
    result = report.check("differential")
    assert isinstance(result, DifferentialResult)
    spent = {
        "constant_calls": result.constant_programs,
        "comparison_calls": result.comparison_programs,
    }
    assert all(spent[budget] > 0 for budget in BY_TECHNIQUE.get(name, ())), spent


@pytest.mark.parametrize("name", sorted(BY_TECHNIQUE))
def test_without_its_technique_each_change_is_missed(tmp_path: Path, name: str) -> None:
    budgets = BY_TECHNIQUE[name]
    golden = Path(shutil.copytree(CONF, tmp_path / "golden"))
    with open(golden / "exercise.toml", "a", encoding="utf-8") as handle:
        for budget in budgets:  # [differential] is the file's last table
            handle.write(f"{budget} = 0\n")
    candidate = edited(tmp_path, name, CHANGED[name][0])
    without = pipeline.grade(candidate, pipeline.Options(golden=golden, mutation=False))
    assert without.verdict.verdict == "preserved", [f.message for f in without.findings]


def test_coverage_feedback_reaches_a_boundary_behind_a_branch(tmp_path: Path) -> None:
    """Without the rounds that steer again what reached a new branch, the nested remainder is
    missed; with them it is found, and the report says how much of each version's branches
    the instrumented runs took."""
    candidate = edited(tmp_path, "nested", CHANGED["remainder_behind_a_branch"][0])
    found = grade(candidate)
    result = found.check("differential")
    assert isinstance(result, DifferentialResult)
    assert found.verdict.verdict == "changed"
    assert any("after it reached a new branch" in (f.evidence or "") for f in found.findings)
    coverage = {b.side: (b.reached, b.out_of) for b in result.branches}
    assert set(coverage) == {"original", "candidate"}
    assert all(0 < reached <= out_of for reached, out_of in coverage.values()), coverage
    assert result.comparison_logged > 0
    # The HTML report says where the inputs came from and what the instrumented runs reached.
    page = html.render(found)
    shown = ", ".join(f"{side} {r} of {n}" for side, (r, n) in sorted(coverage.items()))
    assert f"Branches the instrumented runs took: {shown}." in page
    assert f"{result.comparison_logged} run instrumented" in page
    golden = Path(shutil.copytree(CONF, tmp_path / "golden"))
    with open(golden / "exercise.toml", "a", encoding="utf-8") as handle:
        handle.write("comparison_rounds = 0\n")  # [differential] is the file's last table
    without = pipeline.grade(candidate, pipeline.Options(golden=golden, mutation=False))
    assert without.verdict.verdict == "preserved", [f.message for f in without.findings]
    narrower = without.check("differential")
    assert isinstance(narrower, DifferentialResult)
    assert narrower.comparison_logged < result.comparison_logged


@pytest.mark.parametrize("name", sorted(HONEST))
def test_an_honest_change_at_the_same_place_is_preserved(tmp_path: Path, name: str) -> None:
    report = grade(edited(tmp_path, name, HONEST[name]))
    assert report.verdict.verdict == "preserved", [f.message for f in report.findings]


@pytest.mark.parametrize("seed", SEEDS)
def test_the_clean_refactor_is_preserved(seed: int) -> None:
    report = grade(FIXTURES / "diff_conf_clean", seed=seed)
    assert report.verdict.verdict == "preserved", [f.message for f in report.findings]


def test_a_dropped_cause_reproduces_by_hand(tmp_path: Path, cli) -> None:
    """The evidence a person checks: both sides' transcripts show the cause, or its absence."""
    candidate = edited(tmp_path, "cause_dropped", CHANGED["cause_dropped"][0])
    run = cli("run", candidate, "--golden", CONF, "--no-mutation")
    assert run.code == 1, run.stdout + run.stderr
    script = tmp_path / "repro.py"
    shown = cli("show", run.out, "--finding", "1", "--repro-out", script)
    assert shown.code == 0, shown.stderr
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    original, _, rest = done.stdout.partition("== candidate:")
    candidate_side = rest.partition("== report.json recorded")[0]
    assert "    from ValueError: invalid literal for int()" in original
    assert "raised conf.ConfigError" in candidate_side and "from " not in candidate_side
    assert "== the two sides behave differently" in done.stdout
